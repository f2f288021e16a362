"""PDF/A-3b for archives: WeasyPrint's variant plus what an archive needs to find the page again.

render.py asks for the options of WeasyPrint's `write_pdf` and lets `add_xmp`
extend the document's metadata; nothing else of WeasyPrint is touched.
An archived page must be rebuildable and findable without this project, so its
sources travel inside it as associated files, and paper, date, page and section
go into the XMP metadata, where catalogues look for them.

The edition PDF of archived pages is made PDF/A-3b by `archive_edition`: the
pages' output intent, every page's sources (as its page PDF carries them) and
edition.yaml, each page's under its directory's name, and XMP for the issue.
WeasyPrint is imported only to render a page: the edition needs none of it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import pikepdf

from ..model.copy import PAGE_FILE, page_articles
from ..model.document import Edition, Page
from ..options import PDFA

if TYPE_CHECKING:
    from weasyprint import Attachment
    from weasyprint.pdf.metadata import DocumentMetadata

LANGUAGE = "zh-CN"  # as <html lang> in the template

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PRISM = "http://prismstandard.org/namespaces/basic/3.0/"
PDFA_EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PDFA_PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
PDFA_ID = "http://www.aiim.org/pdfa/ns/id/"
XMP = "http://ns.adobe.com/xap/1.0/"
# The extension schema names its prefix, so the packet must use these, not ns0, ns1…
# ElementTree's prefixes are global; WeasyPrint registers rdf and dc the same way.
for _prefix, _uri in {
    "rdf": RDF,
    "dc": DC,
    "prism": PRISM,
    "pdfaExtension": PDFA_EXTENSION,
    "pdfaSchema": PDFA_SCHEMA,
    "pdfaProperty": PDFA_PROPERTY,
    "pdfaid": PDFA_ID,
    "xmp": XMP,
}.items():
    ET.register_namespace(_prefix, _uri)

# PRISM property → (XMP value type, description), for the PDF/A extension schema.
PRISM_PROPERTIES = {
    "publicationName": ("Text", "Name of the newspaper"),
    "coverDate": ("Date", "Publication date printed on the page"),
    "startingPage": ("Text", "Page number (版次)"),
    "section": ("Text", "Section name (版名)"),
    "pageCount": ("Integer", "Number of pages (版) in the edition"),
}
YAML = "application/yaml"
CREATOR = "newspage"  # the Info dictionary's /Creator, as the pages' HTML names it
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
    from weasyprint import Attachment  # noqa: PLC0415 (heavy import: only a render needs it)

    sources: dict[str, tuple[Path, str | None, str]] = {
        PAGE_FILE: (page.directory / PAGE_FILE, YAML, _title(page))
    }
    for article in page_articles(page):
        sources[_name(page, article.file)] = (article.file, "text/markdown", article.headline)
        for image in article.images:
            sources[_name(page, image.path)] = (image.path, None, image.caption or article.headline)
    if page.layout_file is not None:  # the make-up: a layout file given may lie elsewhere
        name = page.layout_file.name
        if page.layout_file.is_relative_to(page.directory):
            name = _name(page, page.layout_file)
        sources[name] = (page.layout_file, YAML, f"{_title(page)} · 版式")
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
    """An rdf:RDF with the page's bibliographic data and the PDF/A schema of its PRISM part."""
    prism = {"startingPage": str(page.number), "section": page.section}
    return ET.tostring(_issue(page.paper, page.date, prism), encoding="utf-8")


def archive_edition(
    pdf: pikepdf.Pdf,
    sources: Sequence[pikepdf.Pdf],
    prefixes: Sequence[str],
    edition: Edition,
    title: str,
) -> None:
    """Make `pdf`, the pages of the PDF/A-3b page PDFs `sources` in order, a PDF/A-3b.

    Each page's sources are associated with its page and with the document,
    named under `prefixes` (the page's directory); `title` is the Info
    dictionary's, which the XMP must repeat.
    """
    intents = sources[0].Root.OutputIntents  # the same sRGB intent on every page
    pdf.Root.OutputIntents = pdf.copy_foreign(sources[0].make_indirect(intents))
    stamp = datetime.combine(edition.date, time(), tzinfo=UTC)
    files = [(edition.file.name, _filespec(pdf, edition.file, title, stamp))]
    for page, source, prefix in zip(pdf.pages, sources, prefixes, strict=True):
        own = []
        for spec in {spec.objgen: spec for spec in source.Root.get("/AF", ())}.values():
            copied = pdf.copy_foreign(spec)  # each once: WeasyPrint lists them twice
            name = f"{prefix}/{spec.UF}"
            copied.F = copied.UF = pikepdf.String(name)
            own.append(copied)
            files.append((name, copied))
        page.obj.AF = pikepdf.Array(own)
    files.sort(key=lambda file: bytes(pikepdf.String(file[0])))  # a name tree's order: bytes
    pdf.Root.AF = pikepdf.Array(spec for _, spec in files)
    names = pikepdf.Array(item for name, spec in files for item in (pikepdf.String(name), spec))
    pdf.Root.Names = pikepdf.Dictionary(EmbeddedFiles=pikepdf.Dictionary(Names=names))
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    packet = _packet(_edition_xmp(edition, title, len(pdf.pages)))
    pdf.Root.Metadata = pdf.make_stream(
        packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
    )


def _edition_xmp(edition: Edition, title: str, pages: int) -> bytes:
    """The edition's rdf:RDF: PDF/A identification, what the Info dictionary says (title,
    creator, dates: the edition's day), and the issue's bibliographic data."""
    rdf = _issue(edition.paper, edition.date, {"pageCount": str(pages)})
    identification = _description(rdf)
    identification.set(f"{{{PDFA_ID}}}part", "3")
    identification.set(f"{{{PDFA_ID}}}conformance", "B")
    document = _description(rdf)
    alt = ET.SubElement(ET.SubElement(document, f"{{{DC}}}title"), f"{{{RDF}}}Alt")
    ET.SubElement(alt, f"{{{RDF}}}li", {"xml:lang": "x-default"}).text = title
    ET.SubElement(document, f"{{{XMP}}}CreatorTool").text = CREATOR
    for name in ("CreateDate", "ModifyDate"):
        ET.SubElement(document, f"{{{XMP}}}{name}").text = f"{edition.date.isoformat()}T00:00:00Z"
    return ET.tostring(rdf, encoding="utf-8")


def _issue(paper: str, day: date, more: dict[str, str | None]) -> ET.Element:
    """An rdf:RDF with an issue's bibliographic data and the PDF/A schema of its PRISM part.

    PDF/A predefines dc:; a property of any other namespace must be declared in the packet.
    """
    prism = {"publicationName": paper, "coverDate": day.isoformat(), **more}
    prism = {name: value for name, value in prism.items() if value}
    rdf = ET.Element(f"{{{RDF}}}RDF")
    data = _description(rdf)
    _array(data, f"{{{DC}}}language", "Bag", LANGUAGE)
    _array(data, f"{{{DC}}}publisher", "Bag", paper)
    _array(data, f"{{{DC}}}date", "Seq", day.isoformat())
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
    return rdf


def _packet(rdf: bytes) -> bytes:
    """An XMP packet around `rdf`, as WeasyPrint writes a page's."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'.encode()
        + rdf
        + b'\n</x:xmpmeta>\n<?xpacket end="r"?>'
    )


def _filespec(pdf: pikepdf.Pdf, path: Path, description: str, stamp: datetime) -> pikepdf.Object:
    """An associated file of `path` (YAML), dated `stamp` (as WeasyPrint dates a page's)."""
    data = path.read_bytes()
    when = pikepdf.String(f"D:{stamp:%Y%m%d%H%M%S}Z")
    params = pikepdf.Dictionary(
        Size=len(data),
        CreationDate=when,
        ModDate=when,
        CheckSum=pikepdf.String(hashlib.md5(data, usedforsecurity=False).digest()),
    )
    stream = pdf.make_stream(
        data, Type=pikepdf.Name.EmbeddedFile, Subtype=pikepdf.Name("/" + YAML), Params=params
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec,
            F=pikepdf.String(path.name),
            UF=pikepdf.String(path.name),
            Desc=pikepdf.String(description),
            AFRelationship=pikepdf.Name.Source,
            EF=pikepdf.Dictionary(F=stream),
        )
    )


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
