"""The archival PDF/A-3b read back: its embedded sources, its XMP, its tags and reading order.

Expected values come from the page directories on disk and the pages as loaded,
never from `layout.archive`, so a mistake there cannot hide in the test.
"""

from __future__ import annotations

import io
import re
import shutil
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from defusedxml import ElementTree
from PIL import Image

from layout.compose import compose_page
from layout.options import PDFA, OutputOptions
from layout.output.archive import xmp
from layout.pipeline import build
from layout.render.template import render_html
from layout.sources.page import load_page
from layout.typeset.fonts import load_roles
from layout.typeset.normalise import normalise_page
from tests.conftest import SEED
from tests.pagegen import Spec, write_page

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
PRISM_URI = "http://prismstandard.org/namespaces/basic/3.0/"
PRISM = f"{{{PRISM_URI}}}"
EXTENSION = "{http://www.aiim.org/pdfa/ns/extension/}"
SCHEMA = "{http://www.aiim.org/pdfa/ns/schema#}"
PROPERTY = "{http://www.aiim.org/pdfa/ns/property#}"
MEDIA_TYPES = {".md": "text/markdown", ".yaml": "application/yaml"}
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
# Bylines as a desk writes them; the third article has none.
BYLINES = ("本报记者 张建芳", "本报记者 郭健 实习生 孟婧美", None, "通讯员 赵遐")


@pytest.fixture(scope="module")
def seed():
    return build(SEED, options=OutputOptions(PDFA))


@pytest.fixture(scope="module")
def photo_page(tmp_path_factory):
    """A generated page with bylines and two photos, one JPEG and one PNG."""
    directory = write_page(
        tmp_path_factory.mktemp("photos") / "page",
        [Spec(600, 1), Spec(632, 1), Spec(505), Spec(379)],
        format="tabloid",
        seed=2,
    )
    with Image.open(directory / "01-1.jpg") as photo:
        photo.save(directory / "01-1.png")
    (directory / "01-1.jpg").unlink()
    for number, byline in enumerate(BYLINES, start=1):
        article = directory / f"{number:02d}-story.md"
        text = article.read_text(encoding="utf-8").replace("01-1.jpg", "01-1.png")
        text = re.sub(r"byline: .*\n", f"byline: {byline}\n" if byline else "", text)
        article.write_text(text, encoding="utf-8")
    return directory, build(directory, options=OutputOptions(PDFA))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def embedded(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Dictionary]:
    """The embedded files' name tree, in its own order, name → file specification."""
    names = pdf.Root.Names.EmbeddedFiles.Names
    return {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}


def packet(pdf: pikepdf.Pdf) -> bytes:
    return pdf.Root.Metadata.read_bytes()


def xmp_values(xml: bytes) -> dict[str, list[str]]:
    """Every top-level property of every rdf:RDF: its text, or its array's items."""
    values: dict[str, list[str]] = defaultdict(list)
    root = ElementTree.fromstring(xml)
    for description in root.iter(f"{RDF}Description"):
        for prop in description:
            items = prop.findall(f"./*/{RDF}li")
            values[prop.tag] += [li.text for li in items] if items else [prop.text]
    return values


def check_sources_embedded(pdf_bytes: bytes, directory: Path, date: str) -> None:
    """Every file of the page directory is embedded, byte for byte, as a PDF/A-3 source."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        files = embedded(pdf)
        on_disk = sorted(
            p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()
        )
        assert list(files) == on_disk  # a name tree's keys are sorted
        associated = {spec.objgen for spec in pdf.Root.AF}
        assert associated == {spec.objgen for spec in files.values()}
        for name, spec in files.items():
            path = directory / name
            stream = spec.EF.F
            assert name == spec.UF
            assert spec.AFRelationship == "/Source"
            assert stream.read_bytes() == path.read_bytes(), name
            if path.suffix in MEDIA_TYPES:
                media_type = MEDIA_TYPES[path.suffix]
            else:
                with Image.open(path) as image:
                    media_type = IMAGE_TYPES[image.format]
            assert stream.Subtype == pikepdf.Name("/" + media_type), name
            stamp = "D:" + date.replace("-", "") + "000000Z"
            assert stream.Params.CreationDate == stamp
            assert stream.Params.ModDate == stamp


def test_the_archive_is_pdfa_3b(seed):
    with pikepdf.open(io.BytesIO(seed.pdf)) as pdf:
        assert pdf.pdf_version == "1.7"
        assert [intent.S for intent in pdf.Root.OutputIntents] == ["/GTS_PDFA1"]
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"


def test_the_seed_page_sources_are_embedded(seed):
    check_sources_embedded(seed.pdf, SEED, load_page(SEED).date.isoformat())


def test_photos_are_embedded_with_their_own_type(photo_page):
    directory, result = photo_page
    assert {p.suffix for p in directory.iterdir()} == {".md", ".yaml", ".jpg", ".png"}
    check_sources_embedded(result.pdf, directory, result.page.date.isoformat())


def test_xmp_carries_the_page_bibliographic_data(seed):
    page = load_page(SEED)
    with pikepdf.open(io.BytesIO(seed.pdf)) as pdf:
        values = xmp_values(packet(pdf))
    assert values[f"{DC}language"] == ["zh-CN"]
    assert values[f"{DC}publisher"] == [page.paper]
    assert values[f"{DC}date"] == [page.date.isoformat()]
    assert values[f"{PRISM}publicationName"] == [page.paper]
    assert values[f"{PRISM}coverDate"] == [page.date.isoformat()]
    assert values[f"{PRISM}startingPage"] == [str(page.number)]
    assert values[f"{PRISM}section"] == [page.section]


def test_the_packet_has_one_rdf_that_xmp_readers_see_whole(seed):
    """A second rdf:RDF is ignored by readers; ours must be inside WeasyPrint's one."""
    page = load_page(SEED)
    with pikepdf.open(io.BytesIO(seed.pdf)) as pdf:
        root = ElementTree.fromstring(packet(pdf))
        meta = pdf.open_metadata()
        assert len(root.findall(f"{RDF}RDF")) == 1
        assert meta["dc:language"] == {"zh-CN"}
        assert meta["dc:title"] == pdf.docinfo.Title
        assert meta[f"{PRISM}startingPage"] == str(page.number)


def test_each_byline_is_one_creator_however_often_it_appears(tmp_path):
    specs = [Spec(758), Spec(632, 1), Spec(505), Spec(379)]  # a tabloid page that fits
    page = normalise_page(load_page(write_page(tmp_path / "page", specs, seed=2)))
    assert len({a.byline for a in page.articles}) == 1 < len(page.articles)
    roles = load_roles()
    html = render_html(page, compose_page(page, roles), roles)
    assert html.count('<meta name="author"') == 1


def test_every_prism_property_is_declared_for_pdfa(seed):
    """PDF/A allows a property outside its predefined schemas only if the packet declares it."""
    with pikepdf.open(io.BytesIO(seed.pdf)) as pdf:
        raw = packet(pdf)
    root = ElementTree.fromstring(raw)
    used = {
        prop.tag.removeprefix(PRISM)
        for description in root.iter(f"{RDF}Description")
        for prop in description
        if prop.tag.startswith(PRISM)
    }
    schemas = [
        schema
        for schema in root.iter(f"{EXTENSION}schemas")
        for schema in schema.findall(f"{RDF}Bag/{RDF}li")
        if schema.findtext(f"{SCHEMA}namespaceURI") == PRISM_URI
    ]
    assert len(schemas) == 1
    prefix = schemas[0].findtext(f"{SCHEMA}prefix")
    declared = {}
    for prop in schemas[0].iterfind(f"{SCHEMA}property/{RDF}Seq/{RDF}li"):
        declared[prop.findtext(f"{PROPERTY}name")] = prop
        assert prop.findtext(f"{PROPERTY}valueType") in {"Text", "Date"}
        assert prop.findtext(f"{PROPERTY}category") == "external"
        assert prop.findtext(f"{PROPERTY}description")
    assert used and used == set(declared)
    for name in used:  # validators match the declared prefix, not only the namespace
        assert f"<{prefix}:{name}>".encode() in raw


def test_xmp_values_are_escaped():
    page = replace(load_page(SEED), paper="A&B <日报>", section='"专版" & </rdf:RDF>')
    values = xmp_values(xmp(page))
    assert values[f"{DC}publisher"] == [page.paper]
    assert values[f"{PRISM}publicationName"] == [page.paper]
    assert values[f"{PRISM}section"] == [page.section]


def test_a_page_without_section_declares_no_section():
    page = replace(load_page(SEED), section=None)
    raw = xmp(page)
    assert b"section" not in raw
    assert xmp_values(raw)[f"{PRISM}coverDate"] == [page.date.isoformat()]


def test_dc_creator_lists_the_bylines_in_article_order(photo_page):
    _, result = photo_page
    bylines = [article.byline for article in result.page.articles if article.byline]
    assert len(bylines) == len([b for b in BYLINES if b])
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert pdf.open_metadata()["dc:creator"] == bylines


def test_language_and_tags(seed):
    with pikepdf.open(io.BytesIO(seed.pdf)) as pdf:
        assert pdf.Root.Lang == "zh-CN"
        assert pdf.Root.MarkInfo.Marked
        assert pdf.Root.StructTreeRoot.Type == "/StructTreeRoot"


def test_each_article_is_tagged_and_reads_in_order(seed):
    """One /Art per module, in the layout's reading order; inside it the article's text in order."""

    def mcids(element):
        yield from element.get("mcids", [])
        for child in element.get("children", []):
            yield from mcids(child)

    with pdfplumber.open(io.BytesIO(seed.pdf)) as pdf:
        page = pdf.pages[0]
        text = defaultdict(str)
        for char in page.chars:
            text[char["mcid"]] += char["text"]
        (document,) = page.structure_tree
        arts = [
            squeeze("".join(text[mcid] for mcid in mcids(element)))
            for element in document["children"]
            if element["type"] == "Art"
        ]
    modules = [module.article for module in seed.layout.modules]
    assert sorted(a.slug for a in modules) == sorted(a.slug for a in seed.page.articles)
    assert len(arts) == len(modules)
    for art, article in zip(arts, modules, strict=True):
        at = 0
        for piece in [article.headline, *(block.text for block in article.blocks)]:
            found = art.find(squeeze(piece), at)
            assert found >= 0, (article.slug, piece[:20])
            at = found + len(squeeze(piece))


def test_rebuilding_elsewhere_gives_the_same_bytes(seed, tmp_path):
    """Fresh file times and another directory: nothing of either may reach the PDF."""
    copy = shutil.copytree(SEED, tmp_path / "elsewhere", copy_function=shutil.copy)
    assert build(copy, options=OutputOptions(PDFA)).pdf == seed.pdf
