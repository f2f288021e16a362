"""WeasyPrint extension: a pull quote is tagged as an Aside, page furniture is an Artifact.

WeasyPrint 70 tags an HTML `<aside>` as NonStruct, so a screen reader or an
archive's text extraction cannot tell the pull quote (a repeat of the
article's own words) from the article.  PDF 2.0 names this role `Aside`;
a PDF/A-3 file (PDF 1.7) may use it as a non-standard type mapped in the
structure tree's RoleMap to the nearest standard type, `Note`.

Page furniture such as a column logo (栏目头, repeating a section's name) is
decoration, which tagged PDF keeps out of the structure tree as an Artifact.
WeasyPrint already draws every border and background as an Artifact, but gives
all text an MCID and a Span in the tree.  An element marked `aria-hidden="true"`
(HTML's "not for assistive technology": the element and all inside it, as
Chromium leaves it out of its tagged PDFs) is drawn as an Artifact whole.

The extension wraps WeasyPrint's narrowest points: the HTML → PDF tag table
(`tags._get_pdf_tag`); the tag tree's construction (`add_tags`, as
`weasyprint.pdf` calls it), which gains the RoleMap; where content gets its
MCID (`Stream.marked`) and where a box gets its structure element
(`tags._build_box_tree`), both skipped inside a marked element; and the page's
drawing (`draw_page`, as `weasyprint.document` calls it), which first notes the
elements inside a marked one, since neither boxes nor elements know their
parents.  Without a marked element, the bytes are WeasyPrint's as before.
`install` is idempotent.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

import pydyf
import weasyprint.document
import weasyprint.pdf
from weasyprint.pdf import tags
from weasyprint.pdf.stream import Stream

ASIDE = "Aside"
STANDARD = {ASIDE: "Note"}  # PDF 1.7 has no Aside: the nearest standard type
HIDDEN = ("aria-hidden", "true")  # the marker of decoration: drawn as an Artifact, never tagged

# Every element inside a marked one (itself included) of the documents drawn so far;
# weak, so that it keeps no document alive.
_hidden: weakref.WeakSet[Any] = weakref.WeakSet()


def _pdf_tag(tag):
    return ASIDE if tag == "aside" else _original_tag(tag)


def _add_tags(pdf, document, pdf_version, page_streams):
    """WeasyPrint's tag tree, with a RoleMap if it has an Aside (only then: the
    bytes of a page without a pull quote stay as WeasyPrint writes them)."""
    result = _original_add_tags(pdf, document, pdf_version, page_streams)
    found = {item.get("S") for item in pdf.objects if isinstance(item, pydyf.Dictionary)}
    used = {name: f"/{base}" for name, base in STANDARD.items() if f"/{name}" in found}
    for item in pdf.objects:
        if used and isinstance(item, pydyf.Dictionary) and item.get("Type") == "/StructTreeRoot":
            item["RoleMap"] = pydyf.Dictionary(used)
    return result


def _draw_page(page: Any, stream: Any) -> None:
    """Note the elements inside a marked one before the page is drawn and tagged."""
    name, value = HIDDEN
    roots = {child.element for child in page.children if child.element is not None}
    for root in roots:
        for element in root.iter():
            if element.get(name) == value:
                _hidden.update(element.iter())
    _original_draw_page(page, stream)


def _marked(self: Any, box: Any, tag: str) -> AbstractContextManager[None]:
    """Text or an image inside a marked element: an Artifact, with no MCID."""
    return self.artifact() if box.element in _hidden else _original_marked(self, box, tag)


def _build_box_tree(box: Any, *args: Any) -> Iterator[Any]:
    """No structure element for a marked element's box, nor for anything inside it."""
    return iter(()) if box.element in _hidden else _original_build_box_tree(box, *args)


_original_tag = tags._get_pdf_tag
_original_add_tags = weasyprint.pdf.add_tags
_original_draw_page = weasyprint.document.draw_page
_original_marked = Stream.marked
_original_build_box_tree = tags._build_box_tree


def install() -> None:
    """From now on, in every tagged PDF WeasyPrint writes: `<aside>` is an Aside, and an
    element marked `aria-hidden="true"` is an Artifact with all inside it."""
    tags._get_pdf_tag = _pdf_tag
    weasyprint.pdf.add_tags = _add_tags
    weasyprint.document.draw_page = _draw_page
    Stream.marked = _marked
    tags._build_box_tree = _build_box_tree
