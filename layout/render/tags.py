"""WeasyPrint extension: a pull quote is tagged as an Aside, not as body text.

WeasyPrint 70 tags an HTML `<aside>` as NonStruct, so a screen reader or an
archive's text extraction cannot tell the pull quote (a repeat of the
article's own words) from the article.  PDF 2.0 names this role `Aside`;
a PDF/A-3 file (PDF 1.7) may use it as a non-standard type mapped in the
structure tree's RoleMap to the nearest standard type, `Note`.

The extension wraps WeasyPrint's two narrowest points: the HTML → PDF tag
table (`tags._get_pdf_tag`) and the tag tree's construction (`add_tags`, as
`weasyprint.pdf` calls it), which gains the RoleMap.  `install` is idempotent.
"""

from __future__ import annotations

import pydyf
import weasyprint.pdf
from weasyprint.pdf import tags

ASIDE = "Aside"
STANDARD = {ASIDE: "Note"}  # PDF 1.7 has no Aside: the nearest standard type


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


_original_tag = tags._get_pdf_tag
_original_add_tags = weasyprint.pdf.add_tags


def install() -> None:
    """Tag `<aside>` as Aside in every tagged PDF WeasyPrint writes from now on."""
    tags._get_pdf_tag = _pdf_tag
    weasyprint.pdf.add_tags = _add_tags
