"""The line breaker on a model font (Han 1 em, Latin ½ em) and on the real one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from layout.model.document import Span
from layout.typeset.linebreak import (
    AUTOSPACE,
    CLOSING,
    NO_START_OTHER,
    OPENING,
    STOPS,
    Kind,
    break_paragraph,
    clusters_of,
    units_of,
)

NO_START = CLOSING | STOPS | NO_START_OTHER


def model_em(text: str, bold: bool, halt: bool) -> float:
    """A font where every CJK character is 1 em (½ when `halt`) and Latin is ½ em."""
    total = 0.0
    for char in text:
        if char in "—…":
            total += 1.0
        elif ord(char) > 0x2E7F or char in "“”‘’":
            total += 0.5 if halt else 1.0
        else:
            total += 0.5
    return total


def lines_of(text: str, measure: float = 10, indent: float = 0.0, em=model_em):
    return break_paragraph((Span(text),), measure, em, indent=indent)


def test_full_width_text_fills_whole_lines_without_spacing():
    lines = lines_of("中" * 25, measure=10)
    assert [len(line.text) for line in lines] == [10, 10, 5]
    assert all(p.gap == 0 for line in lines for p in line.pieces)
    assert [line.final for line in lines] == [False, False, True]


def test_first_line_indent_reduces_its_measure():
    lines = lines_of("中" * 20, measure=10, indent=2)
    assert len(lines[0].text) == 8
    assert lines[0].indent == 2
    assert lines[1].indent == 0


def test_closing_punctuation_never_starts_a_line():
    # the tenth character is a comma: it must stay with the line before
    text = "中" * 10 + "，" + "中" * 10
    lines = lines_of(text, measure=10)
    assert all(line.text[0] not in NO_START for line in lines)
    assert "".join(line.text for line in lines) == text


def test_comma_at_line_end_is_set_half_width_and_pushed_in():
    # 4 + ， + 5 + ， is 11 em at full width: compressing both commas fits it in 10
    text = "中" * 4 + "，" + "中" * 5 + "，" + "中" * 5
    first = lines_of(text, measure=10)[0]
    assert first.text == "中" * 4 + "，" + "中" * 5 + "，"
    assert first.pieces[4].halt and first.pieces[-1].halt
    assert abs(first.width - 10) < 1e-6


def test_a_line_that_cannot_compress_enough_pushes_out_and_expands():
    text = "中" * 10 + "，" + "中" * 5
    first = lines_of(text, measure=10)[0]
    assert first.text == "中" * 9
    assert abs(first.width - 10) < 1e-6
    assert all(abs(p.gap - 1 / 8) < 1e-6 for p in first.pieces[:-1])


def test_opening_quote_never_ends_a_line():
    text = "中" * 9 + "“中中”" + "中" * 8
    lines = lines_of(text, measure=10)
    assert all(line.text[-1] not in OPENING for line in lines)
    assert all(abs(line.width - 10) < 1e-6 for line in lines if not line.final)


def test_adjacent_punctuation_is_compressed():
    units = units_of((Span("好。”中"),), model_em)
    lines = break_paragraph((Span("好。”中"),), 10, model_em)
    pieces = lines[0].pieces
    assert [u.kind for u in units] == [Kind.HAN, Kind.CLOSE, Kind.CLOSE, Kind.HAN]
    assert pieces[1].halt and not pieces[2].halt  # 。” sets in 1.5 em
    assert abs(lines[0].width - 3.5) < 1e-6


def test_dashes_and_ellipses_are_one_unbreakable_unit():
    clusters = clusters_of(units_of((Span("说——好……"),), model_em))
    texts = ["".join(u.text for u in c) for c in clusters]
    assert texts == ["说", "——", "好", "……"]
    for measure in range(3, 12):
        lines = lines_of("中" * 7 + "——" + "中" * 7 + "……" + "中" * 3, measure=measure)
        for line in lines:
            assert not line.text.startswith(("—", "…")) or line.text.startswith(("——", "……"))
            assert line.text.count("—") % 2 == 0
            assert line.text.count("…") % 2 == 0


def test_latin_is_never_spaced_inside_and_gets_autospace():
    lines = lines_of("同比增长5.2%的iPhone中中中中中中中中中中中中", measure=10)
    for line in lines:
        for piece in line.pieces:
            if piece.kind is Kind.LATIN:
                assert piece.text in ("5.2%", "iPhone")
    first = lines[0].pieces
    latin = next(i for i, p in enumerate(first) if p.kind is Kind.LATIN)
    assert first[latin - 1].gap >= AUTOSPACE / 2  # Han → Latin
    assert first[latin].gap >= AUTOSPACE / 2  # Latin → Han


def test_last_line_never_holds_a_single_character():
    text = "中" * 20 + "好。"
    lines = lines_of(text, measure=10)
    last_chars = [c for c in lines[-1].text if c not in NO_START]
    assert len(last_chars) >= 2
    assert "".join(line.text for line in lines) == text


def test_a_word_longer_than_the_line_is_broken_by_character():
    text = "https://example.com/" + "a" * 40
    lines = lines_of(text, measure=10)
    assert "".join(line.text for line in lines) == text
    assert all(line.width <= 10 + 1e-6 for line in lines)


# --- properties -------------------------------------------------------------------------

# Copy as reporters write it: words of Han characters, a stop or pause mark after
# a word, quoted and bracketed phrases, Latin words and numbers between Han
# characters, dashes and ellipses.
HAN = st.sampled_from("中国包头发展协同创新科技人才呼和浩特")
WORD = st.text(HAN, min_size=1, max_size=4)
STOP = st.sampled_from("，。、；：？！")
LATIN = st.sampled_from(["2024", "5.2%", "iPhone", "G", "1+1>2", "AI"])
TOKEN = st.one_of(
    WORD,
    WORD,
    st.tuples(WORD, STOP).map("".join),
    WORD.map(lambda w: f"“{w}”"),
    WORD.map(lambda w: f"《{w}》"),
    st.tuples(WORD, STOP).map(lambda t: f"（{t[0]}）{t[1]}"),
    st.tuples(LATIN, WORD).map("".join),
    st.tuples(st.sampled_from(["——", "……"]), WORD).map("".join),
)
TEXT = st.lists(TOKEN, min_size=1, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=TEXT, measure=st.integers(min_value=12, max_value=20), indent=st.sampled_from([0, 2]))
def test_properties_of_any_paragraph(text, measure, indent):
    lines = lines_of(text, measure=measure, indent=indent)
    # nothing is lost, added or reordered
    assert "".join(line.text for line in lines) == text
    for number, line in enumerate(lines):
        available = measure - (indent if number == 0 else 0)
        # nothing overflows; every non-final line of more than one unit ends flush
        assert line.width <= available + 1e-6
        if not line.final and len(line.pieces) > 1:
            assert abs(line.width - available) < 1e-6
        # clreq: no closing mark at a line start, no opening mark at a line end
        if number > 0:
            assert line.text[0] not in NO_START
        if not line.final:
            assert line.text[-1] not in OPENING
        # a dash or ellipsis pair is never split
        assert not line.text.endswith("—") or line.text.endswith("——")
        assert not line.text.startswith("—") or line.text.startswith("——")
        # justification never widens a gap beyond half an em, unless the line holds so
        # few units (long numbers) that there are not enough gaps to share the space
        if len(line.pieces) >= 8:
            assert all(p.gap <= 0.5 + 1e-6 for p in line.pieces)


def test_real_font_lines_are_flush(typesetter):
    em = typesetter.measure_for("body", "body_bold")
    text = (
        "“此次系列活动是落实加快呼包同城化发展的有力举措，标志着两市不仅在基础设施方面"
        "实现了‘硬联通’，正开始向人力、科技等‘软联通’领域发力。”全力推动2024年先行实施的"
        "30项重点工作，释放1+1>2的聚合效应。"
    )
    lines = break_paragraph((Span(text),), 14, em, indent=2)
    assert "".join(line.text for line in lines) == text
    for line in lines[:-1]:
        assert abs(line.indent + line.width - 14) < 1e-6


def test_line_start_rules_hold_across_bold_spans():
    # the comma opens a bold span; it must still not start a line
    spans = (Span("中" * 10), Span("，重点", bold=True), Span("中" * 10))
    lines = break_paragraph(spans, 10, model_em)
    assert all(line.text[0] not in NO_START for line in lines)
    assert "".join(line.text for line in lines) == "".join(s.text for s in spans)
    bold = [p.text for line in lines for p in line.pieces if p.bold]
    assert "".join(bold) == "，重点"


def test_a_line_may_start_with_an_opening_quote():
    text = "中" * 10 + "“中中”" + "中" * 5
    lines = lines_of(text, measure=10)
    assert lines[1].text.startswith("“")
    assert lines[0].text == "中" * 10
