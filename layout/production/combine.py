"""The edition PDF: every page's PDF in order, with an outline and page labels (版次).

Readers of an edition jump by page and by story, so the outline has one entry
per page (its 版次 and section) with one child per article at its headline;
the rest of a jumped article (上接) is no article of its page but a child
"续（第N版）" of its article's entry, where a reader looks for it.  Page labels
show 第N版 in the viewer's page box.  The pages are copied as built, byte for
byte in content, but one subset of each font file serves them all
(`output/subsets.py` says why the subsets are merged rather than the edition
rendered again).  An edition of PDF/A pages is a PDF/A-3b itself: its tags
joined into one tree (`output/tagged.py`), its pages' sources and XMP for the
issue (`output/archive.py`).  The file's identifier is derived from its
content and its dates from the edition's, so the same pages give the same file.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pikepdf

from ..model.document import Edition, rest_slug
from ..output.archive import CREATOR, archive_edition
from ..output.subsets import share_subsets
from ..output.tagged import Join, join_tags
from .page_job import PageMarks


@dataclass(frozen=True)
class EditionPage:
    pdf: bytes
    marks: PageMarks
    name: str  # its directory as edition.yaml names it: its sources' folder in an archive


def combine(pages: Sequence[EditionPage], edition: Edition, *, archival: bool = False) -> bytes:
    """One PDF of `pages`, in the order given; `archival`: of PDF/A-3b pages, a PDF/A-3b."""
    with contextlib.ExitStack() as stack:
        sources = [stack.enter_context(pikepdf.open(io.BytesIO(page.pdf))) for page in pages]
        combined = pikepdf.new()
        for source in sources:
            combined.pages.extend(source.pages)
        _outline(combined, [page.marks for page in pages])
        share_subsets(combined)
        title = edition.heading
        if archival:
            join_tags(combined, sources, _titles(pages), _joins(pages))
            archive_edition(combined, sources, [page.name for page in pages], edition, title)
        combined.Root.Lang = pikepdf.String("zh-CN")
        stamp = _pdf_date(edition.date)
        combined.docinfo.Title = pikepdf.String(title)
        combined.docinfo.Creator = pikepdf.String(CREATOR)
        combined.docinfo.CreationDate = pikepdf.String(stamp)
        combined.docinfo.ModDate = pikepdf.String(stamp)
        buffer = io.BytesIO()
        combined.save(
            buffer,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            fix_metadata_version=False,  # the XMP as written: no packet of pikepdf's
        )
    return buffer.getvalue()


def _outline(combined: pikepdf.Pdf, pages: list[PageMarks]) -> None:
    """The outline (pages, their articles, a rest under its article) and the page labels."""
    rests = {
        (rest.from_page, rest.slug): _item(combined, f"续（第{marks.number}版）", index, rest.top)
        for index, marks in enumerate(pages)
        for rest in marks.rests
    }
    labels = []
    with combined.open_outline() as outline:
        for index, marks in enumerate(pages):
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


def _titles(pages: Sequence[EditionPage]) -> list[dict[str, str]]:
    """Per page, each article's headline by its module's id (its slug)."""
    return [{a.slug: a.title for a in page.marks.articles} for page in pages]


def _joins(pages: Sequence[EditionPage]) -> list[Join]:
    """Each rest and the first part of its article; a rest's module id is the article's slug
    and the page it comes from (`model.document.rest_slug`)."""
    index = {page.marks.number: position for position, page in enumerate(pages)}
    return [
        Join(index[rest.from_page], rest.slug, position, rest_slug(rest.slug, rest.from_page))
        for position, page in enumerate(pages)
        for rest in page.marks.rests
    ]


def _item(pdf: pikepdf.Pdf, title: str, index: int, top: float) -> pikepdf.OutlineItem:
    """An outline entry for page `index`, `top` pt from its top edge."""
    height = float(pdf.pages[index].mediabox[3])
    return pikepdf.OutlineItem(title, index, "XYZ", left=0, top=height - top)


def _pdf_date(day: date) -> str:
    return f"D:{day:%Y%m%d}000000Z"
