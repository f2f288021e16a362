"""The furniture of a Chinese page, end to end: tests/furniture_page.py (a column logo and an
editor's note over the lead, a vertical headline, a shaded box, a photo story) built, and
every figure read back from the PDF with pdfplumber and pikepdf, apart from the code that
placed it: glyph positions and ids, the box's rectangle, the text layer's order, the tags.
"""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from layout.errors import SourceError
from layout.options import OutputOptions
from layout.output.alto import alto_xml
from layout.pipeline import Build, build
from layout.sources.layout_file import dump_layout, load_layout
from layout.sources.page import load_page
from tests.furniture_page import BOX, LOGO, NOTE, VERTICAL_HEADLINE, write_furniture_page
from tests.test_alto import schema
from tests.test_vertical import glyph_ids

pytestmark = pytest.mark.slow  # builds PDFs

A = "{http://www.loc.gov/standards/alto/ns-v4#}"
GRID_TOLERANCE = 0.3  # pt: a body line's baseline from the page's baseline grid


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    return write_furniture_page(tmp_path_factory.mktemp("furniture") / "p06")


@pytest.fixture(scope="module")
def built(page, tmp_path_factory) -> Build:
    return build(page, tmp_path_factory.mktemp("out") / "p06.pdf")


def module(built: Build, name: str):
    (found,) = [m for m in built.layout.modules if m.article.file.name == name]
    return found


def chars(pdf: bytes) -> list[dict]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return list(document.pages[0].chars)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_element_is_on_the_page_and_every_line_is_flush_and_kinsoku_clean(built):
    kinds = {m.article.file.name: m for m in built.layout.modules}
    assert kinds["02-vertical.md"].vertical is not None
    assert kinds["03-boxed.md"].article.box == BOX
    assert kinds["01-lead.md"].note is not None
    assert kinds["04-photo.md"].head_offset > 0  # under its photo
    for name, figures in built.report.typography.items():
        assert figures.justified > 0 and figures.flush == figures.justified, name
        assert figures.prohibited == 0 and figures.display_prohibited == 0, name
        assert figures.mismatched == 0, name
    assert built.report.typography["02-vertical.md"].display_lines >= 2  # its vertical lines


def test_the_vertical_headline_reads_down_one_x_an_em_a_character(built, roles):
    strip = module(built, "02-vertical.md")
    heading = strip.vertical
    left = built.layout.grid.x(strip.strip.column)  # the module's right-hand column

    def in_strip(c: dict) -> bool:
        return c["x0"] >= left and abs(c["size"] - strip.vertical.size) < 0.01

    glyphs = [c for c in chars(built.pdf) if in_strip(c)]
    assert squeezed("".join(c["text"] for c in glyphs)) == squeezed(VERTICAL_HEADLINE)
    size = heading.size
    lines: list[list[dict]] = []  # in drawing order: a glyph far left of its line's starts one
    for c in glyphs:
        if lines and abs(c["x0"] - lines[-1][0]["x0"]) < 0.75 * size:
            lines[-1].append(c)
        else:
            lines.append([c])
    han = re.compile(r"[\u4e00-\u9fff]")
    assert len(lines) == len(heading.lines) == 2
    for line in lines:
        xs = [c["x0"] for c in line if han.match(c["text"])]
        assert max(xs) - min(xs) <= 0.5
        for above, below in itertools.pairwise(line):
            if han.match(above["text"]) and han.match(below["text"]):
                assert abs(below["top"] - above["top"] - size) <= 0.5, (
                    above["text"],
                    below["text"],
                )
    assert lines[0][0]["x0"] > lines[1][0]["x0"]  # the first line is the right-hand one
    # the marks in their vertical forms: glyph ids other than the font's own for them
    face = next(f for f in roles["headline"].faces if f.family == "Noto Sans CJK SC")
    cmap = TTFont(face.file, fontNumber=face.index).getBestCmap()
    every = chars(built.pdf)
    ids = glyph_ids(built.pdf)
    assert len(ids) == len(every)
    marks = [(c["text"], gid) for c, gid in zip(every, ids, strict=True) if in_strip(c)]
    marks = [(text, gid) for text, gid in marks if text in "，“"]
    assert [text for text, _ in marks] == ["“", "，"]
    for text, gid in marks:
        assert gid != cmap[ord(text)], text


def test_the_box_surrounds_its_story_whose_lines_stay_on_the_baseline_grid(built):
    boxed = module(built, "03-boxed.md")
    grid = built.layout.grid
    with pdfplumber.open(io.BytesIO(built.pdf)) as document:
        pdf_page = document.pages[0]
        shaded = [r for r in pdf_page.rects if r["non_stroking_color"] not in ((0.0,), (1.0,))]
        shaded = [r for r in shaded if r["fill"] and r["non_stroking_color"] != (0.0, 0.0, 0.0)]
        (box,) = [r for r in shaded if r["width"] > grid.column_width]
        page_chars = pdf_page.chars
    inside = [
        c
        for c in page_chars
        if box["x0"] <= c["x0"] and c["x1"] <= box["x1"] and box["top"] <= c["top"]
        if c["bottom"] <= box["bottom"]
    ]
    text = squeezed("".join(c["text"] for c in inside))
    article = boxed.article
    assert squeezed(article.headline) in text
    assert "".join(b.text for b in article.blocks) in text  # the whole body, inside
    # nothing of it outside: the box holds every glyph of the story, with air to its rule
    rest = "".join(c["text"] for c in page_chars if c not in inside)
    assert "".join(b.text for b in article.blocks)[:20] not in squeezed(rest)
    assert min(c["x0"] for c in inside) - box["x0"] >= grid.em / 2 - 0.5
    assert min(c["top"] for c in inside) - box["top"] >= grid.line / 2

    # each body line sits on the page's baseline grid, as the lines outside the box do: the
    # glyphs' foot (a fixed depth under the baseline) is at one place in the line pitch
    def phase(c: dict) -> float:
        return (c["bottom"] - grid.top) % grid.line

    body = [c for c in page_chars if abs(c["size"] - grid.em) < 0.01 and "Serif" in c["fontname"]]
    outside = [phase(c) for c in body if c not in inside]
    boxed_body = [phase(c) for c in body if c in inside]
    assert len(boxed_body) > 100 and len(outside) > 1000
    reference = outside[0]
    for value in (*outside, *boxed_body):
        assert min(abs(value - reference), grid.line - abs(value - reference)) <= GRID_TOLERANCE


def test_the_logo_and_the_note_come_before_the_body_in_the_text_layer(built):
    lead = module(built, "01-lead.md")
    text = squeezed("".join(c["text"] for c in chars(built.pdf)))
    logo, headline = text.index(LOGO), text.index(squeezed(lead.article.headline))
    note = text.index("编者按：" + squeezed(NOTE))
    body = text.index(lead.article.blocks[0].text[:30])
    assert logo < headline < note < body


def test_print_and_archive_variants_pass_their_checks(page, tmp_path):
    printed = build(page, tmp_path / "x.pdf", options=OutputOptions.from_flags(pdfx="x-4"))
    assert printed.preflight is not None and not printed.preflight.errors
    with pdfplumber.open(io.BytesIO(printed.pdf)) as document:
        tints = {r["non_stroking_color"] for r in document.pages[0].rects if r["fill"]}
    assert (0.0, 0.0, 0.0, 0.1) in {tuple(round(v, 3) for v in t) for t in tints}  # K tint
    archived = build(page, tmp_path / "a.pdf", options=OutputOptions.from_flags(pdfa=True))
    every = chars(archived.pdf)
    (start,) = [
        i for i in range(len(every)) if "".join(c["text"] for c in every[i : i + len(LOGO)]) == LOGO
    ]
    logo = every[start : start + len(LOGO)]
    assert all(c["mcid"] is None and c["tag"] == "Artifact" for c in logo)
    vertical = [c for c in chars(archived.pdf) if c["size"] > 20]
    assert all(c["mcid"] is not None for c in vertical)
    with pikepdf.open(io.BytesIO(archived.pdf)) as pdf:
        mcids = _mcids_in_tree(pdf.Root.StructTreeRoot)
    assert {c["mcid"] for c in vertical} <= mcids  # the headline's text is in its tags


def _mcids_in_tree(node: pikepdf.Object) -> set[int]:
    found: set[int] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        kids = item.get("/K") if isinstance(item, pikepdf.Dictionary) else None
        if kids is None:
            continue
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                found.add(int(kid))
            elif isinstance(kid, pikepdf.Dictionary):
                if "/MCID" in kid:
                    found.add(int(kid.MCID))
                else:
                    stack.append(kid)
    return found


def test_the_alto_has_the_vertical_headline_a_line_a_column(built):
    document = etree.fromstring(alto_xml(built))
    schema("alto-4-4.xsd").assertValid(document)
    heading = module(built, "02-vertical.md").vertical
    lines = [
        "".join(s.get("CONTENT") for s in line.iter(f"{A}String"))
        for line in document.iter(f"{A}TextLine")
        if int(line.get("HEIGHT")) > 3 * int(line.get("WIDTH"))
    ]
    assert lines == ["".join(cells) for cells in heading.lines]


def test_the_layout_file_keeps_a_vertical_headline_and_may_set_it_across(built, page, tmp_path):
    written = dump_layout(built.layout)
    assert re.search(r'"02-vertical.md": \{.*, vertical: true\}', written)
    again = tmp_path / "layout.yaml"
    again.write_text(written, encoding="utf-8")
    rebuilt = load_layout(again, load_page(page))
    assert next(a for a in rebuilt.articles if a.slug == "02-vertical").headline_vertical
    again.write_text(written.replace("vertical: true", "vertical: false"), encoding="utf-8")
    across = load_layout(again, load_page(page))
    assert not next(a for a in across.articles if a.slug == "02-vertical").headline_vertical


def test_a_layout_file_cannot_set_a_photo_storys_headline_vertically(built, page, tmp_path):
    written = dump_layout(built.layout)
    line = next(x for x in written.splitlines() if "04-photo.md" in x)
    bad = tmp_path / "layout.yaml"
    bad.write_text(written.replace(line, line[:-1] + ", vertical: true}"), encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_layout(bad, load_page(page))
    [problem] = raised.value.problems
    assert (problem.file, problem.field) == (bad, "modules.04-photo.md.vertical")
    assert "photo story" in problem.message and problem.line == written.splitlines().index(line) + 1
