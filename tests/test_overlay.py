"""What the live proof draws over a page, computed from a build: modules, ads, jumps, findings."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from layout.live.overlay import linked, overlay
from layout.model.document import Ad, Jump
from layout.model.grid import MM
from layout.model.layout import Box, Layout, PlacedAd
from layout.pipeline import build
from layout.typeset.fonts import load_roles
from tests.conftest import SEED
from tests.pagegen import Spec, write_page

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'


@pytest.fixture(scope="module")
def seed_overlay():
    result = build(SEED)
    return result, overlay(result, load_roles())


def test_every_module_is_drawn_with_its_figures(seed_overlay):
    result, drawn = seed_overlay
    grid = result.layout.grid
    assert drawn["page"] == pytest.approx(list(grid.page_size), abs=0.01)
    assert len(drawn["grid"]["columns"]) == grid.columns
    for module, info in zip(result.layout.modules, drawn["modules"], strict=True):
        assert info["file"] == module.article.file.name
        assert info["box"][1] == pytest.approx(grid.y(module.box.row), abs=0.01)
        assert info["lines_used"] == sum(len(column) for column in module.columns)
        assert 0 < info["lines_used"] <= info["lines_available"]
    assert drawn["findings"] == []  # the seed page is clean


def test_a_coarse_photo_and_a_fallback_character_are_drawn_where_they_are(tmp_path):
    specs = [Spec(758), Spec(632, 1), Spec(505), Spec(379)]  # a tabloid page that fits
    page = write_page(tmp_path / "page", specs, seed=2)
    (photo,) = page.glob("*.jpg")
    with Image.open(photo) as picture:
        picture.resize((picture.width // 3, picture.height // 3)).save(photo)
    article = page / "03-story.md"
    article.write_text(article.read_text(encoding="utf-8").replace("。", "𠀀。", 1), "utf-8")
    result = build(page)
    findings = overlay(result, load_roles())["findings"]
    by_kind = {finding["kind"]: finding for finding in findings}
    assert sorted(by_kind) == ["font", "photo"]
    holder = next(m for m in result.layout.modules if m.article.images)
    placed = holder.images[0]
    assert by_kind["photo"]["box"][1] == pytest.approx(result.layout.grid.y(placed.row), abs=0.01)
    assert "under 150 ppi" in by_kind["photo"]["message"]
    assert "𠀀" in by_kind["font"]["message"] and "HanaMinA" in by_kind["font"]["message"]
    module = next(m for m in result.layout.modules if m.article.file.name == "03-story.md")
    assert by_kind["font"]["box"][1] == pytest.approx(
        result.layout.grid.y(module.box.row), abs=0.01
    )


def booked_on(layout: Layout, client: str | None, row: int | None) -> PlacedAd:
    """An ad as the composer would place it: full width over the bottom lines (or, with no
    row, in the masthead band), booked at the width of its columns and a height in mm."""
    grid = layout.grid
    columns = grid.columns if row is not None else 2
    rows = 8
    width_mm, height_mm = grid.span_width(columns) / MM, rows * grid.line / MM - 1.3
    ad = Ad(
        Path("ad.pdf") if client else Path("ear-ad.png"),
        "pdf" if client else "png",
        "通栏" if row is not None else "2栏",
        columns,
        width_mm,
        height_mm,
        "bottom" if row is not None else "ear",
        client,
        line_no=12,
        index=1 if client else 2,
    )
    box = Box(0, columns, row, rows) if row is not None else None
    y = grid.y(row) if row is not None else 20.0
    frame = (grid.x(0), y, grid.span_width(columns), rows * grid.line)
    art = (frame[0], frame[1], width_mm * MM, height_mm * MM)
    return PlacedAd(ad, box, frame, art, label_top=frame[1])


def with_jumps(layout: Layout, *, to: Jump, came_from: int) -> Layout:
    first, second, *others = layout.modules
    jumped = replace(first, article=replace(first.article, jump=to), rest=first.article.blocks[-1:])
    continued = replace(second, article=replace(second.article, continued_from=came_from))
    return replace(layout, modules=(jumped, continued, *others))


BOOKED = re.compile(r"(\S+) · ([\d.]+) × ([\d.]+) mm")


def test_each_ad_is_drawn_at_its_frame_with_client_size_and_booked_millimetres(seed_overlay):
    result, _ = seed_overlay
    grid = result.layout.grid
    ads = (
        booked_on(result.layout, "<b>包头银行</b>", grid.rows - 8),
        booked_on(result.layout, None, None),
    )
    drawn = overlay(replace(result, layout=replace(result.layout, ads=ads)), load_roles())
    assert len(drawn["ads"]) == 2
    for placed, info in zip(ads, drawn["ads"], strict=True):
        assert info["box"] == pytest.approx(list(placed.frame), abs=0.01)
        size, width, height = BOOKED.fullmatch(info["booked"]).groups()
        assert size == placed.ad.size
        assert float(width) == pytest.approx(placed.ad.width_mm, abs=0.05)
        assert float(height) == pytest.approx(placed.ad.height_mm, abs=0.05)
    bank, ear = drawn["ads"]
    assert bank["name"] == "<b>包头银行</b>"  # as written: the browser sets it as text
    assert ear["name"] == "ear-ad.png"  # no client: the artwork names it
    json.dumps(drawn)  # the browser reads it as JSON


def test_a_jumped_article_names_both_pages_and_links_only_to_pages_shown(seed_overlay):
    result, _ = seed_overlay
    layout = with_jumps(result.layout, to=Jump(7, 3, to=7), came_from=3)
    drawn = overlay(replace(result, layout=layout), load_roles())
    jumped, continued, *others = drawn["modules"]
    assert jumped["jumps"] == [{"kind": "to", "page": 7, "label": "下转第7版"}]
    assert continued["jumps"] == [{"kind": "from", "page": 3, "label": "上接第3版"}]
    assert all(info["jumps"] == [] for info in others)
    rest = layout.modules[0].rest
    assert jumped["characters_continued"] == sum(len(block.text) for block in rest) > 0
    shown = linked(drawn, {7: "#page-02-p7"})
    assert shown["modules"][0]["jumps"][0]["href"] == "#page-02-p7"
    assert shown["modules"][1]["jumps"][0]["href"] is None  # page 3 is not shown: no link
    assert "href" not in drawn["modules"][0]["jumps"][0]  # the build's overlay is kept
