"""Display type: headlines fitted to a width, broken at phrases, balanced, never one char
alone, and never against the body's line-start and line-end rules."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from layout.model.grid import Grid
from layout.typeset.measure import phrase_parts
from layout.typeset.units import CLOSING, NO_START_OTHER, OPENING, STOPS

NO_LINE_START = CLOSING | STOPS | NO_START_OTHER
# the display sizes compose/sizes.py sets, in pt: headlines (lead and other), kicker, caption
HEADLINE_SIZES = (30.0, 28.0, 26.0, 24.0, 22.0, 20.0, 18.0, 16.0, 14.0)
SMALL_SIZES = (11.0, 8.5)


def test_headline_breaks_at_the_phrase_space(typesetter):
    heading = typesetter.heading(
        "增强区域协同创新发展能力 开拓同城化发展新局面", "headline", (30.0, 24.0), 300.0
    )
    assert heading.lines == ("增强区域协同创新发展能力", "开拓同城化发展新局面")
    assert heading.size == 24.0  # 30 pt would need a third line


def test_a_headline_without_spaces_is_balanced_and_leaves_no_lone_character(typesetter):
    heading = typesetter.heading("推动呼包两市科技合作走深走实", "headline", (40.0,), 300.0)
    assert len(heading.lines) == 2
    assert "".join(heading.lines) == "推动呼包两市科技合作走深走实"
    assert abs(len(heading.lines[0]) - len(heading.lines[1])) <= 1
    assert min(len(line) for line in heading.lines) >= 2


def test_latin_words_in_a_headline_stay_whole(typesetter):
    heading = typesetter.heading("iPhone 16 以旧换新带动消费", "headline", (40.0,), 260.0)
    assert any("iPhone 16" in line for line in heading.lines)


def test_only_spaces_between_chinese_characters_are_phrase_gaps():
    parts = phrase_parts("携手并进 合力 iPhone 16 共赢")
    assert [gap for _, gap in parts].count(True) == 1
    assert "".join(text for text, _ in parts) == "携手并进 合力 iPhone 16 共赢"


def test_a_quoted_phrase_is_not_broken_before_its_closing_quote(typesetter):
    """Issue 16: at two tabloid columns the headline printed `城中“口袋公园` / `”装下…`."""
    width = Grid.for_format("tabloid").span_width(2)
    broken = [
        heading.lines
        for size in HEADLINE_SIZES
        if len((heading := typesetter.heading(HEADLINE, "headline", (size,), width)).lines) > 1
    ]
    assert len(broken) == sum(size >= 18 for size in HEADLINE_SIZES)  # 18 pt up: two lines
    assert set(broken) == {("城中“口袋公园”", "装下居民幸福感")}


def test_text_too_long_for_its_lines_still_breaks_by_the_rules(typesetter):
    # seven characters a line: more lines than max_lines, filled piece by piece
    heading = typesetter.heading(HEADLINE, "headline", (30.0,), 210.0, max_lines=2)
    assert len(heading.lines) > 2
    assert "".join(heading.lines) == HEADLINE
    assert_kinsoku(heading.lines)


def assert_kinsoku(lines: tuple[str, ...]) -> None:
    for line in lines:
        assert line[0] not in NO_LINE_START, lines
        assert line[-1] not in OPENING, lines
        assert all(len(run) % 2 == 0 for run in re.findall(r"—+|…+", line)), lines


HEADLINE = "城中“口袋公园”装下居民幸福感"
TOKENS = [*"包头市科技人才协同创新发展", *"“”《》（），。、", "——", "……", "5G", "iPhone", "AI", " "]


@st.composite
def headlines(draw) -> str:
    """Headlines mixing Han, paired and pause marks, dashes, Latin and phrase spaces; as
    typed, they start with no closing mark and end with no opening one."""
    text = "".join(draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=30))).strip()
    assume(text and text[0] not in NO_LINE_START and text[-1] not in OPENING)
    return text


@settings(max_examples=200)
@given(
    text=headlines(),
    columns=st.integers(1, 5),
    sizes=st.sampled_from([HEADLINE_SIZES, HEADLINE_SIZES[3:], SMALL_SIZES[:1], SMALL_SIZES[1:]]),
    max_lines=st.integers(1, 3),
)
def test_every_display_line_obeys_the_line_start_and_end_rules(
    typesetter, text, columns, sizes, max_lines
):
    width = typesetter.grid.span_width(columns)
    heading = typesetter.heading(text, "headline", sizes, width, max_lines=max_lines)
    assert re.sub(" ", "", "".join(heading.lines)) == re.sub(" ", "", text)
    assert_kinsoku(heading.lines)
