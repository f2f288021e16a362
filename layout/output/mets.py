"""METS 1.12 of an edition: the issue, its files, its pages in order and its articles.

Libraries hold a newspaper issue as METS and ALTO: METS describes the issue,
lists its files, and gives its physical structure (the pages in order, each
with its PDF, ALTO and sources) and its logical one (each page's articles,
each pointing at its blocks in the ALTO of the pages it is printed on).

The articles are read from the pages' ALTO files themselves (their
StructureTags, `alto.py`), so the METS points at exactly the blocks the files
hold, whether a page was built now or taken from the cache; a jumped article's
parts share one tag, so it is one article across its pages, under the page it
starts on.  The issue is described in MODS, as newspaper profiles (NDNP, ENMAP)
do, kept to what the edition knows: paper, date, title, language.  Files are
named relative to the METS file, with their size and SHA-256.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from ..model.copy import PAGE_FILE, page_files
from ..model.document import Edition
from ..sources.page import load_page
from .alto import NS as ALTO

NS = "http://www.loc.gov/METS/"
MODS = "http://www.loc.gov/mods/v3"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    f"{NS} http://www.loc.gov/standards/mets/version1121/mets.xsd "
    f"{MODS} http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"
)
METS_NAME = "edition.mets.xml"  # in the edition's output directory
MIMETYPES = {
    ".pdf": "application/pdf",
    ".xml": "text/xml",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
    ".md": "text/markdown",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class MetsPage:
    """A built page of the edition, as the METS lists it."""

    label: str  # 第5版 专版
    pdf: Path
    alto: Path
    sources: tuple[Path, ...]  # the files it was built from (`page_sources`)


def page_sources(directory: Path) -> tuple[Path, ...]:
    """The files a page is built from: page.yaml, then the others by name."""
    return tuple(sorted(page_files(load_page(directory)), key=lambda p: (p.name != PAGE_FILE, p)))


@dataclass
class Division:
    """An article (or the page's heading, credits, an ad) and where its blocks are."""

    kind: str
    label: str
    home: int  # the page it starts on: its logical division is under that page's
    areas: list[tuple[bool, int, str]] = field(default_factory=list)  # (rest?, page, block)


def edition_mets(
    edition: Edition, pages: Sequence[MetsPage], at: Path, *, edition_pdf: Path | None = None
) -> bytes:
    """The METS of `edition`, whose built `pages` are given in order, to be written to `at`
    (files are named relative to it); `edition_pdf` is listed as the whole issue's file."""
    root = etree.Element(
        _q("mets"),
        {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION, "LABEL": edition.heading},
        nsmap={"mets": NS, "mods": MODS, "xlink": XLINK, "xsi": XSI},
    )
    agent = _sub(_sub(root, "metsHdr"), "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _sub(agent, "name").text = "newspage"
    _issue(
        _sub(_sub(_sub(root, "dmdSec", ID="ISSUE"), "mdWrap", MDTYPE="MODS"), "xmlData"),
        edition,
        len(pages),
    )
    files = _sub(root, "fileSec")
    base = at.parent
    groups = {use: _sub(files, "fileGrp", USE=use) for use in ("PDF", "ALTO", "SOURCE")}
    for number, page in enumerate(pages, start=1):
        _file(groups["PDF"], f"PDF{number}", page.pdf, base, f"PAGE{number}")
        _file(groups["ALTO"], f"ALTO{number}", page.alto, base, f"PAGE{number}")
        for index, source in enumerate(page.sources, start=1):
            _file(groups["SOURCE"], f"SRC{number}_{index}", source, base, f"PAGE{number}")
    if edition_pdf is not None:
        _file(_sub(files, "fileGrp", USE="EDITION"), "EDITION", edition_pdf, base, None)
    altos = [etree.parse(str(page.alto), _parser()) for page in pages]
    _physical(root, edition, pages, altos)
    _logical(root, edition, pages, altos, edition_pdf is not None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _issue(data: etree._Element, edition: Edition, pages: int) -> None:
    """The issue in MODS: the paper (with the edition's title, if it has one), the date."""
    mods = etree.SubElement(data, f"{{{MODS}}}mods", version="3.8")
    title = _mods(_mods(mods, "titleInfo"), "title", edition.paper)
    if edition.title:
        _mods(title.getparent(), "partName", edition.title)
    _mods(mods, "typeOfResource", "text")
    _mods(mods, "genre", "newspaper").set("authority", "marcgt")
    origin = _mods(mods, "originInfo")
    _mods(origin, "dateIssued", edition.date.isoformat()).set("encoding", "iso8601")
    _mods(origin, "issuance", "serial")
    language = _mods(_mods(mods, "language"), "languageTerm", "chi")
    language.attrib.update({"type": "code", "authority": "iso639-2b"})
    _mods(_mods(mods, "physicalDescription"), "extent", str(pages)).set("unit", "pages")


def _mods(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{MODS}}}{name}")
    element.text = text
    return element


def _file(group: etree._Element, id_: str, path: Path, base: Path, page: str | None) -> None:
    """A file with its type, size and checksum, named relative to the METS file."""
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    attributes = {
        "ID": id_,
        "MIMETYPE": MIMETYPES.get(path.suffix.lower(), "application/octet-stream"),
        "SIZE": str(path.stat().st_size),
        "CHECKSUM": digest,
        "CHECKSUMTYPE": "SHA-256",
    }
    if page is not None:
        attributes["GROUPID"] = page
    relative = Path(os.path.relpath(path, base)).as_posix()  # both made absolute
    location = {"LOCTYPE": "URL", f"{{{XLINK}}}href": quote(relative)}
    _sub(_sub(group, "file", **attributes), "FLocat", **location)


def _physical(
    root: etree._Element, edition: Edition, pages: Sequence[MetsPage], altos: list
) -> None:
    """The pages in order, each with its PDF, ALTO and sources."""
    sequence = _sub(
        _sub(root, "structMap", TYPE="PHYSICAL"), "div", TYPE="physSequence", LABEL=edition.heading
    )
    for number, (page, alto) in enumerate(zip(pages, altos, strict=True), start=1):
        printed = alto.find(f".//{{{ALTO}}}Page").get("PRINTED_IMG_NR")
        div = _sub(
            sequence,
            "div",
            ID=f"PHYS{number}",
            TYPE="page",
            ORDER=str(number),
            ORDERLABEL=printed,
            LABEL=page.label,
        )
        _sub(div, "fptr", FILEID=f"PDF{number}")
        _sub(div, "fptr", FILEID=f"ALTO{number}")
        for index in range(1, len(page.sources) + 1):
            _sub(div, "fptr", FILEID=f"SRC{number}_{index}")


def _logical(
    root: etree._Element,
    edition: Edition,
    pages: Sequence[MetsPage],
    altos: list,
    whole: bool,
) -> None:
    """The issue's pages (版) and on each its articles, heading, credits and ads, in the order
    their blocks come; each points by `area` at its blocks, on every page it runs on."""
    divisions = _divisions(altos)
    issue = _sub(
        _sub(root, "structMap", TYPE="LOGICAL"),
        "div",
        ID="LOG_ISSUE",
        TYPE="issue",
        DMDID="ISSUE",
        LABEL=edition.heading,
    )
    if whole:
        _sub(issue, "fptr", FILEID="EDITION")
    for number, page in enumerate(pages, start=1):
        section = _sub(issue, "div", ID=f"LOG{number}", TYPE="section", LABEL=page.label)
        here = [d for d in divisions.values() if d.home == number]
        for index, division in enumerate(here, start=1):
            kind = "article" if division.kind == "continuation" else division.kind
            div = _sub(section, "div", ID=f"LOG{number}_{index}", TYPE=kind, LABEL=division.label)
            sequence = _sub(_sub(div, "fptr"), "seq")
            for _, on, block in sorted(division.areas, key=lambda area: area[:2]):
                _sub(sequence, "area", FILEID=f"ALTO{on}", BETYPE="IDREF", BEGIN=block)


def _divisions(altos: list) -> dict[str, Division]:
    """Every StructureTag of the pages' ALTO, with the blocks tagged with it, page by page.
    An article starts where its part is not a rest (上接): that part gives its label."""
    divisions: dict[str, Division] = {}
    for number, alto in enumerate(altos, start=1):
        tags = {tag.get("ID"): tag for tag in alto.iter(f"{{{ALTO}}}StructureTag")}
        for block in alto.find(f".//{{{ALTO}}}PrintSpace"):
            tag = next((tags[r] for r in block.get("TAGREFS", "").split() if r in tags), None)
            if tag is None:
                continue
            kind, rest = tag.get("TYPE"), tag.get("TYPE") == "continuation"
            division = divisions.setdefault(tag.get("ID"), Division(kind, tag.get("LABEL"), number))
            if division.kind == "continuation" and not rest:
                division.kind, division.label, division.home = kind, tag.get("LABEL"), number
            division.areas.append((rest, number, block.get("ID")))
    return divisions


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True)


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _sub(parent: etree._Element, name: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, _q(name), attributes)
