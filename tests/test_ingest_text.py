"""Importing the seed's plain text gives the committed seed page, losing nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import build_pdf
from layout.ingest.draft import write_page
from layout.ingest.text import read_text
from layout.sources.page import load_page
from layout.typeset.normalise import normalise_page, normalise_text
from tests.conftest import ROOT, SEED

SEED_TEXT = ROOT.parent / "shared" / "seeds" / "000_9769de2f8fa82c4a.txt"
pytestmark = pytest.mark.skipif(
    not SEED_TEXT.exists(), reason="shared/ seed text not beside the checkout"
)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def imported(tmp_path) -> Path:
    page = tmp_path / "imported"
    args = ["import", "text", str(SEED_TEXT), "-o", str(page), "--date", "2024-03-26"]
    args += ["--page", "5", "--section", "专版", "--format", "tabloid"]
    assert build_pdf.main(args) == 0
    return page


def content(page):
    """Everything a reader sees of a page, without file names."""
    return (
        page.paper,
        page.date,
        page.number,
        page.section,
        page.format,
        page.banner,
        page.lede,
        page.credits,
        [
            (a.headline, a.kicker, a.subhead, a.byline, [(b.kind, b.text) for b in a.blocks])
            for a in page.articles
        ],
    )


def test_the_seed_text_imports_to_the_committed_seed_page(imported):
    ours = normalise_page(load_page(imported))
    committed = normalise_page(load_page(SEED))
    assert content(ours) == content(committed)


def test_no_character_of_the_input_is_lost(imported):
    written = squeeze(
        normalise_text("".join(p.read_text(encoding="utf-8") for p in sorted(imported.iterdir())))
    )
    for block in re.split(r"\n\s*\n", SEED_TEXT.read_text(encoding="utf-8")):
        if block.strip():
            # paragraphs cut by a column break are joined, so compare line by line
            for line in block.splitlines():
                # the editors' line becomes fields: its labels are the template's
                for piece in re.sub(r"(本版编辑|美编)[:：]", " ", line).split():
                    assert squeeze(normalise_text(piece)) in written, piece[:20]


def test_import_is_idempotent(imported, tmp_path):
    again = tmp_path / "again"
    write_page(read_text(SEED_TEXT), again)
    first = {p.name: p.read_bytes() for p in imported.iterdir() if p.name != "page.yaml"}
    second = {p.name: p.read_bytes() for p in again.iterdir() if p.name != "page.yaml"}
    assert first == second
    write_page(read_text(SEED_TEXT), again)
    assert {p.name: p.read_bytes() for p in again.iterdir() if p.name != "page.yaml"} == second


def test_what_cannot_be_placed_is_reported_not_dropped(tmp_path, capsys):
    source = tmp_path / "page.txt"
    source.write_text(
        "标题一行\n\n" + "正文" * 50 + "。\n\n本版编辑:\n",
        encoding="utf-8",
    )
    assert build_pdf.main(["import", "text", str(source), "-o", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "line 5: looks like a credit but no name found" in out
    assert "本版编辑：" in (tmp_path / "p" / "page.yaml").read_text(encoding="utf-8")


def test_an_unreadable_file_exits_1_naming_it(tmp_path, capsys):
    source = tmp_path / "page.txt"
    source.write_bytes(b"\xff\xfe\x00garbage")
    assert build_pdf.main(["import", "text", str(source), "-o", str(tmp_path / "p")]) == 1
    assert "page.txt" in capsys.readouterr().err


def test_without_format_the_import_leaves_the_format_to_the_composer(tmp_path):
    """The issue's new user: `import text` with no `--format` must not fix broadsheet."""
    page = tmp_path / "p"
    args = ["import", "text", str(SEED_TEXT), "-o", str(page), "--date", "2024-03-26"]
    assert build_pdf.main([*args, "--page", "5"]) == 0
    assert "format: auto\n" in (page / "page.yaml").read_text(encoding="utf-8")
    assert load_page(page).format == "auto"


def test_a_format_given_on_the_command_line_is_written(imported):
    assert "format: tabloid\n" in (imported / "page.yaml").read_text(encoding="utf-8")
    assert load_page(imported).format == "tabloid"


@pytest.mark.slow
def test_the_seed_text_imported_without_a_format_builds(tmp_path, capsys):
    """The issue's commands as a new user types them: import, then build, no --format."""
    page = tmp_path / "X"
    args = ["import", "text", str(SEED_TEXT), "-o", str(page), "--date", "2024-03-26"]
    assert build_pdf.main([*args, "--page", "5"]) == 0
    capsys.readouterr()
    assert build_pdf.main([str(page), "-o", str(tmp_path / "X.pdf")]) == 0
    out = capsys.readouterr().out
    assert "grid: tabloid" in out and "format" in out.split("fitted with:")[1].splitlines()[0]
