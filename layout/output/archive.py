"""PDF/A-3b for archives: WeasyPrint's variant plus what an archive needs to find the page again.

render.py asks for the options of WeasyPrint's `write_pdf` and lets `add_xmp`
extend the document's metadata; nothing else of WeasyPrint is touched.
An archived page must be rebuildable and findable without this project, so its
sources travel inside it as associated files, and paper, date, page and section
go into the XMP metadata, where catalogues look for them.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from weasyprint import Attachment
from weasyprint.pdf.metadata import DocumentMetadata

from ..model.copy import PAGE_FILE, page_articles
from ..model.document import Page
from ..options import PDFA

LANGUAGE = "zh-CN"  # as <html lang> in the template

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PRISM = "http://prismstandard.org/namespaces/basic/3.0/"
PDFA_EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PDFA_PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
# The extension schema names its prefix, so the packet must use these, not ns0, ns1…
# ElementTree's prefixes are global; WeasyPrint registers rdf and dc the same way.
for _prefix, _uri in {
    "rdf": RDF,
    "dc": DC,
    "prism": PRISM,
    "pdfaExtension": PDFA_EXTENSION,
    "pdfaSchema": PDFA_SCHEMA,
    "pdfaProperty": PDFA_PROPERTY,
}.items():
    ET.register_namespace(_prefix, _uri)

# PRISM property → (XMP value type, description), for the PDF/A extension schema.
PRISM_PROPERTIES = {
    "publicationName": ("Text", "Name of the newspaper"),
    "coverDate": ("Date", "Publication date printed on the page"),
    "startingPage": ("Text", "Page number (版次)"),
    "section": ("Text", "Section name (版名)"),
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def pdf_options(page: Page) -> dict[str, Any]:
    """`write_pdf` options that make `page` an archival PDF/A-3b, tagged for reading order.

    They hold one-shot sources (WeasyPrint reads attachments and XMP as streams),
    so make them afresh for each `write_pdf`.
    """
    return {
        "pdf_variant": PDFA.weasyprint_variant,
        "pdf_tags": True,
        "attachments": attachments(page),
    }


def add_xmp(metadata: DocumentMetadata, page: Page) -> None:
    """Put the page's descriptions into the one rdf:RDF that WeasyPrint writes.

    WeasyPrint's `xmp_metadata` option appends a second rdf:RDF after its own,
    which XMP readers (pikepdf among them) ignore and validators may reject; so
    the descriptions are added to WeasyPrint's own element instead.
    """
    generate = metadata.generate_rdf_metadata

    def merged(*args: object) -> bytes:
        rdf = ET.fromstring(generate(*args))  # WeasyPrint's own output
        rdf.extend(ET.fromstring(xmp(page)))
        return ET.tostring(rdf, encoding="utf-8")

    metadata.generate_rdf_metadata = merged


def attachments(page: Page) -> list[Attachment]:
    """The page's sources as PDF/A-3 associated files, sorted by name as a name tree must be.

    MIME types and dates are given, not left to WeasyPrint: it would guess types
    from the machine's mime.types (page.yaml: none) and take dates from the files'
    times, so the same sources would not give the same bytes everywhere.
    """
    # name: (file, MIME type or None to tell from the data, description)
    sources: dict[str, tuple[Path, str | None, str]] = {
        PAGE_FILE: (page.directory / PAGE_FILE, "application/yaml", _title(page))
    }
    for article in page_articles(page):
        sources[_name(page, article.file)] = (article.file, "text/markdown", article.headline)
        for image in article.images:
            sources[_name(page, image.path)] = (image.path, None, image.caption or article.headline)
    for ad in page.ads:
        sources[_name(page, ad.file)] = (
            ad.file,
            AD_TYPES[ad.kind],
            f"广告 {ad.client or ''}".strip(),
        )
    stamp = datetime.combine(page.date, time(), tzinfo=UTC)
    result = []
    for name, (path, media_type, description) in sorted(sources.items()):
        data = path.read_bytes()
        kind = media_type or _image_type(data)
        result.append(
            Attachment(
                # A data: URL is the one source whose MIME type WeasyPrint takes as given.
                url=f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}",
                name=name,
                description=description,
                created=stamp,
                modified=stamp,
                relationship="Source",
            )
        )
    return result


def xmp(page: Page) -> bytes:
    """An rdf:RDF with the page's bibliographic data and the PDF/A schema of its PRISM part.

    PDF/A predefines dc:; a property of any other namespace must be declared in the packet.
    """
    prism = {
        "publicationName": page.paper,
        "coverDate": page.date.isoformat(),
        "startingPage": str(page.number),
        "section": page.section,
    }
    prism = {name: value for name, value in prism.items() if value}
    rdf = ET.Element(f"{{{RDF}}}RDF")
    data = _description(rdf)
    _array(data, f"{{{DC}}}language", "Bag", LANGUAGE)
    _array(data, f"{{{DC}}}publisher", "Bag", page.paper)
    _array(data, f"{{{DC}}}date", "Seq", page.date.isoformat())
    for name, value in prism.items():
        ET.SubElement(data, f"{{{PRISM}}}{name}").text = value
    schemas = ET.SubElement(_description(rdf), f"{{{PDFA_EXTENSION}}}schemas")
    schema = _resource(ET.SubElement(schemas, f"{{{RDF}}}Bag"))
    ET.SubElement(schema, f"{{{PDFA_SCHEMA}}}schema").text = "PRISM Basic Metadata"
    ET.SubElement(schema, f"{{{PDFA_SCHEMA}}}namespaceURI").text = PRISM
    ET.SubElement(schema, f"{{{PDFA_SCHEMA}}}prefix").text = "prism"
    properties = ET.SubElement(ET.SubElement(schema, f"{{{PDFA_SCHEMA}}}property"), f"{{{RDF}}}Seq")
    for name in prism:
        value_type, description = PRISM_PROPERTIES[name]
        entry = _resource(properties)
        ET.SubElement(entry, f"{{{PDFA_PROPERTY}}}name").text = name
        ET.SubElement(entry, f"{{{PDFA_PROPERTY}}}valueType").text = value_type
        ET.SubElement(entry, f"{{{PDFA_PROPERTY}}}category").text = "external"
        ET.SubElement(entry, f"{{{PDFA_PROPERTY}}}description").text = description
    return ET.tostring(rdf, encoding="utf-8")


def _title(page: Page) -> str:
    return f"{page.paper} {page.date.isoformat()} 第{page.number}版"


def _name(page: Page, path: Path) -> str:
    """The name an archive reader sees: the path as written in the sources, never absolute."""
    return path.relative_to(page.directory).as_posix()


AD_TYPES = {
    "pdf": "application/pdf",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpeg": "image/jpeg",
}


def _image_type(data: bytes) -> str:
    """By content: the loader accepted the file as JPEG or PNG whatever its name."""
    return "image/png" if data.startswith(PNG_SIGNATURE) else "image/jpeg"


def _description(rdf: ET.Element) -> ET.Element:
    return ET.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})


def _array(parent: ET.Element, tag: str, kind: str, value: str) -> None:
    container = ET.SubElement(ET.SubElement(parent, tag), f"{{{RDF}}}{kind}")
    ET.SubElement(container, f"{{{RDF}}}li").text = value


def _resource(parent: ET.Element) -> ET.Element:
    return ET.SubElement(parent, f"{{{RDF}}}li", {f"{{{RDF}}}parseType": "Resource"})
