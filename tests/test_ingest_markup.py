"""Copy that looks like Markdown comes through every importer as the same text, not markup.

A story's `**50%**` or a paragraph opening `###` or `>` is what the reporter
typed; the importers write it escaped (`\\*\\*`, `\\###`, `\\>`), so the page
prints it and only the source's own bold and crossheads become Markdown.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import docx

from layout.ingest.docx import read_docx
from layout.ingest.draft import DraftPage, write_page
from layout.ingest.nitf import read_nitf
from layout.ingest.text import read_text
from layout.model.document import Span
from layout.sources.page import load_page

LONG = "一季度完成投资一百二十亿元，同比增长百分之十五，" * 3 + "各项工作有序推进。"
HASHES = "### 这不是小标题。"
BACKSLASHES = "路径C:\\dir与\\*星号。"
QUOTE = "> 这不是引语。"
EXPECTED = [
    ("paragraph", (Span("增长**50%**以上，"), Span("**加粗**", bold=True), Span("照常。"))),
    ("paragraph", (Span(HASHES),)),
    ("paragraph", (Span(QUOTE),)),
    ("crosshead", (Span("小标题**星**"),)),
    ("paragraph", (Span(BACKSLASHES),)),
]


def blocks(draft: DraftPage, tmp_path: Path) -> list[tuple[str, tuple[Span, ...]]]:
    draft.paper, draft.date, draft.page = "包头日报", datetime.date(2024, 3, 26), 5
    write_page(draft, tmp_path / "page")
    [article] = load_page(tmp_path / "page").articles
    assert article.pullquotes == ()
    return [(block.kind, block.spans) for block in article.blocks]


def test_nitf_text_is_never_markup(tmp_path):
    source = tmp_path / "story.xml"
    source.write_text(
        "<nitf><body><body.head><hedline><hl1>稀土项目建设提速</hl1></hedline>"
        "<dateline>包头*电</dateline></body.head><body.content>"
        "<p>增长**50%**以上，<b>**加粗**</b>照常。</p>"
        f"<p>{HASHES}</p><p>&gt; 这不是引语。</p><hl2>小标题**星**</hl2><p>{BACKSLASHES}</p>"
        "</body.content></body></nitf>",
        encoding="utf-8",
    )
    first, *rest = EXPECTED
    dated = ("paragraph", (Span("包头*电\u3000增长**50%**以上，"), *first[1][1:]))
    assert blocks(read_nitf(source), tmp_path) == [dated, *rest]


def test_word_text_is_never_markup(tmp_path):
    document = docx.Document()
    document.add_paragraph("稀土项目建设提速", style="Title")
    paragraph = document.add_paragraph("增长**50%**以上，")
    paragraph.add_run("**加粗**").bold = True
    paragraph.add_run("照常。")
    document.add_paragraph(HASHES)
    document.add_paragraph(QUOTE)
    document.add_heading("小标题**星**", level=2)
    document.add_paragraph(BACKSLASHES)
    document.save(tmp_path / "story.docx")
    assert blocks(read_docx(tmp_path / "story.docx"), tmp_path) == EXPECTED


def test_plain_text_is_never_markup(tmp_path):
    source = tmp_path / "page.txt"
    source.write_text(
        f"包头：携手并进\n\n稀土项目建设提速\n\n增长**50%**以上，{LONG}\n\n"
        f"{HASHES}\n\n  {HASHES}\n\n{QUOTE}\n\n{BACKSLASHES}\n",
        encoding="utf-8",
    )
    assert blocks(read_text(source), tmp_path) == [
        ("paragraph", (Span(f"增长**50%**以上，{LONG}"),)),
        ("paragraph", (Span(HASHES),)),
        ("paragraph", (Span(HASHES),)),
        ("paragraph", (Span(QUOTE),)),
        ("paragraph", (Span(BACKSLASHES),)),
    ]
