"""Page furniture marked `aria-hidden="true"` (render/tags.py) read back from the PDF/A.

A column logo (栏目头) is drawn with its text, background and border as Artifacts
and is in no structure element; the rest of the page is tagged as without it; a
page without the marker is written byte for byte as WeasyPrint writes it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pdfplumber
import pikepdf
import pytest
import weasyprint.document
from weasyprint.pdf import tags as weasy_tags
from weasyprint.pdf.stream import Stream

from layout.compose import compose_page
from layout.options import PDFA
from layout.render import tags
from layout.render.html_to_pdf import render_pdf
from layout.render.template import render_html
from layout.sources.page import load_page
from layout.typeset.normalise import normalise_page
from tests.conftest import SEED

LOGO = "记者手记"
QUOTE = "一句引语"
PAINT = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh"}  # operators that paint a path


def page_html(roles, logo: str) -> str:
    """A module as the page template writes one: a reversed column logo (`logo` its
    attributes), the headline, a boxed (ruled and tinted) story and a pull quote."""
    families = roles["body"].css_families
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>栏目头</title>
<meta name="dcterms.created" content="2024-03-26">
<meta name="dcterms.modified" content="2024-03-26">
<style>
@page {{ size: 300pt 300pt; margin: 0 }}
body {{ font-family: {families} }}
.logo {{ background: #000; color: #fff; border: 0.5pt solid #000; font-size: 10pt }}
.story {{ border: 1pt solid; background: #ddd; padding: 4pt }}
</style></head><body>
<article class="module" style="left:10pt;top:10pt;width:280pt;height:280pt">
  <div class="logo" {logo} style="left:0;top:0;width:50pt;height:14pt"><span>{LOGO}</span></div>
  <div class="head" style="top:20pt;height:24pt"><div><div>今日标题</div></div></div>
  <div class="story" style="left:0;top:50pt;width:280pt;height:120pt">
    <div class="l">第一行正文</div><div class="l">第二行正文</div>
  </div>
  <aside class="pullquote" style="left:0;top:180pt;width:280pt;height:40pt">
    <div class="quote"><div>{QUOTE}</div></div>
  </aside>
</article></body></html>"""


def render(html: str) -> bytes:
    return render_pdf(html, SEED, page=load_page(SEED), target=PDFA).pdf


@pytest.fixture(scope="module")
def marked(roles) -> bytes:
    return render(page_html(roles, 'aria-hidden="true"'))


@pytest.fixture(scope="module")
def unmarked(roles) -> bytes:
    return render(page_html(roles, ""))


@pytest.fixture
def without_artifacts(monkeypatch) -> None:
    """The extension with its new part undone: the Aside alone, as before."""
    for owner, name in (
        (weasyprint.document, "draw_page"),
        (Stream, "marked"),
        (weasy_tags, "_build_box_tree"),
    ):
        monkeypatch.setattr(owner, name, getattr(owner, name))  # restored after the test
    monkeypatch.setattr(tags, "_draw_page", tags._original_draw_page)
    monkeypatch.setattr(tags, "_marked", tags._original_marked)
    monkeypatch.setattr(tags, "_build_box_tree", tags._original_build_box_tree)


def leaves(pdf: bytes) -> list[tuple[str, str]]:
    """Each structure element holding content, in the tree's (reading) order: the path
    of its types from the Document down, and its text."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        text: dict[int, str] = {}
        for char in page.chars:
            if char["mcid"] is not None:
                text[char["mcid"]] = text.get(char["mcid"], "") + char["text"]
        tree = page.structure_tree

    def walk(element: dict, path: str) -> Iterator[tuple[str, str]]:
        path = f"{path}/{element['type']}"
        if element.get("mcids"):
            yield path, "".join(text.get(mcid, "") for mcid in element["mcids"])
        for child in element.get("children", []):
            yield from walk(child, path)

    return [leaf for element in tree for leaf in walk(element, "")]


def marked_content(pdf: bytes) -> tuple[list[int], dict[str, list[str]]]:
    """The page's MCIDs in stream order, and for each operator that shows text or paints
    a path, the tags of the marked content it is in (outermost first).  Fails on a
    marked-content sequence that is not properly nested."""
    mcids, inside = [], {"text": [], "paint": []}
    stack: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for operands, operator in pikepdf.parse_content_stream(document.pages[0]):
            op = str(operator)
            if op in {"BMC", "BDC"}:
                stack.append(str(operands[0]))
                if op == "BDC" and "/MCID" in operands[1]:
                    mcids.append(int(operands[1].MCID))
            elif op == "EMC":
                assert stack, "EMC without BMC/BDC"
                stack.pop()
            elif op in {"Tj", "TJ", "'", '"'}:
                inside["text"].append("/".join(stack))
            elif op in PAINT:
                inside["paint"].append("/".join(stack))
    assert not stack, "marked content left open"
    return mcids, inside


def parent_tree(pdf: bytes) -> list[list[int]]:
    """For each entry of the page's ParentTree array (index = MCID), the MCIDs its
    structure element holds."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        page = document.pages[0].obj.StructParents
        (entry,) = [nums[i + 1] for i in range(0, len(nums), 2) if nums[i] == page]
        return [[int(k) for k in element.K if isinstance(k, int)] for element in entry]


def test_the_logo_text_is_an_artifact_in_no_structure_element(marked, unmarked):
    for pdf in (marked, unmarked):
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            chars = document.pages[0].chars
        logo = [c for c in chars if abs(c["size"] - 10) < 0.01]
        assert "".join(c["text"] for c in logo) == LOGO  # pdfplumber extracts it either way
        if pdf is marked:
            assert {(c["tag"], c["mcid"]) for c in logo} == {("Artifact", None)}
        else:
            assert {c["tag"] for c in logo} == {"Span"}
    assert LOGO not in "".join(text for _, text in leaves(marked))
    assert LOGO in "".join(text for _, text in leaves(unmarked))
    mcids, inside = marked_content(marked)
    assert inside["text"].count("/Artifact") == 1  # the logo's one text run
    assert all(path.endswith("/Span") for path in inside["text"] if path != "/Artifact")
    # every MCID drawn is in the ParentTree at its own index, and no other
    entries = parent_tree(marked)
    assert sorted(mcids) == list(range(len(entries)))
    assert all(mcid in entries[mcid] for mcid in mcids)


def test_the_logo_rule_and_tint_are_artifacts(marked):
    with pdfplumber.open(io.BytesIO(marked)) as document:
        page = document.pages[0]
        (logo_char, *_) = [c for c in page.chars if c["text"] == LOGO[0]]
        shapes = page.rects + page.lines + page.curves
    around = [
        s
        for s in shapes
        if s["x0"] <= logo_char["x0"] and s["top"] <= logo_char["top"] and s["bottom"] < 30
    ]
    assert len(around) >= 2  # the black ground and its border
    assert {(s["tag"], s["mcid"]) for s in around} == {("Artifact", None)}


def test_unmarked_siblings_are_tagged_as_before(marked, unmarked):
    before = [leaf for leaf in leaves(unmarked) if leaf[1] != LOGO]
    assert len(before) == len(leaves(unmarked)) - 1  # the logo was one leaf of its own
    assert leaves(marked) == before
    texts = "".join(text for _, text in before)
    for piece in ("今日标题", "第一行正文", "第二行正文", QUOTE):
        assert piece in texts
    with pikepdf.open(io.BytesIO(marked)) as document:
        root = document.Root.StructTreeRoot
        assert root.RoleMap.Aside == pikepdf.Name.Note  # the pull quote is still an Aside
    # pdfplumber reads the Aside through the RoleMap
    assert ("/Document/Art/Note/Div/Div/Span", QUOTE) in leaves(marked)


def test_borders_and_backgrounds_of_unmarked_elements_are_already_artifacts(unmarked):
    """WeasyPrint's own: a boxed story needs no marker for its rule and tint."""
    _, inside = marked_content(unmarked)
    assert len(inside["paint"]) >= 6  # the logo's, the story's ground and border, two rules
    assert set(inside["paint"]) == {"/Artifact"}
    with pdfplumber.open(io.BytesIO(unmarked)) as document:
        shapes = document.pages[0].rects
    tint = [s for s in shapes if s["non_stroking_color"] == pytest.approx((13 / 15,) * 3)]
    assert tint and {s["tag"] for s in tint} == {"Artifact"}


def test_the_marked_page_is_still_the_archive_s_pdfa(marked):
    """What tests/test_archive.py checks of a --pdfa page."""
    with pikepdf.open(io.BytesIO(marked)) as pdf:
        assert pdf.pdf_version == "1.7"
        assert [intent.S for intent in pdf.Root.OutputIntents] == ["/GTS_PDFA1"]
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "B")
        assert pdf.Root.Lang == "zh-CN"
        assert pdf.Root.MarkInfo.Marked
        assert pdf.Root.StructTreeRoot.Type == "/StructTreeRoot"


def test_undoing_the_new_part_tags_the_logo_again(roles, marked, unmarked, without_artifacts):
    """The comparison below can fail: without the new part the marker changes nothing."""
    plain = render(page_html(roles, 'aria-hidden="true"'))
    assert plain != marked
    assert leaves(plain) == leaves(unmarked)


@pytest.mark.slow
def test_a_page_without_the_marker_is_written_as_before(roles, request):
    page = normalise_page(load_page(SEED))
    html = render_html(page, compose_page(page, roles), roles)
    assert "aria-hidden" not in html

    def build() -> bytes:
        return render_pdf(html, SEED, page=load_page(SEED), target=PDFA).pdf

    extended = build()
    request.getfixturevalue("without_artifacts")
    assert build() == extended


def test_install_is_idempotent(roles, unmarked):
    tags.install()
    tags.install()
    assert Stream.marked is tags._marked
    assert weasy_tags._build_box_tree is tags._build_box_tree
    assert render(page_html(roles, "")) == unmarked
