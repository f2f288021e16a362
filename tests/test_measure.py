"""Display type: headlines fitted to a width, broken at phrases, balanced, never one char alone."""

from __future__ import annotations

from layout.typeset.measure import phrase_parts


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
