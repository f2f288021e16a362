"""Ads on the page: booked boxes on the grid, the copy fitted around them, read back from the PDF.

The pages are tests/ad_edition.py's: a front page with an ear ad beside the
masthead and a full-width PDF ad at the foot, and an inner page with a
3-column PNG ad in its bottom right corner.  They are built as the edition
builds them (page 1 jumps to page 3), and every figure is measured in the PDF.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from layout.compose.ads import plan_ads
from layout.errors import SourceError
from layout.model.grid import MM, Grid
from layout.pipeline import Build, build
from layout.sources.page import load_page
from tests.ad_edition import write_edition
from tests.adart import CLIENT, ad_boxes
from tests.test_layout_properties import assert_meets_the_rules

TOLERANCE = 0.5  # pt
ROOT = Path(__file__).resolve().parent.parent
PDFX = ("--report", "report.json", "--pdfx")


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_edition(tmp_path_factory.mktemp("ads"))


@pytest.fixture(scope="module")
def pages(edition: Path) -> dict[int, Build]:
    """Pages 1 and 3 as the edition builds them: 1 sends its lead's rest to 3."""
    front = build(edition / "p1", jumps={"01-story": 3})
    inner = build(edition / "p3", continued=front.continuations)
    return {1: front, 3: inner}


def test_a_full_width_ad_takes_its_lines_off_the_foot_with_a_rule_above(edition: Path) -> None:
    page = load_page(edition / "p1")
    grid = Grid.for_format("tabloid", masthead=True)
    plan = plan_ads(page, grid, 0, grid.rows - 2)
    bottom = next(p for p in plan.placed if p.ad.at == "bottom")
    rows = math.ceil(50 * MM / grid.line)
    assert bottom.box is not None and (bottom.box.rows, bottom.box.columns) == (rows, 5)
    assert bottom.box.row + rows == grid.rows - 2  # on the credits
    assert plan.bottom == bottom.box.row - 1 and ("h", bottom.box) not in plan.rules
    assert plan.rules == [("h", replace(bottom.box, row=plan.bottom, rows=1))]
    assert not plan.pins  # a full-width ad is no pin: the strips end above it
    x, y, width, height = bottom.art
    assert (width, height) == pytest.approx((page.ads[1].width_mm * MM, 50 * MM))
    fx, fy, fw, fh = bottom.frame
    assert x - fx == pytest.approx(fx + fw - x - width) and y - fy == pytest.approx(
        fy + fh - y - height
    )


def test_a_narrower_ad_is_pinned_in_its_corner(edition: Path) -> None:
    page = load_page(edition / "p3")
    grid = Grid.for_format("tabloid")
    plan = plan_ads(page, grid, 6, grid.rows - 2)
    ((key, box),) = plan.pins.items()
    assert key == "ad:1" and (box.column, box.columns) == (2, 3)
    assert box.row + box.rows == grid.rows - 2 and plan.bottom == grid.rows - 2


def test_two_ads_in_one_corner_overlap_and_the_second_is_named(edition: Path) -> None:
    page = load_page(edition / "p3")
    twice = replace(page, ads=(page.ads[0], replace(page.ads[0], index=2, line_no=30)))
    grid = Grid.for_format("tabloid")
    with pytest.raises(SourceError) as raised:
        plan_ads(twice, grid, 6, grid.rows - 2)
    (problem,) = raised.value.problems
    assert problem.line == 30 and problem.field == "ads[1]"
    assert problem.message.startswith("ad 2 (books.png, 鹿城书店): overlaps ad 1")


def art_of(build_: Build, index: int) -> tuple[float, float, float, float]:
    return next(p.art for p in build_.layout.ads if p.ad.index == index)


def images(pdf: bytes) -> list[tuple[float, float, float, float]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        return [(i["x0"], i["top"], i["x1"] - i["x0"], i["bottom"] - i["top"]) for i in page.images]


def close(a, b) -> bool:
    return all(abs(x - y) <= TOLERANCE for x, y in zip(a, b, strict=True))


@pytest.mark.slow
def test_each_ads_artwork_is_its_booked_size_inside_its_box(pages: dict[int, Build]) -> None:
    front, inner = pages[1], pages[3]
    for built in (front, inner):
        for placed in built.layout.ads:
            x, y, width, height = placed.art
            fx, fy, fw, fh = placed.frame
            assert (width, height) == pytest.approx(
                (placed.ad.width_mm * MM, placed.ad.height_mm * MM)
            )
            assert fx <= x and x + width <= fx + fw and fy <= y and y + height <= fy + fh
    assert close(ad_boxes(front.pdf)["Ad2"], art_of(front, 2))  # the PDF ad, as a form
    assert any(close(box, art_of(front, 1)) for box in images(front.pdf))  # the ear, a PNG
    assert any(close(box, art_of(inner, 1)) for box in images(inner.pdf))


def glyphs_in(pdf: bytes, rect: tuple[float, float, float, float]) -> str:
    x, y, width, height = rect
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = document.pages[0].chars
    return "".join(
        c["text"]
        for c in chars
        if x <= (c["x0"] + c["x1"]) / 2 <= x + width
        and y <= (c["top"] + c["bottom"]) / 2 <= y + height
    )


@pytest.mark.slow
def test_a_pdf_ads_text_is_still_text_and_no_copy_falls_inside_an_ad(
    pages: dict[int, Build],
) -> None:
    front, inner = pages[1], pages[3]
    assert glyphs_in(front.pdf, art_of(front, 2)) == CLIENT
    for built in (front, inner):
        for placed in built.layout.ads:
            own = CLIENT if placed.ad.kind == "pdf" else ""
            own += "广告" if placed.box is None else ""  # the ear's label is under its artwork
            assert glyphs_in(built.pdf, placed.frame) == own, placed.ad.name


@pytest.mark.slow
def test_a_rule_and_a_label_mark_every_ad(pages: dict[int, Build]) -> None:
    for built in pages.values():
        for placed in built.layout.ads:
            x, _, width, _ = placed.frame
            label = (x, placed.label_top, width, built.layout.grid.line)
            assert glyphs_in(built.pdf, label) == "广告", placed.ad.name
        for placed in (p for p in built.layout.ads if p.box is not None):
            above = replace(placed.box, row=placed.box.row - 1, rows=1)
            ruled = [b for kind, b in built.layout.rules if kind == "h"]
            assert any(
                b.row == above.row
                and b.column <= above.column
                and b.column + b.columns >= above.column + above.columns
                for b in ruled
            ), placed.ad.name


@pytest.mark.slow
def test_the_pages_around_the_ads_keep_every_rule_of_make_up(pages: dict[int, Build]) -> None:
    """No clipped paragraph, no glyph outside a box, level columns, no hole, no overlap, no
    tombstone: the same rules as every generated page, read back from these two."""
    for built in pages.values():
        assert_meets_the_rules(built)


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["x-4", "x-1a"])
def test_the_edition_prints_through_its_own_preflight(tmp_path: Path, variant: str) -> None:
    """Built as a user builds it (relative paths, a fresh process): every page passes the
    plant's preflight, the PNG ads separated to CMYK, the PDF ad still at its booking."""
    write_edition(tmp_path / "edition")
    run = subprocess.run(
        [sys.executable, str(ROOT / "build_pdf.py"), "edition", "-o", "out", "-q", *PDFX, variant],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [p["status"] for p in report["pages"]] == ["built"] * 3
    assert all(p["preflight"]["errors"] == 0 for p in report["pages"])
    front = (tmp_path / "out" / "01-p1.pdf").read_bytes()
    page = load_page(tmp_path / "edition" / "p1")
    (box,) = ad_boxes(front).values()
    assert box[2:] == pytest.approx(
        (page.ads[1].width_mm * MM, page.ads[1].height_mm * MM), abs=TOLERANCE
    )
    with pdfplumber.open(io.BytesIO(front)) as document:
        spaces = {
            image["colorspace"][0] if isinstance(image["colorspace"], list) else image["colorspace"]
            for image in document.pages[0].images
        }
        assert "（下转第3版）" in document.pages[0].extract_text().replace(" ", "")
    assert all("RGB" not in str(space) for space in spaces), spaces
