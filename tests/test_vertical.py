"""Vertical headlines (竖排标题): the cells and line breaks of typeset/vertical.py, and
the macro of render/templates/vertical.html.j2 drawn by the pinned WeasyPrint and
read back from the PDF: upright Han one em apart, punctuation in the font's
vertical forms, two digits across one em, the text layer in reading order."""

from __future__ import annotations

import io
import itertools
import re

import pikepdf
import pytest
import weasyprint
from hypothesis import given
from hypothesis import strategies as st

from layout.render.html_to_pdf import STYLES, STYLESHEETS, weasyprint_records
from layout.render.template import environment
from layout.typeset.linebreak import display_pieces
from layout.typeset.measure import PHRASE_SPACE
from layout.typeset.units import CLOSING, NO_START_OTHER, OPENING, STOPS
from layout.typeset.vertical import LINE_GAP, VerticalHeading, cells, vertical_heading
from layout.verify.pdfread import Glyph, read_glyphs

HEADLINE = "城中“口袋公园”，装下居民幸福感24小时"
NO_START = CLOSING | STOPS | NO_START_OTHER


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("幸福感24小时", ("幸", "福", "感", "24", "小", "时")),
        ("第5版", ("第", "5", "版")),
        ("2024年", ("2", "0", "2", "4", "年")),
        ("口袋 公园", ("口", "袋", "", "公", "园")),
        ("GDP 增长 5%", ("G", "D", "P", "增", "长", "5", "%")),
        ("“口袋”，", ("“", "口", "袋", "”", "，")),
    ],
)
def test_cells(text, expected):
    assert cells(text) == expected


def test_the_largest_size_that_fits_is_taken():
    v = vertical_heading(HEADLINE, "headline", (48, 40, 36), 200, 12 * 36)
    assert v is not None
    # 19 cells: no single line of them fits 12 ems; at 48 pt the taller of two
    # lines (10 cells) is 480 pt, over the 432 pt height
    assert (v.size, [len(line) for line in v.lines]) == (40, [9, 10])
    assert (v.width, v.height) == (40 * (2 + LINE_GAP), 400)
    assert v.text == HEADLINE


def test_a_break_after_a_pause_is_preferred_to_an_equally_tall_one():
    v = vertical_heading(HEADLINE, "headline", (40,), 200, 10 * 40)
    assert v is not None
    assert v.lines[0][-1] == "，"  # not 城中“口袋公园”，装 / 下居民…, as tall


def test_no_line_starts_with_a_closing_mark():
    v = vertical_heading("城中“口袋公园”装下居民幸福感", "headline", (20,), 100, 8 * 20)
    assert v is not None
    assert ["".join(line) for line in v.lines] == ["城中“口袋公园”", "装下居民幸福感"]


def test_lines_break_at_phrase_spaces_before_a_larger_size_between_characters():
    text = "口袋公园 装下居民幸福感"
    v = vertical_heading(text, "headline", (40, 30), 200, 6 * 40)
    assert v is not None
    assert (v.size, ["".join(line) for line in v.lines]) == (30, ["口袋公园", "装下居民幸福感"])
    assert v.text == "口袋公园装下居民幸福感"  # the break takes the phrase space's place


def test_a_phrase_space_inside_a_line_is_an_empty_em():
    v = vertical_heading("口袋公园 装下", "headline", (30,), 30, 7 * 30)
    assert v is not None
    assert v.lines == (("口", "袋", "公", "园", "", "装", "下"),)
    assert v.text == "口袋公园 装下"


def test_the_width_limits_the_number_of_lines():
    assert vertical_heading(HEADLINE, "headline", (40,), 80, 10 * 40) is None  # two need 90
    v = vertical_heading(HEADLINE, "headline", (40, 20), 80, 10 * 40)
    assert v is not None and (v.size, len(v.lines)) == (20, 1)


def test_nothing_to_set_or_no_size_that_fits_is_none():
    assert vertical_heading("   ", "headline", (40,), 200, 400) is None
    assert vertical_heading(HEADLINE, "headline", (40,), 200, 400, max_lines=1) is None
    assert vertical_heading(HEADLINE, "headline", (), 200, 400) is None


# --- properties ---------------------------------------------------------------

CHARS = st.sampled_from(
    sorted(set("城中口袋公园装下居民幸福感小时第版年々") | OPENING | CLOSING | STOPS)
    + list("0123456789GDPx —…")
)
TEXTS = st.text(CHARS, min_size=1, max_size=24)
SIZES = st.lists(st.sampled_from([12.0, 18.0, 24.0, 36.0, 48.0]), min_size=1, unique=True)


@given(TEXTS)
def test_every_character_is_in_the_cells_once_in_order(text):
    assert "".join(cells(text)) == re.sub(r"\s", "", text)
    assert cells(text).count("") == len(PHRASE_SPACE.findall(text))
    for cell in cells(text):
        assert len(cell) <= 1 or re.fullmatch(r"[0-9]{2}", cell)


def fits_somehow(text: str, size: float, width: float, height: float, max_lines: int) -> bool:
    """Whether any split of `text` at display-line breaks sets within the box: every
    partition of its pieces tried, each line counted in ems as it prints."""
    pieces = display_pieces(text)
    for count in range(1, max_lines + 1):
        if size * (count * (1 + LINE_GAP) - LINE_GAP) > width + 1e-6:
            break
        for cuts in itertools.combinations(range(1, len(pieces)), count - 1):
            bounds = (0, *cuts, len(pieces))
            ems = [len(cells("".join(pieces[a:b]))) for a, b in itertools.pairwise(bounds)]
            if all(ems) and max(ems) * size <= height + 1e-6:
                return True
    return False


@given(
    TEXTS,
    SIZES,
    st.floats(10, 200),
    st.floats(10, 600),
    st.integers(1, 3),
)
def test_vertical_headings_fit_and_obey_the_line_rules(text, sizes, width, height, max_lines):
    v = vertical_heading(text, "headline", tuple(sizes), width, height, max_lines=max_lines)
    fitting = [s for s in sizes if fits_somehow(text, s, width, height, max_lines)]
    assert (v is None) == (not fitting)
    if v is None:
        return
    assert v.size in sizes and len(v.lines) <= max_lines
    assert v.width <= width + 1e-6
    assert all(len(line) * v.size <= height + 1e-6 for line in v.lines)
    assert "".join(itertools.chain(*v.lines)) == re.sub(r"\s", "", text)
    for line in v.lines:
        assert line[0] and line[-1], line  # no phrase space at either end
    for above, below in itertools.pairwise(v.lines):  # the rules of a break
        assert above[-1] not in OPENING and below[0] not in NO_START, (above, below)
    if not PHRASE_SPACE.search(text):
        assert v.size == max(fitting)


# --- the macro ----------------------------------------------------------------


def vertical_macro():
    return environment().get_template("vertical.html.j2").module.vertical


def test_the_macro_escapes_and_adds_no_whitespace():
    v = VerticalHeading("headline", 20.0, (("<", "b", ">", "&"),))
    html = str(vertical_macro()(v, 10, 20))
    assert "&lt;" in html and "&amp;" in html and "<b>" not in html
    assert not re.search(r">\s+<", html) and "\n" not in html


# --- drawn by WeasyPrint ------------------------------------------------------

SIZE = 40.0
MODULE = (30.0, 40.0)  # the module's top left on the page
AT = (15.0, 10.0)  # the headline's top left in the module
SECOND = "口袋公园 新增GDP2024"  # a phrase space, upright Latin letters and digits
SECOND_SIZE = 24.0
SECOND_AT = (150.0, 10.0)
HORIZONTAL = "，“"


def glyph_ids(pdf: bytes) -> list[int]:
    """The glyph id of every character the first page draws, in content-stream order
    (WeasyPrint's fonts are Identity-H with the font's own glyph ids)."""
    ids = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        for font in page.Resources.Font.values():
            assert (font.Encoding, font.DescendantFonts[0].CIDToGIDMap) == (
                "/Identity-H",
                "/Identity",
            )
        for operands, operator in pikepdf.parse_content_stream(page, "Tj TJ"):
            shown = [operands[0]] if str(operator) == "Tj" else list(operands[0])
            for item in shown:
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    ids.extend(int.from_bytes(data[i : i + 2]) for i in range(0, len(data), 2))
    return ids


@pytest.fixture(scope="module")
def drawn(roles):
    """The headline (two lines at 40 pt) and SECOND (one line) in a module, and
    HORIZONTAL set across below them: (headline, second, glyphs, glyph ids, pdf)."""
    v = vertical_heading(HEADLINE, "headline", (SIZE,), 200, 10 * SIZE)
    second = vertical_heading(SECOND, "headline", (SECOND_SIZE,), 30, 20 * SECOND_SIZE)
    assert v is not None and len(v.lines) == 2 and second is not None
    macro = vertical_macro()
    role_css = "".join(
        f".role-{name}{{font-family:{role.css_families};font-weight:{role.weight}}}"
        for name, role in roles.items()
    )
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
        f"@page{{size:400pt 700pt;margin:0}}{role_css}</style></head><body>"
        f'<article class="module" style="left:{MODULE[0]}pt;top:{MODULE[1]}pt;'
        f'width:300pt;height:520pt">{macro(v, *AT)}{macro(second, *SECOND_AT)}</article>'
        f'<div class="role-headline" style="left:30pt;top:600pt;font-size:{SIZE}pt">'
        f"{HORIZONTAL}</div></body></html>"
    )
    sheets = dict.fromkeys((*STYLESHEETS, "vertical.css"))
    with weasyprint_records() as records:
        pdf = weasyprint.HTML(string=html).write_pdf(
            stylesheets=[weasyprint.CSS(filename=STYLES / name) for name in sheets]
        )
    assert not records
    glyphs = read_glyphs(pdf)[1]
    ids = glyph_ids(pdf)
    assert len(ids) == len(glyphs)
    return v, second, glyphs, ids, pdf


def headline_glyphs(drawn) -> list[Glyph]:
    v, _, glyphs, _, _ = drawn
    return glyphs[: len(v.text)]


def line_x(v: VerticalHeading, index: int, at: tuple[float, float] = AT) -> float:
    return MODULE[0] + at[0] + v.width - v.size * (1 + index * (1 + LINE_GAP))


@pytest.mark.slow
def test_the_text_layer_reads_the_headline_in_order(drawn):
    _, _, glyphs, _, _ = drawn
    printed = "".join(g.text for g in glyphs)
    assert printed == (HEADLINE + SECOND + HORIZONTAL).replace(" ", "")


@pytest.mark.slow
def test_han_glyphs_stand_in_their_line_one_em_apart(drawn):
    v = drawn[0]
    glyphs = iter(headline_glyphs(drawn))
    tops = []
    for index, line in enumerate(v.lines):
        cell_of = [n for n, cell in enumerate(line) for _ in cell]  # each glyph's cell
        line_glyphs = [next(glyphs) for _ in cell_of]
        first = line_glyphs[0]
        for glyph, n in zip(line_glyphs, cell_of, strict=True):
            if "\u4e00" <= glyph.text <= "\u9fff":
                assert abs(glyph.left - line_x(v, index)) < 0.5, glyph
                # every cell is an em: a glyph is as many ems below the first as cells above
                assert abs(glyph.top - first.top - n * v.size) < 0.5, glyph
        tops.append(first.top)
    assert abs(tops[0] - tops[1]) < 0.5  # the lines hang from one top


@pytest.mark.slow
def test_punctuation_is_drawn_in_its_vertical_forms(drawn):
    v, _, glyphs, ids, _ = drawn
    vertical = {g.text: gid for g, gid in zip(glyphs[: len(v.text)], ids, strict=False)}
    across = dict(zip(HORIZONTAL, ids[-len(HORIZONTAL) :], strict=True))
    assert "".join(g.text for g in glyphs[-len(HORIZONTAL) :]) == HORIZONTAL
    for mark in HORIZONTAL:
        assert vertical[mark] != across[mark], mark
    # a Han character is the same glyph either way: only the marks changed form
    assert len({gid for g, gid in zip(glyphs, ids, strict=True) if g.text == "城"}) == 1


@pytest.mark.slow
def test_two_digits_share_one_em_centred_on_their_line(drawn):
    v = drawn[0]
    glyphs = headline_glyphs(drawn)
    index = next(i for i, line in enumerate(v.lines) if "24" in line)
    two, four = (g for g in glyphs if g.text in "24")
    before = next(g for g in glyphs if g.text == "感")
    assert four.right - two.left <= v.size + 0.5
    middle = line_x(v, index) + v.size / 2
    assert abs((two.left + four.right) / 2 - middle) < 0.5
    assert abs(two.top - four.top) < 0.5
    assert abs(two.top - before.top - v.size) < 0.5  # the cell after 感


@pytest.mark.slow
def test_upright_latin_and_a_phrase_space_take_an_em_each(drawn):
    v, second, glyphs, _, _ = drawn
    drawn_second = glyphs[len(v.text) : len(v.text) + len(second.text.replace(" ", ""))]
    x = line_x(second, 0, SECOND_AT)
    cell = [i for i, c in enumerate(second.lines[0]) if c]  # the ems that print
    top = drawn_second[0].top
    for glyph, n in zip(drawn_second, cell, strict=True):
        assert abs(glyph.left - x) < 0.5 and abs(glyph.right - (x + second.size)) < 0.5, glyph
        assert abs(glyph.top - top - n * second.size) < 0.5, glyph
