"""End to end: build the seed page and read the PDF back, as a print professional would.

These tests measure the PDF with pdfplumber and pikepdf directly, not through
the build's own check stage, so a bug in the checker cannot hide a bad page.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata

import pdfplumber
import pikepdf
import pytest

from layout.grid import MM
from layout.pipeline import build
from tests.conftest import SEED

NO_LINE_START = set("，。、；：？！）》」』”’")
NO_LINE_END = set("（《「『“‘")


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    output = tmp_path_factory.mktemp("seed") / "page.pdf"
    result = build(SEED, output)
    with pdfplumber.open(output) as pdf:
        page = pdf.pages[0]
        chars = page.chars
        size = (page.width, page.height)
    return result, output, chars, size


def is_han(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and char.isalpha()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_page_is_tabloid_size(seed):
    _, _, _, (width, height) = seed
    assert abs(width / MM - 270) < 0.5
    assert abs(height / MM - 390) < 0.5


def test_every_font_is_embedded_as_a_subset(seed):
    _, output, _, _ = seed
    names = []
    with pikepdf.open(output) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            names.append(str(font.BaseFont))
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in names), names
    assert any("Serif-CJK-SC" in n for n in names) and any("WenKai" in n for n in names)


def test_every_paragraph_of_the_source_is_in_the_text_layer(seed):
    result, _, chars, _ = seed
    printed = squeeze("".join(c["text"] for c in chars))
    page = result.page
    pieces = [page.banner.title, *page.lede, *page.credits.lines]
    for article in page.articles:
        pieces += [article.headline, article.subhead]
        pieces += [block.text for block in article.blocks]
    for piece in pieces:
        assert squeeze(piece) in printed, piece[:30]


def test_source_text_reads_as_the_original_printed_page(seed):
    """Paragraphs split at column breaks are joined; half-width marks became full-width."""
    _, _, chars, _ = seed
    printed = squeeze("".join(c["text"] for c in chars))
    assert "包头市发改委党组书记" in printed
    assert "协同发展，共享创新，共筑未来。" in printed
    assert "包头：携手并进" in printed
    for kept in ("1+1>2", "2024年", "30余家"):
        assert kept in printed
    assert not re.search(r"[\u4e00-\u9fff][,:;][\u4e00-\u9fff]", printed)


def body_lines(result, chars):
    """The printed lines of each module's body columns, from glyph positions."""
    grid = result.layout.grid
    for module in result.layout.modules:
        for index in range(len(module.columns)):
            left = grid.x(module.box.column + index)
            right = left + grid.column_width
            top = grid.y(module.body_row)
            bottom = grid.y(module.box.row + module.box.rows)
            inside = [
                c
                for c in chars
                if left - 1 <= (c["x0"] + c["x1"]) / 2 <= right + 1 and top <= c["top"] < bottom
            ]
            rows: dict[float, list] = {}
            for c in inside:
                rows.setdefault(round(c["top"], 1), []).append(c)
            yield (
                module,
                left,
                right,
                [sorted(r, key=lambda c: c["x0"]) for _, r in sorted(rows.items())],
            )


def test_body_lines_are_flush_on_both_edges_except_paragraph_ends(seed):
    result, _, chars, _ = seed
    em = result.layout.grid.em
    measured = flush = 0
    for module, left, right, lines in body_lines(result, chars):
        paragraph_ends = {
            row.line.text for column in module.columns for row in column if row.line.final
        }
        for line in lines:
            text = "".join(c["text"] for c in line)
            indent = 2 * em if abs(line[0]["x0"] - left - 2 * em) < 0.3 else 0.0
            assert abs(line[0]["x0"] - left - indent) < 0.3, text
            if text in paragraph_ends:
                continue
            measured += 1
            last = line[-1]
            # a closing mark at the end of a line is set half-width (its ink is in the left half)
            end = last["x0"] + em / 2 if last["text"] in NO_LINE_START else last["x1"]
            flush += abs(end - right) < 0.3
    assert measured > 150
    assert flush == measured


def test_no_line_starts_or_ends_with_a_prohibited_mark(seed):
    result, _, chars, _ = seed
    for _, _, _, lines in body_lines(result, chars):
        for line in lines:
            assert line[0]["text"] not in NO_LINE_START
            assert line[-1]["text"] not in NO_LINE_END


def test_body_text_layer_is_exactly_the_article_text(seed):
    """Copy-paste gives the article: no character added, dropped or moved, no spaces."""
    result, _, chars, _ = seed
    printed: dict[str, str] = {}
    for module, _, _, lines in body_lines(result, chars):
        slug = module.article.slug
        printed[slug] = printed.get(slug, "") + "".join(c["text"] for line in lines for c in line)
    for article in result.page.articles:
        assert printed[article.slug] == "".join(block.text for block in article.blocks)
        assert not re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", printed[article.slug])


def test_body_text_sits_on_the_line_grid(seed):
    result, _, chars, _ = seed
    grid = result.layout.grid
    offsets = set()
    for _, _, _, lines in body_lines(result, chars):
        offsets.update(round((line[0]["top"] - grid.top) % grid.line, 1) for line in lines)
        tops = [line[0]["top"] for line in lines]
        for a, b in itertools.pairwise(tops):
            assert b - a == pytest.approx(grid.line, abs=0.05)
    assert len(offsets) == 1, offsets  # every body line on the same baseline grid


def test_the_page_is_full(seed):
    """Every column's text runs down to within three lines of the foot of the type area."""
    result, _, chars, _ = seed
    grid = result.layout.grid
    credits = result.layout.credits
    foot = grid.y(credits.row if credits else grid.rows)
    for column in range(grid.columns):
        left = grid.x(column)
        bottoms = [
            c["bottom"]
            for c in chars
            if left <= (c["x0"] + c["x1"]) / 2 <= left + grid.column_width and c["bottom"] < foot
        ]
        assert foot - max(bottoms) < 3 * grid.line + 1, column


def test_build_is_reproducible(seed, tmp_path):
    _, output, _, _ = seed
    again = tmp_path / "again.pdf"
    build(SEED, again)
    assert again.read_bytes() == output.read_bytes()


def test_pdf_metadata(seed):
    _, output, _, _ = seed
    with pikepdf.open(output) as pdf:
        title = str(pdf.docinfo["/Title"])
    assert "包头日报" in title and "第5版" in title


def test_report_measures_the_page(seed):
    result, _, _, _ = seed
    report = result.report
    assert report.lines > 150
    assert report.flush == report.justified
    assert not report.problems
    assert len(io.BytesIO(result.pdf).getvalue()) > 10_000
