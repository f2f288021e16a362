"""What the live proof draws over a page, computed from a build: modules and findings."""

from __future__ import annotations

import pytest
from PIL import Image

from layout.live.overlay import overlay
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
