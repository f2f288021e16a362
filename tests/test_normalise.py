"""The normalise stage: examples per rule, properties over generated copy, the page walk."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from layout.model.document import Article, Banner, Block, Credits, Image, Page, Span
from layout.sources.body import parse_body
from layout.typeset.normalise import normalise_page, normalise_spans, normalise_text


def is_han(char: str) -> bool:
    """Han by Unicode name: independent of the ranges the module uses."""
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # From the seed page.
        ("协同发展,共享创新,共筑未来。", "协同发展，共享创新，共筑未来。"),
        ("包头:携手并进", "包头：携手并进"),
        ("本版编辑:魏美丽 蒋建波 吴琼 美编:马慧茹", "本版编辑：魏美丽 蒋建波 吴琼 美编：马慧茹"),
        ("释放1+1>2的聚合效应", "释放1+1>2的聚合效应"),
        ("3月23日,在", "3月23日，在"),
        ("包头市组织30余家重点企业", "包头市组织30余家重点企业"),
        ("他说:“加快", "他说：“加快"),
        ("——访包头市发改委党组书记、主任徐行", "——访包头市发改委党组书记、主任徐行"),
        # 1. Line breaks and blanks.
        ("包头市发\n改委党组书记", "包头市发改委党组书记"),
        ("包头市发 \t\n  改委", "包头市发改委"),
        ("他说：\n“加快", "他说：“加快"),
        ("协同发展,\n共享", "协同发展，共享"),
        ("green\nenergy", "green energy"),
        ("page 3\r\n4", "page 3 4"),
        ("2024\n年", "2024年"),
        ("中国\nChina", "中国China"),
        ("  \t中国 \n", "中国"),
        ("a  \t b", "a b"),
        ("携手并进 合力聚势共赢美好未来", "携手并进 合力聚势共赢美好未来"),
        # 2. Half-width punctuation beside Chinese.
        ("中国 ,我们", "中国，我们"),
        ("中国 , 我们", "中国，我们"),
        ("注意;然后", "注意；然后"),
        ("真的吗?!", "真的吗？！"),
        ("举办(2024年)活动", "举办（2024年）活动"),
        ("中国(China) is", "中国（China）is"),
        ("(见第3版)", "（见第3版）"),
        ("f(x)", "f(x)"),
        ("中(abc),x", "中（abc）,x"),  # the comma's firm neighbours are c and x
        ("1,000", "1,000"),
        ("3:00", "3:00"),
        ("https://example.com/a,b", "https://example.com/a,b"),
        ("Hello, world", "Hello, world"),
        ("增长5.2%", "增长5.2%"),
        ("2024年", "2024年"),
        # 3. Quotes.
        ('他说"加快发展"。', "他说“加快发展”。"),
        ('"Hello" world', "“Hello” world"),
        ('“甲” "乙"', "“甲” “乙”"),
        ("他说：“这是'新质生产力'的体现”", "他说：“这是‘新质生产力’的体现”"),
        ("'AI'技术", "‘AI’技术"),
        ("don't 'go'", "don't 'go'"),
        ("他说don't 'go'好", "他说don't ‘go’好"),  # the apostrophe does not take part in pairing
        ("“已经弯引号”‘也是’", "“已经弯引号”‘也是’"),
        # 4. Ellipses.
        ("等等...", "等等……"),
        ("等等.....然后", "等等……然后"),
        ("等等。。。", "等等……"),
        ("等等⋯⋯", "等等……"),
        ("OK。。。", "OK……"),  # 。。。 and ⋯⋯ are Chinese whatever surrounds them
        ("x⋯⋯y", "x……y"),
        ("等等…", "等等……"),
        ("等等……", "等等……"),
        ("Wait...", "Wait..."),
        ("a.b 5.2", "a.b 5.2"),
        # 5. Dashes.
        ("中国--美国", "中国——美国"),
        ("中国—美国", "中国——美国"),
        ("中国―美国", "中国——美国"),
        ("中国──美国", "中国——美国"),
        ("中国———美国", "中国——美国"),
        ("2024-03-26", "2024-03-26"),
        ("COVID-19", "COVID-19"),
        ("a--b", "a--b"),
        ("a—b", "a—b"),
    ],
)
def test_normalise_text(source: str, expected: str) -> None:
    assert normalise_text(source) == expected


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        # A comma opening a bold span sees the Han character ending the span before it.
        (
            (Span("协同发展"), Span(",共享", bold=True)),
            (Span("协同发展"), Span("，共享", bold=True)),
        ),
        # A comma closing a bold span sees the Han character opening the next.
        (
            (Span("发展,", bold=True), Span("共享")),
            (Span("发展，", bold=True), Span("共享")),
        ),
        # A dash across two spans becomes one `——` in the span where it starts.
        (
            (Span("中国-", bold=True), Span("-美国")),
            (Span("中国——", bold=True), Span("美国")),
        ),
        # A line break between spans joins them; the span it emptied is dropped.
        (
            (Span("包头市发"), Span("\n"), Span("改委", bold=True)),
            (Span("包头市发"), Span("改委", bold=True)),
        ),
        # Boundaries stay even between spans of the same style.
        ((Span("甲,"), Span("乙")), (Span("甲，"), Span("乙"))),
        # Quotes alternate across the whole paragraph, not per span.
        (
            (Span('他说"'), Span("加快", bold=True), Span('"')),
            (Span("他说“"), Span("加快", bold=True), Span("”")),
        ),
        ((), ()),
    ],
)
def test_normalise_spans(spans: tuple[Span, ...], expected: tuple[Span, ...]) -> None:
    assert normalise_spans(spans) == expected


# Generated copy: fragments of everything the rules look at, in any order.
FRAGMENTS = st.one_of(
    st.sampled_from("中国包头市发改委携手并进年月日的"),
    st.sampled_from("，。、：；？！“”‘’《》（）"),
    st.sampled_from(",:;?!()\"'.-"),
    st.text("abcXYZ", min_size=1, max_size=5),
    st.text("0123456789", min_size=1, max_size=4),
    st.sampled_from([" ", "  ", "\t", "\n", " \n ", "\r\n"]),
    st.sampled_from(["...", "…", "……", "。。。", "⋯⋯", "--", "—", "——", "―", "──"]),
)
COPY = st.lists(FRAGMENTS, max_size=30).map("".join)


@given(COPY)
# A converted parenthesis must not give the comma after it context on a second pass.
@example("中(abc),x")
def test_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


@given(COPY)
def test_han_characters_unchanged(text: str) -> None:
    assert list(filter(is_han, normalise_text(text))) == list(filter(is_han, text))


@given(COPY)
def test_latin_letters_and_digits_unchanged(text: str) -> None:
    def ascii_alnum(char: str) -> bool:
        return char.isascii() and char.isalnum()

    assert list(filter(ascii_alnum, normalise_text(text))) == list(filter(ascii_alnum, text))


@given(COPY)
def test_no_half_width_punctuation_touches_han(text: str) -> None:
    result = normalise_text(text)
    for i, char in enumerate(result):
        if char in ",:;?!":
            assert not is_han(result[i - 1 : i] or " "), result
            assert not is_han(result[i + 1 : i + 2] or " "), result


@given(COPY)
def test_no_line_break_or_edge_blank_remains(text: str) -> None:
    result = normalise_text(text)
    assert "\n" not in result
    assert "\r" not in result
    assert result == result.strip(" \t")


@given(st.lists(st.builds(Span, COPY, st.booleans()), max_size=5).map(tuple))
def test_spans_normalise_as_one_text(spans: tuple[Span, ...]) -> None:
    result = normalise_spans(spans)
    assert "".join(s.text for s in result) == normalise_text("".join(s.text for s in spans))
    assert all(s.text for s in result)
    assert [(c, s.bold) for s in result for c in s.text if is_han(c)] == [
        (c, s.bold) for s in spans for c in s.text if is_han(c)
    ]


def page_with(text: str) -> Page:
    """A page with `text` in every field the stage normalises."""
    article = Article(
        file=Path("a.md"),
        headline=text,
        kicker=text,
        subhead=text,
        byline=text,
        images=(Image(Path("a.jpg"), 800, 600, caption=text, credit=text),),
        blocks=(
            Block("paragraph", (Span(text), Span(text, bold=True)), line=5),
            Block("crosshead", (Span(text),), line=9),
        ),
        slug="a",
        pullquotes=(text, text),
    )
    filler = replace(article, file=Path("fillers/b.md"), slug="b")
    return Page(
        directory=Path("page"),
        paper="包头日报",
        date=date(2024, 3, 26),
        number=3,
        articles=(article,),
        section="要闻",
        banner=Banner(title=text, kicker=text, subtitle=text),
        lede=(text, text),
        credits=Credits(lines=(text,), editors=(text, text), designer=text),
        fillers=(filler,),
    )


def test_normalise_page_touches_every_piece_of_copy() -> None:
    assert normalise_page(page_with("协同发展,共享")) == page_with("协同发展，共享")


def test_normalise_page_keeps_missing_optional_copy_missing() -> None:
    page = Page(
        directory=Path("page"),
        paper="包头日报",
        date=date(2024, 3, 26),
        number=3,
        articles=(
            Article(
                file=Path("a.md"), headline="包头:携手并进", images=(Image(Path("a.jpg"), 1, 1),)
            ),
        ),
    )
    result = normalise_page(page)
    assert result.banner is None
    assert result.credits == Credits()
    assert result.articles == (
        Article(file=Path("a.md"), headline="包头：携手并进", images=(Image(Path("a.jpg"), 1, 1),)),
    )


@given(COPY)
@example("协同**发展**,共享...")
def test_a_marked_paragraph_and_its_pull_quote_normalise_alike(text: str) -> None:
    """The quote repeats the paragraph: normalised apart, they must still read the same."""
    body = parse_body("> " + text.replace("\n", " "))
    for quote in body.quotes:
        paragraph = normalise_spans(quote.spans)
        assert normalise_text(quote.text) == "".join(span.text for span in paragraph)
