"""The edition PDF: every page's PDF in order, with an outline and page labels (版次).

Readers of an edition jump by page and by story, so the outline has one entry
per page (its 版次 and section) with one child per article at its headline;
page labels show 第N版 in the viewer's page box.  The pages are copied as
built, byte for byte in content; the file's identifier is derived from its
content and its dates from the edition's, so the same pages give the same file.
"""

from __future__ import annotations

import io
from datetime import date

import pikepdf

from ..model.document import Edition
from .page_job import PageMarks


def edition_title(edition: Edition) -> str:
    day = edition.date
    return edition.title or f"{edition.paper} {day.year}年{day.month}月{day.day}日"


def combine(pages: list[tuple[bytes, PageMarks]], edition: Edition) -> bytes:
    """One PDF of `pages` (PDF bytes with their marks), in the order given."""
    combined = pikepdf.new()
    for pdf, _ in pages:
        with pikepdf.open(io.BytesIO(pdf)) as source:
            combined.pages.extend(source.pages)
    labels = []
    with combined.open_outline() as outline:
        for index, (_, marks) in enumerate(pages):
            height = float(combined.pages[index].mediabox[3])
            entry = pikepdf.OutlineItem(marks.label, index, "XYZ", left=0, top=height)
            entry.children.extend(
                pikepdf.OutlineItem(article.title, index, "XYZ", left=0, top=height - article.top)
                for article in marks.articles
            )
            outline.root.append(entry)
            labels += [index, pikepdf.Dictionary(P=pikepdf.String(f"第{marks.number}版"))]
    combined.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(labels))
    combined.Root.PageMode = pikepdf.Name.UseOutlines
    combined.Root.Lang = pikepdf.String("zh-CN")
    stamp = _pdf_date(edition.date)
    combined.docinfo.Title = pikepdf.String(edition_title(edition))
    combined.docinfo.Creator = pikepdf.String("newspage")
    combined.docinfo.CreationDate = pikepdf.String(stamp)
    combined.docinfo.ModDate = pikepdf.String(stamp)
    buffer = io.BytesIO()
    combined.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _pdf_date(day: date) -> str:
    return f"D:{day:%Y%m%d}000000Z"
