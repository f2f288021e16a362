"""The furniture in the composer, without rendering: every height a furnished article promises
is built to that height with every body line set once, in order, and its furniture where it
belongs (hypothesis); and the sources hold the furniture to what the page can set."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.compose.furniture import BOX_ROWS, furnished_sized
from layout.model.document import PHOTO_STORY, Image
from layout.model.grid import Grid
from layout.sources.furniture import box_styles
from layout.typeset.measure import Typesetter
from tests.test_compose import article

HEADLINES = ("城中“口袋公园”，装下居民幸福感", "人才互通 共建共享", "两市24小时协同")
NOTE = "呼包同城化进入快车道。本报今起推出系列报道，记录两地协同发展的新进展。"


@pytest.fixture(scope="module")
def tabloid(roles):
    return Typesetter(roles, Grid.for_format("tabloid"))


@st.composite
def furnished(draw):
    """An article with any furniture an author may give it, and maybe a photo."""
    story = article(1, draw(st.integers(80, 1400)))
    kind = draw(st.sampled_from(("story", PHOTO_STORY)))
    photo = kind == PHOTO_STORY or draw(st.booleans())
    return replace(
        story,
        headline=draw(st.sampled_from(HEADLINES)),
        images=(Image(Path("p.jpg"), 600, 400, "现场。", None),) if photo else (),
        headline_vertical=kind != PHOTO_STORY and draw(st.booleans()),
        box=draw(st.none() | st.sampled_from(box_styles())),
        note=draw(st.none() | st.just(NOTE)),
        column_logo=draw(st.none() | st.just("记者手记")),
        kind=kind,
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(story=furnished(), columns=st.integers(1, 5))
def test_every_furnished_height_is_built_with_its_furniture_in_place(tabloid, story, columns):
    sized = furnished_sized(story, columns, tabloid, lead=False)
    if not sized.fits:
        assert story.headline_vertical  # only a vertical headline may fit at no height
        return
    grid = tabloid.grid
    air = BOX_ROWS if story.box else 0
    for rows in sized.costs:
        module, spill = sized.build(rows, 0, 10)
        box = module.box
        top, bottom = box.row + air, box.row + box.rows - air
        assert spill == () and box.rows == rows and box.columns == columns
        assert [r for column in module.columns for r in column] == list(sized.body)
        head = module.head_box
        assert top <= head.row and head.row + head.rows <= bottom
        under_head = head.row + head.rows + (module.note.rows if module.note else 0)
        if module.note is not None:
            note = module.note_box
            assert note is not None and note.row == head.row + head.rows
            assert "".join(line.text for line in module.note.lines) == "编者按：" + NOTE
        for index, column in enumerate(module.columns):
            if column:
                assert under_head <= module.column_row(index) or story.kind == PHOTO_STORY
                assert module.column_row(index) + len(column) <= bottom
        for placed in module.images:
            assert top <= placed.row and placed.row + placed.rows + placed.caption_rows <= bottom
            if story.kind == PHOTO_STORY:  # the photo leads, the head under it
                assert placed.row == top and head.row >= placed.row + placed.rows
        if story.headline_vertical:
            strip, heading = module.strip, module.vertical
            assert strip is not None and heading is not None
            assert strip.column == box.column + columns - 1 and head.columns == columns - 1
            assert heading.height <= strip.rows * grid.line
            assert heading.width <= grid.column_width
            assert len(module.columns) <= columns - 1  # no text in the headline's column
            assert "".join(heading.text.split()) == "".join(story.headline.split())
        else:
            assert module.vertical is None


def test_the_box_styles_are_those_the_stylesheet_defines(tmp_path):
    css = tmp_path / "boxes.css"
    css.write_text(".box { position: absolute }\n.box-wavy { border: 1pt dashed }\n.box-rule {}")
    assert box_styles(css) == ("wavy", "rule")
    assert set(box_styles()) >= {"rule", "double", "shaded"}
