"""The command line: exit codes, one clear message, no traceback, nothing partial written."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml

import build_pdf
from tests.conftest import ROOT, SEED

CASES = sorted((ROOT / "tests" / "cases").iterdir())


def case_args(case, args: list[str]) -> list[str]:
    """A case's extra arguments: layout files and `CASE/…` name files of the case itself."""
    return [
        a.replace("CASE", str(case), 1)
        if a.startswith("CASE")
        else str(case / a)
        if a.endswith(".yaml")
        else a
        for a in args
    ]


def run_main(args: list[str]) -> int:
    """The command line in process; a usage error's SystemExit gives its status, as in a shell."""
    try:
        return build_pdf.main(args)
    except SystemExit as exit_:
        return int(exit_.code or 0)


def digest(directory) -> str:
    files = sorted(p for p in directory.rglob("*") if p.is_file() and not p.is_symlink())
    return hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in files)).hexdigest()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_page_fails_naming_file_and_field(case, tmp_path, capsys):
    expect = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))
    output = tmp_path / "out.pdf"
    before = digest(case)
    code = run_main([str(case), "-o", str(output), *case_args(case, expect.get("args", []))])
    err = capsys.readouterr().err
    assert code == expect["exit_code"]
    for fragment in expect["messages"]:
        assert fragment in err
    assert not output.exists()
    # no temporary file left behind either; only a page that does not fit leaves its draft
    assert sorted(p.name for p in tmp_path.iterdir()) == expect.get("leaves", [])
    assert digest(case) == before  # the sources are never written to


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        build_pdf.main(["--no-such-option"])
    assert exit_.value.code == 2


def test_copy_that_does_not_fit_exits_1_and_keeps_the_previous_pdf(tmp_path, capsys):
    page = tmp_path / "page"
    shutil.copytree(SEED, page)
    article = page / "05-jiaoyuju.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + ("\n\n" + text.split("---", 2)[2].strip()) * 2, encoding="utf-8")
    output = tmp_path / "page.pdf"
    output.write_bytes(b"%PDF- the previous edition")
    assert build_pdf.main([str(page), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert "overset by" in err and "05-jiaoyuju.md" in err
    assert output.read_bytes() == b"%PDF- the previous edition"


def test_a_character_no_font_has_exits_1_naming_it(tmp_path, capsys):
    page = tmp_path / "page"
    shutil.copytree(SEED, page)
    article = page / "02-gongxinju.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("工业门类", "工业\U000f0001门类"),
        encoding="utf-8",
    )
    assert build_pdf.main([str(page), "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "U+F0001" in err and "02-gongxinju.md" in err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.slow
def test_default_builds_the_seed_page_with_a_preview(tmp_path):
    output, preview = tmp_path / "seed.pdf", tmp_path / "seed.png"
    result = subprocess.run(
        [sys.executable, "build_pdf.py", "-o", str(output), "--png", str(preview), "--dpi", "30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert output.read_bytes().startswith(b"%PDF-")
    assert preview.read_bytes().startswith(b"\x89PNG")
    flush = re.search(r"(\d+)/(\d+) justified lines flush", result.stdout)
    assert flush and flush.group(1) == flush.group(2) and int(flush.group(1)) > 100


@pytest.mark.slow
def test_report_json_says_what_was_built_and_measured(tmp_path, capsys):
    output, report = tmp_path / "seed.pdf", tmp_path / "report.json"
    assert build_pdf.main(["-o", str(output), "--report", str(report)]) == 0
    page = json.loads(report.read_text(encoding="utf-8"))["pages"][0]
    assert page["status"] == "built"
    assert page["outputs"] == [
        {"path": str(output), "sha256": hashlib.sha256(output.read_bytes()).hexdigest()}
    ]
    stdout = capsys.readouterr().out
    flush = re.search(r"(\d+)/(\d+) justified lines flush", stdout)
    typography = page["typography"]
    assert sorted(typography) == sorted(p.name for p in SEED.glob("0*.md"))
    assert sum(t["flush"] for t in typography.values()) == int(flush.group(1))
    assert all(f["embedded"] and f["subset"] for f in page["fonts"])
    grid = page["grid"]
    for slot in page["modules"].values():  # 1-based slots inside the grid
        assert 1 <= slot["column"] <= slot["column"] + slot["columns"] - 1 <= grid["columns"]
        assert 1 <= slot["line"] <= slot["line"] + slot["lines"] - 1 <= grid["lines"]


def test_report_json_of_a_failed_page_lists_its_problems(tmp_path, capsys):
    case = ROOT / "tests" / "cases" / "several-problems"
    report = tmp_path / "report.json"
    assert build_pdf.main([str(case), "-o", str(tmp_path / "x.pdf"), "--report", str(report)]) == 1
    err = capsys.readouterr().err
    page = json.loads(report.read_text(encoding="utf-8"))["pages"][0]
    assert (page["status"], page["error"], page["outputs"]) == ("failed", "SourceError", [])
    assert len(page["problems"]) == err.count("page.yaml:") >= 3
    assert all(p["file"].endswith("page.yaml") and p["line"] for p in page["problems"])


def test_a_relative_output_naming_a_source_is_refused_before_the_build(tmp_path):
    page = tmp_path / "page"
    shutil.copytree(SEED, page)
    article = (page / "01-fagaiwei.md").read_bytes()
    result = subprocess.run(
        [sys.executable, str(ROOT / "build_pdf.py"), ".", "-o", "01-fagaiwei.md"],
        cwd=page,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "-o 01-fagaiwei.md is a source the build reads" in result.stderr
    assert "Traceback" not in result.stderr
    assert (page / "01-fagaiwei.md").read_bytes() == article
