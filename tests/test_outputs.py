"""Outputs: checked before the build, never over a source, written all or nothing."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import build_pdf
from layout.errors import Problem
from layout.output.paths import file_refusal, page_sources
from layout.output.write import write_all, write_atomically
from tests.conftest import ROOT, SEED
from tests.pagegen import Spec, write_page


@pytest.fixture
def page(tmp_path) -> Path:
    """A page with a photo: page.yaml, two articles, 01-1.jpg."""
    return write_page(tmp_path / "page", [Spec(600, 1), Spec(400)])


def digest(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


def usage_error(args: list[str], capsys) -> str:
    """The message of a usage error (exit 2) the command line gives for `args`."""
    with pytest.raises(SystemExit) as exit_:
        build_pdf.main(args)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("option", "source"),
    [
        ("-o", "01-story.md"),
        ("-o", "page.yaml"),
        ("--png", "01-1.jpg"),
        ("--report", "page.yaml"),
        ("--layout-out", "02-story.md"),
    ],
)
def test_an_output_over_a_source_is_refused_before_the_build(
    page, tmp_path, capsys, option, source
):
    before = digest(page)
    args = [str(page), "-o", str(tmp_path / "page.pdf"), option, str(page / source)]
    err = usage_error(args, capsys)
    assert f"{option} {page / source} is a source the build reads" in err
    assert digest(page) == before
    assert not (tmp_path / "page.pdf").exists()


def test_the_layout_file_read_is_no_output_and_neither_is_a_link_to_a_source(
    page, tmp_path, capsys
):
    layout = tmp_path / "layout.yaml"
    layout.write_text("modules: {}\n", encoding="utf-8")
    args = [str(page), "--layout", str(layout), "--layout-out", str(layout)]
    assert "--layout-out" in usage_error(args, capsys)
    assert layout.read_text(encoding="utf-8") == "modules: {}\n"
    link = tmp_path / "out.pdf"
    link.symlink_to(page / "01-story.md")
    assert "is a source the build reads" in usage_error([str(page), "-o", str(link)], capsys)


def test_new_outputs_beside_the_sources_are_allowed(page):
    """`-o PAGE/out.pdf`: a file the build does not read, new or from an earlier build."""
    (page / "out.pdf").write_bytes(b"%PDF- an earlier build")
    sources = page_sources(page)
    assert {p.name for p in sources} == {"page.yaml", "01-story.md", "02-story.md", "01-1.jpg"}
    outputs = {"-o": page / "out.pdf", "--png": page / "out.png", "--report": page / "r.json"}
    assert file_refusal(outputs, sources) is None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["-o", "{tmp}"], "-o {tmp} is a directory"),
        (["-o", "{tmp}/file/x.pdf"], "{tmp}/file is a file, not a directory"),
        (["-o", "/proc/x.pdf"], "-o /proc/x.pdf cannot be written"),
        (["-o", "/dev/null"], "is not a regular file"),
        (["-o", "{tmp}/x.pdf", "--png", "{tmp}"], "--png {tmp} is a directory"),
        (["-o", "{tmp}/x.pdf", "--layout-out", "{tmp}"], "--layout-out {tmp} is a directory"),
        (["-o", "{tmp}/x.pdf", "--report", "{tmp}/x.pdf"], "-o and --report name the same"),
        (["-o", "{tmp}/x.pdf", "--dpi", "0"], "argument --dpi"),
        (["-o", "{tmp}/x.pdf", "--dpi", "-10"], "argument --dpi"),
        (["-o", "{tmp}/x.pdf", "--dpi", "5000"], "argument --dpi"),
        (["-o", "{tmp}/x.pdf", "--time-limit", "-1"], "argument --time-limit"),
        (["-o", "{tmp}/x.pdf", "--time-limit", "nan"], "argument --time-limit"),
        (["-o", "{tmp}/x.pdf", "--time-limit", "inf"], "argument --time-limit"),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_before_the_build(
    tmp_path, capsys, args, fragment
):
    out = tmp_path / "out"
    out.mkdir()
    (out / "file").write_text("not a directory", encoding="utf-8")
    started = time.perf_counter()
    err = usage_error([str(SEED), *(a.format(tmp=out) for a in args)], capsys)
    assert time.perf_counter() - started < 5  # said before the build, not after it
    assert fragment.format(tmp=out) in err
    assert sorted(p.name for p in out.iterdir()) == ["file"]


def test_outputs_are_written_all_or_none(tmp_path):
    pdf, layout = tmp_path / "page.pdf", tmp_path / "layout.yaml"
    pdf.write_bytes(b"old pdf")
    layout.mkdir()  # a rename onto it would fail only after the PDF was replaced
    with pytest.raises(IsADirectoryError):
        write_all({pdf: b"new pdf", tmp_path / "page.png": b"png", layout: b"layout"})
    assert pdf.read_bytes() == b"old pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layout.yaml", "page.pdf"]


def test_an_output_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    target, link = tmp_path / "target.pdf", tmp_path / "link.pdf"
    target.write_bytes(b"old")
    link.symlink_to(target.name)
    write_atomically(link, b"new")
    assert link.is_symlink() and link.readlink() == Path("target.pdf")
    assert target.read_bytes() == b"new"


def test_a_problem_shows_control_characters_in_a_path_escaped():
    problem = Problem("headline: missing", Path("page/\x1b[2J\x9bx.md"), 3, hint="add\x07 it")
    text = str(problem)
    assert text == "page/\\x1b[2J\\x9bx.md:3: headline: missing\n    fix: add\\x07 it"
    assert text.isprintable() or set(text) - set(filter(str.isprintable, text)) == {"\n"}


@pytest.mark.parametrize(
    "args",
    [
        ["serve", str(SEED), "--port", "99999"],
        ["serve", str(SEED), "--port", "0"],
        ["serve", str(SEED), "--time-limit", "nan"],
        ["serve", "/nonexistent"],
        ["serve", "/etc/passwd"],
        ["batch", str(SEED), "-o", "/dev/null"],
    ],
)
def test_serve_and_batch_usage_errors_exit_2(capsys, args):
    usage_error(args, capsys)


def edition_of(root: Path, page: Path) -> Path:
    (root / "edition.yaml").write_text(
        f"paper: 包头日报\ndate: 2024-03-26\npages: [{page.name}]\n", encoding="utf-8"
    )
    return root


def test_an_edition_output_inside_a_page_directory_is_refused(tmp_path, capsys):
    edition = edition_of(tmp_path, write_page(tmp_path / "p05", [Spec(600)]))
    before = digest(tmp_path / "p05")
    err = usage_error([str(edition), "-o", str(tmp_path / "p05" / "out"), "-q"], capsys)
    assert "is inside the page directory" in err
    err = usage_error([str(edition), "--report", str(tmp_path / "p05" / "r.json")], capsys)
    assert "--report" in err
    assert digest(tmp_path / "p05") == before and not (tmp_path / "p05" / "out").exists()


def test_a_failed_edition_leaves_no_edition_pdf(tmp_path, capsys):
    page = write_page(tmp_path / "p05", [Spec(600)])
    (page / "01-story.md").write_text("no front matter\n", encoding="utf-8")
    edition, out = edition_of(tmp_path, page), tmp_path / "out"
    out.mkdir()
    (out / "edition.pdf").write_bytes(b"%PDF- the last edition that built")
    assert build_pdf.main([str(edition), "-o", str(out), "-q", "-j", "1"]) == 1
    assert not (out / "edition.pdf").exists()
    (out / "edition.pdf").write_bytes(b"%PDF- the last edition that built")
    (edition / "edition.yaml").write_text("paper: [\n", encoding="utf-8")
    assert build_pdf.main([str(edition), "-o", str(out), "-q"]) == 1
    assert not (out / "edition.pdf").exists()


@pytest.mark.slow
def test_ctrl_c_ends_a_build_quietly_with_130_and_writes_nothing(tmp_path):
    output = tmp_path / "page.pdf"
    build = subprocess.Popen(
        [sys.executable, "build_pdf.py", str(SEED), "-o", str(output), "--proof", "-q"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell starts background jobs with Ctrl-C ignored; a terminal's build has it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    time.sleep(1.5)  # into the build (it takes several seconds)
    build.send_signal(signal.SIGINT)
    out, err = build.communicate(timeout=60)
    assert build.returncode == build_pdf.INTERRUPTED == 130, err
    assert err == "" and "wrote" not in out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_outputs_beside_the_sources_build_again_and_again(tmp_path):
    page = tmp_path / "page"
    shutil.copytree(SEED, page)
    before = digest(page)
    args = [str(page), "-o", str(page / "out.pdf"), "--layout-out", str(page / "layout.yaml")]
    for _ in range(2):  # the second build finds the first one's outputs there
        assert build_pdf.main([*args, "--png", str(page / "out.png"), "--dpi", "20", "-q"]) == 0
    after = digest(page)
    assert {name: after[name] for name in before} == before
    assert sorted(set(after) - set(before)) == ["layout.yaml", "out.pdf", "out.png"]


def test_a_draft_proof_over_a_source_or_another_output_is_refused(page, tmp_path, capsys):
    """A page that does not fit writes `page.draft.pdf` beside `-o page.pdf`: checked the same."""
    (page / "02-story.md").rename(page / "notes.draft.md")
    yaml = page / "page.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("02-story.md", "notes.draft.md"))
    before = digest(page)
    err = usage_error([str(page), "-o", str(page / "notes.md")], capsys)
    assert f"the draft of -o {page / 'notes.draft.md'} is a source the build reads" in err
    out = tmp_path / "out"
    args = [str(page), "-o", str(out / "a.pdf"), "--png", str(out / "a.draft.pdf")]
    err = usage_error(args, capsys)
    assert "--png and the draft of -o name the same file" in err
    assert digest(page) == before and not out.exists()
