"""Jumps in an edition (下转/上接): the lead of page 1 runs on to page 3.

Each test reads the PDFs back: the jump lines, the article's text split over
its two pages, the outline, and what a renumbered page, an edit and a failed
sending page do to the pages it jumps to.  Sources that cannot jump stop the
edition before any build, naming the article and its `continues:` line.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

import build_pdf
from layout.model.document import Block, Continuation, Span
from layout.model.grid import FORMATS, Grid
from layout.production.page_job import PageJob, cache_key
from layout.sources.edition import load_edition
from layout.sources.page import load_page
from layout.typeset.normalise import normalise_page
from tests.ad_edition import HEADLINES, JUMP_HEADLINE, LEAD, edit, write_edition


def build(edition: Path, out: Path, *args: str) -> dict:
    """Build `edition` into `out` from the command line; the report it wrote."""
    report = out.parent / f"{out.name}.json"
    assert build_pdf.main([str(edition), "-o", str(out), "-q", "--report", str(report), *args]) == 0
    return json.loads(report.read_text(encoding="utf-8"))


def statuses(report: dict) -> list[str]:
    return [entry["status"] for entry in report["pages"]]


def page_text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as document:
        return document.pages[0].extract_text()


def body_text(pdf: Path, entry: dict, slot: dict) -> str:
    """The body-size text of the module at `slot`, column by column, without white space.

    The grid is the one the report names; headlines, captions and the jump
    headline are larger or smaller than the body and drop out.  Characters are
    read in the order drawn: a compressed pair of punctuation marks (：“) shares
    one em, and ordered by position the second may come first.
    """
    figures = entry["grid"]
    sizes = [em for em, _ in FORMATS[figures["format"]].bodies]
    masthead = "masthead:" in (Path(entry["page"]) / "page.yaml").read_text(encoding="utf-8")
    grid = Grid.for_format(figures["format"], sizes.index(figures["body_pt"]), masthead=masthead)
    assert grid.rows == figures["lines"]
    top, bottom = grid.y(slot["line"] - 1), grid.y(slot["line"] - 1 + slot["lines"])
    text = ""
    with pdfplumber.open(pdf) as document:
        page = document.pages[0].filter(
            lambda obj: obj["object_type"] != "char" or abs(obj["size"] - grid.em) < 0.01
        )
        for column in range(slot["column"] - 1, slot["column"] - 1 + slot["columns"]):
            left = grid.x(column)
            cropped = page.crop((left, top, left + grid.column_width, bottom))
            text += cropped.extract_text(use_text_flow=True)  # in the order set
    return "".join(text.split())


def source_text(article: Path) -> str:
    """The article's body as the pipeline sets it: normalised, without white space."""
    page = normalise_page(load_page(article.parent))
    (found,) = (a for a in page.articles if a.file.name == article.name)
    return "".join("".join(block.text for block in found.blocks).split())


def jumped_text(out: Path, report: dict, into: int = 3, number: int = 3) -> tuple[str, str]:
    """The lead's text on page 1 (before its jump line) and page `into` (after its 上接)."""
    first, rest = report["pages"][0], report["pages"][into - 1]
    before = body_text(out / "01-p1.pdf", first, first["modules"][LEAD])
    (continued,) = rest["continued"]
    assert continued["file"].endswith(f"p1/{LEAD}") and continued["from"] == 1
    after = body_text(out / f"{into:02d}-p{into}.pdf", rest, continued)
    jump_out, jump_in = f"（下转第{number}版）", "（上接第1版）"
    assert before.endswith(jump_out) and after.startswith(jump_in)
    return before.removesuffix(jump_out), after.removeprefix(jump_in)


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    return write_edition(tmp_path_factory.mktemp("edition"))


@pytest.fixture(scope="module")
def built(edition, tmp_path_factory) -> tuple[Path, dict]:
    """The edition built once, in two workers."""
    out = tmp_path_factory.mktemp("built") / "out"
    return out, build(edition, out, "-j", "2")


@pytest.mark.slow
def test_the_lead_jumps_to_page_3_and_its_text_is_whole_over_the_two_pages(edition, built):
    out, report = built
    assert statuses(report) == ["built"] * 3
    assert "（下转第3版）" in page_text(out / "01-p1.pdf")
    assert "（上接第1版）" in page_text(out / "03-p3.pdf")
    assert JUMP_HEADLINE in page_text(out / "03-p3.pdf")
    assert not any("下转" in page_text(out / name) for name in ("02-p2.pdf", "03-p3.pdf"))
    before, after = jumped_text(out, report)
    assert before and after  # cut: neither part is empty
    assert before + after == source_text(edition / "p1" / LEAD)


@pytest.mark.slow
def test_the_outline_points_to_the_first_part_with_the_rest_under_it(built):
    out, _ = built
    with pikepdf.open(out / "edition.pdf") as pdf, pdf.open_outline() as outline:
        front, _, third = outline.root
        (lead,) = (item for item in front.children if item.title == HEADLINES["p1"][0])
        assert lead.destination[0].objgen == pdf.pages[0].objgen
        (rest,) = lead.children
        assert rest.title == "续（第3版）"
        assert rest.destination[0].objgen == pdf.pages[2].objgen
        top = float(pdf.pages[2].mediabox[3]) - float(rest.destination[3])
        titles = [item.title for item in third.children]
    assert set(HEADLINES["p3"]) <= set(titles) <= {*HEADLINES["p3"], "简讯"}  # and fillers
    with pdfplumber.open(out / "03-p3.pdf") as document:
        words = document.pages[0].extract_words()
    below = "".join(w["text"] for w in words if top - 1 <= w["top"] <= top + 60)
    assert JUMP_HEADLINE in below  # the rest's bookmark is at its jump headline


def renumbered(edition: Path, root: Path, number: int) -> Path:
    """A copy of `edition`, its lead naming page 3 by directory, and page 3 numbered `number`."""
    copied = root / "edition"
    shutil.copytree(edition, copied)
    edit(copied / "p1" / LEAD, r"continues: \{page: 3\}", "continues: {page: p3}")
    edit(copied / "p3" / "page.yaml", r"(?m)^page: 3$", f"page: {number}")
    return copied


@pytest.mark.slow
def test_renumbering_the_page_a_rest_runs_on_changes_both_jump_lines(edition, built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built[0] / ".cache", out / ".cache")
    report = build(renumbered(edition, tmp_path, 7), out)
    assert statuses(report) == ["built", "cached", "built"]  # page 2 names neither
    first = page_text(out / "01-p1.pdf")
    assert "（下转第7版）" in first and "第3版" not in first
    before, after = jumped_text(out, report, number=7)
    assert before + after == source_text(tmp_path / "edition" / "p1" / LEAD)
    with pikepdf.open(out / "edition.pdf") as pdf, pdf.open_outline() as outline:
        assert pdf.pages[2].label == "第7版"
        (lead,) = (item for item in outline.root[0].children if item.title == HEADLINES["p1"][0])
        assert [child.title for child in lead.children] == ["续（第7版）"]


@pytest.mark.slow
def test_the_cache_keeps_the_rests_and_an_edit_that_moves_the_cut_rebuilds_page_3(
    edition, built, tmp_path
):
    out = tmp_path / "out"
    shutil.copytree(built[0], out)
    before = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    # Page 3's key holds the rest page 1 sends: it is found only if page 1,
    # from the cache, sends the very rest it sent when it was built.
    assert statuses(build(edition, out)) == ["cached"] * 3
    assert {p.name: p.read_bytes() for p in out.glob("*.pdf")} == before
    _, rest = jumped_text(out, built[1])

    changed = tmp_path / "changed"
    shutil.copytree(edition, changed)
    edit(changed / "p3" / "02-story.md", "。", "！")  # page 3's own copy: page 1 stays cached
    report = build(changed, out)
    assert statuses(report) == ["cached", "cached", "built"]
    assert jumped_text(out, report)[1] == rest

    # The first paragraph moved to the end: as many lines, but the cut falls elsewhere in the
    # text.  (A clause cut from a paragraph that keeps its lines would leave the rest as it is.)
    lead = changed / "p1" / LEAD
    front, body = lead.read_text(encoding="utf-8").split("\n---\n\n")
    first_paragraph, *others = body.strip().split("\n\n")
    lead.write_text(front + "\n---\n\n" + "\n\n".join([*others, first_paragraph]) + "\n", "utf-8")
    report = build(changed, out)
    assert statuses(report) == ["built", "cached", "built"]
    first, moved = jumped_text(out, report)
    assert moved != rest
    assert first + moved == source_text(lead)


def test_the_cache_key_holds_the_jumps_and_the_text_of_the_rests(edition, tmp_path):
    job = PageJob(edition / "p3", tmp_path / "p3.pdf", cache=tmp_path / "cache")
    rest = Continuation(
        edition / "p1" / LEAD,
        "01-story",
        JUMP_HEADLINE,
        1,
        3,
        (Block("paragraph", (Span("续文"),), 9),),
    )
    edited = dataclasses.replace(rest, blocks=(Block("paragraph", (Span("续闻"),), 9),))
    keys = [
        cache_key(job),
        cache_key(dataclasses.replace(job, continued=(rest,))),
        cache_key(dataclasses.replace(job, continued=(edited,))),
        cache_key(dataclasses.replace(job, jumps={"01-story": 5})),
        cache_key(dataclasses.replace(job, jumps={"01-story": 4})),
    ]
    assert None not in keys and len(set(keys)) == len(keys)
    assert cache_key(dataclasses.replace(job, continued=(rest,))) == keys[1]


def continues_line(article: Path) -> int:
    lines = article.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith("continues:"))


def refused(edition: Path, out: Path, capsys) -> str:
    """What the command line says of an edition it refuses before building any page."""
    assert build_pdf.main([str(edition), "-o", str(out), "-q"]) == 1
    assert not out.exists() or not any(out.glob("*.pdf"))
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("jump", "said", "hint"),
    [
        ("9", "page 9 is not a page of this edition", "1 (p1), 2 (p2), 3 (p3)"),
        ("p9", "page p9 is not a page of this edition", "3 (p3)"),
        ("1", "page 1 is the article's own page", "remove `continues:`"),
        ("p1", "page p1 is the article's own page", "remove `continues:`"),
    ],
)
def test_a_jump_to_no_other_page_of_the_edition_is_refused(tmp_path, capsys, jump, said, hint):
    edition = write_edition(tmp_path / "edition", jump=jump)
    err = refused(edition, tmp_path / "out", capsys)
    lead = edition / "p1" / LEAD
    assert f"p1/{LEAD}:{continues_line(lead)}: continues: {said}" in err
    assert hint in err.split(said, 1)[1]


def test_jumps_that_lead_back_are_refused_at_each_jump(tmp_path, capsys):
    edition = write_edition(tmp_path / "edition")
    back = edition / "p3" / "02-story.md"
    edit(back, r"(?m)^byline: .*$", "continues: {page: p1}")
    err = refused(edition, tmp_path / "out", capsys)
    loop = "page 1 (p1) → page 3 (p3) → page 1 (p1)"
    assert f"p1/{LEAD}:{continues_line(edition / 'p1' / LEAD)}: continues: " in err
    assert f"p3/02-story.md:{continues_line(back)}: continues: " in err
    assert err.count("lead back to this page") == 2 and loop in err


def test_a_number_two_pages_share_is_refused_where_a_jump_names_it(tmp_path, capsys):
    edition = write_edition(tmp_path / "edition", jump="2")
    edit(edition / "p3" / "page.yaml", r"(?m)^page: 3$", "page: 2")
    err = refused(edition, tmp_path / "out", capsys)
    assert "page 2 is also the number of p2" in err  # edition.yaml's own check
    assert (
        f"p1/{LEAD}:{continues_line(edition / 'p1' / LEAD)}: continues: page 2 names 2 pages" in err
    )


@pytest.mark.slow
def test_a_page_whose_sending_page_fails_fails_naming_it(edition, tmp_path, capsys):
    broken = tmp_path / "broken"
    shutil.copytree(edition, broken)
    other = broken / "p1" / "02-story.md"  # longer than the page: overset, after loading
    front, body = other.read_text(encoding="utf-8").split("\n---\n\n")
    other.write_text(front + "\n---\n\n" + "\n\n".join([body.strip()] * 12) + "\n", "utf-8")
    out, report = tmp_path / "out", tmp_path / "report.json"
    assert build_pdf.main([str(broken), "-o", str(out), "-q", "--report", str(report)]) == 1
    err = capsys.readouterr().err
    assert f"cannot build {broken / 'p1'}:" in err and "overset" in err
    assert f"cannot build {broken / 'p3'}:" in err
    assert f"its first page, {broken / 'p1'}, did not build" in err
    document = json.loads(report.read_text(encoding="utf-8"))
    assert statuses(document) == ["failed", "built", "failed"]
    (problem,) = document["pages"][2]["problems"]
    assert problem["file"] == str(broken / "p1" / LEAD) and problem["field"] == "continues"
    assert not (out / "edition.pdf").exists()


def test_a_page_named_by_directory_is_found_by_its_number_now(tmp_path):
    edition = renumbered(write_edition(tmp_path / "written"), tmp_path, 7)
    (link,) = load_edition(edition).links
    assert (link.sender.name, link.slug, link.receiver.name, link.to) == ("p1", "01-story", "p3", 7)
    assert link.line == continues_line(edition / "p1" / LEAD)
