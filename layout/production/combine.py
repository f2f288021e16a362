"""The edition PDF: every page's PDF in order, with an outline and page labels (版次).

Readers of an edition jump by page and by story, so the outline has one entry
per page (its 版次 and section) with one child per article at its headline;
the rest of a jumped article (上接) is no article of its page but a child
"续（第N版）" of its article's entry, where a reader looks for it.  Page labels
show 第N版 in the viewer's page box.  The pages are copied as
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
    rests = {
        (rest.from_page, rest.slug): _item(combined, f"续（第{marks.number}版）", index, rest.top)
        for index, (_, marks) in enumerate(pages)
        for rest in marks.rests
    }
    labels = []
    with combined.open_outline() as outline:
        for index, (_, marks) in enumerate(pages):
            entry = _item(combined, marks.label, index, 0)
            for article in marks.articles:
                item = _item(combined, article.title, index, article.top)
                if (rest := rests.get((marks.number, article.slug))) is not None:
                    item.children.append(rest)
                entry.children.append(item)
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


def _item(pdf: pikepdf.Pdf, title: str, index: int, top: float) -> pikepdf.OutlineItem:
    """An outline entry for page `index`, `top` pt from its top edge."""
    height = float(pdf.pages[index].mediabox[3])
    return pikepdf.OutlineItem(title, index, "XYZ", left=0, top=height - top)


def _pdf_date(day: date) -> str:
    return f"D:{day:%Y%m%d}000000Z"
