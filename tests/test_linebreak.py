"""The line breaker on a model font (Han 1 em, Latin ½ em) and on the real one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.model.document import Span
from layout.typeset.linebreak import AUTOSPACE, MAX_GAP, break_paragraph, display_pieces
from layout.typeset.units import (
    CLOSING,
    NO_START_OTHER,
    OPENING,
    STOPS,
    Kind,
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
    lines = lines_of("同比增长5.2%的iPhone中中中中中中中中中中中中", measure=11)
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
        # nothing overflows; every non-final line ends flush
        assert line.width <= available + 1e-6
        if not line.final:
            assert abs(line.width - available) < 1e-6
        # clreq: no closing mark at a line start, no opening mark at a line end
        if number > 0:
            assert line.text[0] not in NO_START
        if not line.final:
            assert line.text[-1] not in OPENING
        # a dash or ellipsis pair is never split
        assert not line.text.endswith("—") or line.text.endswith("——")
        assert not line.text.startswith("—") or line.text.startswith("——")
        # justification never widens a gap beyond half an em: where long numbers
        # leave too few gaps to share the space, they are broken or spaced instead
        assert all(p.gap <= MAX_GAP + 1e-6 for p in line.pieces)


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


# --- Latin runs that do not fit: URLs, code, markup (clreq: break them, never gape) --------


def test_markup_that_nearly_fills_the_first_line_is_spaced_to_the_edge(typesetter):
    # 11.8 em of `<script>` on a 12 em first line, and `“` may not end it: the line
    # fell 1.5 pt short of the column edge
    em = typesetter.measure_for("body", "body_bold")
    text = "<script>alert(1)</script>“呼和浩特市和包头市是呼包鄂乌城市群一体化发展的先行区。"
    lines = break_paragraph((Span(text),), 14, em, indent=2)
    assert lines[0].text == "<script>alert(1)</script>"
    assert_settable(lines, text, 14, 2)


def test_a_url_is_broken_after_its_punctuation_rather_than_leave_wide_gaps(typesetter):
    em = typesetter.measure_for("body", "body_bold")
    text = "[链接文字]（http://example.com）包头市科技局。"
    lines = break_paragraph((Span(text),), 14, em, indent=2)
    assert lines[0].text == "[链接文字]（http://"  # was alone on its line, 1.5 em gaps
    assert_settable(lines, text, 14, 2)


def test_a_word_is_broken_only_where_whole_words_leave_a_wide_gap():
    text = "同比增长5.2%的iPhone中中中中中中中中中中中中"
    assert "iPhone" in lines_of(text, measure=11)[0].text  # sets with its words whole
    # at 10 em, `iPhone` whole leaves 0.6 em gaps: it is broken, not to a lone letter
    lines = lines_of(text, measure=10)
    assert [line.text for line in lines[:2]] == ["同比增长5.2%的iPho", "ne中中中中中中中中"]
    assert_settable(lines, text, 10, 0)


def test_a_space_between_two_dash_runs_is_drawn_in_the_first_and_keeps_its_place(typesetter):
    em = typesetter.measure_for("body")
    plain = break_paragraph((Span("中中…… ——中中"),), 12, em)[0]
    space = plain.pieces[3]
    assert space.text == " " and space.width == em("…… ", False, False) - em("……", False, False)
    assert space.width + space.gap == pytest.approx(em(" ", False, False))  # its own width


SCHEME = st.sampled_from(["http://", "https://", "ftp://", ""])
HOST = st.from_regex(r"[a-z0-9]{1,12}(\.[a-z0-9-]{1,10}){1,3}", fullmatch=True)
PATH = st.from_regex(r"(/[A-Za-z0-9_.~%-]{0,16}){0,6}", fullmatch=True)
QUERY = st.from_regex(
    r"(\?[a-z_]{1,8}=[A-Za-z0-9%]{0,12}(&[a-z_]{1,8}=[A-Za-z0-9]{0,10}){0,3})?", fullmatch=True
)
URL = st.tuples(SCHEME, HOST, PATH, QUERY).map("".join)
CODE = st.from_regex(
    r"[A-Za-z_][A-Za-z0-9_]{0,24}(\.[a-z_]{1,12}){0,3}\([A-Za-z0-9_,=\"' ]{0,30}\)", fullmatch=True
)
TAG = st.from_regex(r"[a-z]{1,10}", fullmatch=True)
MARKUP = st.one_of(
    st.tuples(TAG, st.text(st.sampled_from("abc(1)=;"), max_size=20)).map(
        lambda t: f"<{t[0]}>{t[1]}</{t[0]}>"
    ),
    st.tuples(WORD, URL).map(lambda t: f"[{t[0]}]({t[1]})"),
    WORD.map(lambda w: f"<!-- {w} -->"),
)
ASCII = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=80)
LONG = st.one_of(URL, CODE, MARKUP, ASCII)
MIXED = st.lists(
    st.one_of(WORD, st.tuples(WORD, STOP).map("".join), WORD.map(lambda w: f"“{w}”"), LONG),
    min_size=1,
    max_size=30,
).map("".join)


def assert_settable(lines, text, measure, indent):
    """What verify/check.py requires of every line, and that nothing is lost."""
    assert "".join(line.text for line in lines) == text
    for number, line in enumerate(lines):
        available = measure - (indent if number == 0 else 0)
        assert line.width <= available + 1e-6, line.text
        if not line.final:
            assert abs(line.width - available) < 1e-6, line.text
            assert all(p.gap <= MAX_GAP + 1e-6 for p in line.pieces), line.text
        if number > 0:
            assert line.text[0] not in NO_START


@settings(max_examples=150, deadline=None)
@given(
    head=LONG,
    text=MIXED,
    measure=st.integers(min_value=12, max_value=20),
    indent=st.sampled_from([0, 2]),
)
def test_latin_runs_of_any_length_set_flush_without_wide_gaps(head, text, measure, indent):
    text = head + text  # a run that opens the paragraph meets the indent
    assert_settable(lines_of(text, measure=measure, indent=indent), text, measure, indent)


@settings(max_examples=40, deadline=None)
@given(head=LONG, text=MIXED, measure=st.integers(min_value=12, max_value=20))
def test_latin_runs_set_flush_in_the_real_font(typesetter, head, text, measure):
    em = typesetter.measure_for("body", "body_bold")
    text = head + text
    assert_settable(break_paragraph((Span(text),), measure, em, indent=2), text, measure, 2)


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("城中“口袋公园”装下", ["城", "中", "“口", "袋", "公", "园”", "装", "下"]),
        ("《 报告》发布——iPhone 16", ["《 报", "告》", "发", "布", "——", "iPhone ", "16"]),
        ("好……。", ["好", "……。"]),
    ],
)
def test_display_text_breaks_only_where_a_body_line_may(text, pieces):
    # no piece starts with a closing mark, none ends with an opening one (nor with
    # an opening one and a space), a run stays whole; joined, the pieces are the text
    assert display_pieces(text) == pieces
