"""ALTO and METS for libraries: valid against the published schemas, each article's text the
author's, each line's box holding the glyphs pdfplumber finds there.

Every figure is measured apart from `output/alto.py`: the glyphs are read from the
PDF with pdfplumber and found by position in the ALTO's boxes, the text is the
normalised sources.  The pages are the seed page and the three pages of
tests/ad_edition.py (generated copy: a masthead with an ear ad, a PDF ad with
text of its own, photos, fillers, an article that jumps from page 1 to 3, and
here Latin words on page 2, whose spaces ALTO gives as SP).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

import pdfplumber
import pytest
from lxml import etree

from layout.model.document import Article
from layout.options import OutputOptions
from layout.output.alto import alto_path, alto_xml
from layout.output.mets import MetsPage, edition_mets, page_sources
from layout.pipeline import Build, build
from layout.production.page_job import PageJob, cache_key, run_page
from layout.sources.edition import load_edition
from layout.sources.page import load_page
from layout.typeset.normalise import normalise_page
from tests.ad_edition import edit, write_edition
from tests.conftest import ROOT, SEED
from tests.test_cli import run_main

SCHEMAS = ROOT.parent / "shared" / "schemas"  # ../shared/schemas beside the checkout
A = "{http://www.loc.gov/standards/alto/ns-v4#}"
M = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}href"
PT = 72 / 254  # pt per mm10
TOLERANCE = 0.5  # pt
LATIN = "Xinhua News Agency 报道 the Hohhot and Baotou corridor plan"


def schema(name: str) -> etree.XMLSchema:
    if not (SCHEMAS / name).is_file():
        pytest.skip(f"no {name} in {SCHEMAS}: the archive schemas belong at ../shared/schemas")
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    out = tmp_path_factory.mktemp("seed") / "seed.pdf"
    return build(SEED, out, alto=alto_path(out)), alto_path(out)


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Build]]:
    """The ad edition's pages as the edition builds them (page 1 sends its lead's rest to
    page 3), each PDF with its ALTO beside it in `out`."""
    root = write_edition(tmp_path_factory.mktemp("edition"))
    edit(root / "p2" / "03-story.md", "。", f"，新华社 {LATIN}。")  # spaces, some at line ends
    out = root / "out"
    front = build(root / "p1", out / "p1.pdf", jumps={"01-story": 3}, alto=out / "p1.alto.xml")
    inner = build(root / "p2", out / "p2.pdf", alto=out / "p2.alto.xml")
    rest = build(
        root / "p3", out / "p3.pdf", continued=front.continuations, alto=out / "p3.alto.xml"
    )
    return root, out, [front, inner, rest]


def built_pages(seed, edition) -> list[tuple[Build, bytes]]:
    pages = [(seed[0], seed[1].read_bytes())]
    _, out, builds = edition
    return pages + [(b, (out / f"p{n}.alto.xml").read_bytes()) for n, b in enumerate(builds, 1)]


def blocks(alto: bytes) -> list[tuple[list[str], etree._Element]]:
    """Each block in order with its tags."""
    space = etree.fromstring(alto).find(f".//{A}PrintSpace")
    return [(b.get("TAGREFS", "").split(), b) for b in space]


def text_of(block: etree._Element) -> str:
    """A block's text as ALTO gives it: its strings, a space for each SP."""
    return "".join(
        " " if e.tag == f"{A}SP" else e.get("CONTENT") for e in block.iter(f"{A}String", f"{A}SP")
    )


def rect(element: etree._Element) -> tuple[float, float, float, float]:
    x, y = float(element.get("HPOS")) * PT, float(element.get("VPOS")) * PT
    return x, y, x + float(element.get("WIDTH")) * PT, y + float(element.get("HEIGHT")) * PT


def within(inner, outer, slack: float) -> tuple[bool, ...]:
    """Whether each edge of `inner` is inside `outer` (left, top, right, bottom)."""
    return (
        outer[0] - slack <= inner[0],
        outer[1] - slack <= inner[1],
        inner[2] <= outer[2] + slack,
        inner[3] <= outer[3] + slack,
    )


def source_text(article: Article) -> str:
    return "".join(block.text for block in article.blocks)


@pytest.mark.slow
def test_the_alto_of_every_page_is_valid_and_byte_reproducible(seed, edition) -> None:
    alto = schema("alto-4-4.xsd")
    for built, written in built_pages(seed, edition):
        alto.assertValid(etree.fromstring(written))
        assert alto_xml(built) == written
        page = etree.fromstring(written).find(f".//{A}Page")
        width, height = built.layout.grid.format.trim_mm  # the trim, in tenths of a mm
        assert (page.get("WIDTH"), page.get("HEIGHT")) == (str(width * 10), str(height * 10))
        pictures = defaultdict(list)
        for picture in page.iter(f"{A}Illustration"):
            pictures[picture.get("TYPE")].append(rect(picture))
        assert len(pictures["advertisement"]) == len(built.layout.ads)
        assert len(pictures["photo"]) == sum(len(m.images) for m in built.layout.modules)
        with pdfplumber.open(io.BytesIO(built.pdf)) as document:
            drawn = [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in document.pages[0].images]
        for photo in pictures["photo"]:  # what shows of a picture drawn there, cropped
            assert any(all(within(photo, image, TOLERANCE)) for image in drawn)


@pytest.mark.slow
def test_each_articles_body_blocks_say_its_normalised_source_text(seed, edition) -> None:
    """Per page (the seed, and the edition's page without a jump); the jumped article's
    two parts are joined in the METS test."""
    _, _, builds = edition
    for built, alto in ((seed[0], seed[1].read_bytes()), (builds[1], alto_xml(builds[1]))):
        tags = {t.get("ID"): t for t in etree.fromstring(alto).iter(f"{A}StructureTag")}
        bodies: dict[str, str] = defaultdict(str)
        for refs, block in blocks(alto):
            if "body" in refs:
                (article,) = (r for r in refs if tags.get(r) is not None)
                bodies[article] += text_of(block)
        got = sorted((tags[a].get("LABEL"), text) for a, text in bodies.items())
        placed = {m.article.file for m in built.layout.modules}
        sources = normalise_page(load_page(built.page.directory))
        expected = sorted(
            (a.headline, source_text(a))
            for a in (*sources.articles, *sources.fillers)
            if a.file in placed
        )
        assert got == expected and len(got) == len(built.layout.modules)
    assert LATIN in "".join(text for _, text in got)  # the SPs of the last page, its spaces


def page_glyphs(built: Build) -> list[dict]:
    """The glyphs pdfplumber finds that ALTO must hold: all but the running head or
    masthead band, and the ads with their 广告 labels."""
    grid = built.layout.grid
    with pdfplumber.open(io.BytesIO(built.pdf)) as document:
        chars = document.pages[0].chars
        height = float(document.pages[0].height)
    ads = [
        (x, min(y, a.label_top), x + w, max(y + h, a.label_top + grid.line))
        for a in built.layout.ads
        for x, y, w, h in [a.frame]
    ]
    found = []
    for order, c in enumerate(chars):
        middle = ((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2)
        if c["text"].isspace() or middle[1] < grid.top:
            continue
        if any(x0 <= middle[0] <= x1 and y0 <= middle[1] <= y1 for x0, y0, x1, y1 in ads):
            continue
        found.append({**c, "order": order, "baseline": height - c["matrix"][5]})
    return found


def inside(c: dict, box: tuple[float, float, float, float], slack: float) -> bool:
    return all(within((c["x0"], c["top"], c["x1"], c["bottom"]), box, slack))


@pytest.mark.slow
def test_every_line_box_holds_the_glyphs_printed_there_and_nothing_is_left_out(
    seed, edition
) -> None:
    for built, alto in built_pages(seed, edition):
        lines = list(etree.fromstring(alto).iter(f"{A}TextLine"))
        boxes = [rect(line) for line in lines]
        held: dict[int, list[dict]] = defaultdict(list)
        for c in page_glyphs(built):
            owners = [n for n, box in enumerate(boxes) if inside(c, box, TOLERANCE)]
            assert len(owners) == 1, f"{c['text']} at {c['x0']:.1f}, {c['top']:.1f}: {owners}"
            held[owners[0]].append(c)
        assert sorted(held) == list(range(len(lines)))  # no line without its glyphs
        for number, line in enumerate(lines):
            glyphs = sorted(held[number], key=lambda c: c["order"])
            extent = (
                min(c["x0"] for c in glyphs),
                min(c["top"] for c in glyphs),
                max(c["x1"] for c in glyphs),
                max(c["bottom"] for c in glyphs),
            )
            assert all(abs(a - b) <= TOLERANCE for a, b in zip(extent, boxes[number], strict=True))
            content = "".join(s.get("CONTENT") for s in line.iter(f"{A}String"))
            assert "".join(c["text"] for c in glyphs) == content
            baseline = float(line.get("BASELINE").split()[0].split(",")[1]) * PT
            assert all(abs(c["baseline"] - baseline) <= TOLERANCE for c in glyphs)


@pytest.mark.slow
def test_each_string_names_the_font_and_size_its_glyphs_are_printed_in(seed) -> None:
    built, path = seed
    document = etree.fromstring(path.read_bytes())
    styles = {s.get("ID"): s for s in document.iter(f"{A}TextStyle")}
    glyphs = page_glyphs(built)
    sizes = set()
    for string in document.iter(f"{A}String"):
        style = styles[string.get("STYLEREFS")]
        family = style.get("FONTFAMILY").replace(" ", "-")
        printed = [c for c in glyphs if inside(c, rect(string), TOLERANCE)]
        assert "".join(c["text"] for c in printed) == string.get("CONTENT")
        for c in printed:
            name = c["fontname"].split("+", 1)[1]
            assert name.startswith(family) and abs(c["size"] - float(style.get("FONTSIZE"))) < 0.01
            assert ("Bold" in name[len(family) :]) == (style.get("FONTSTYLE") == "bold")
        sizes.add(style.get("FONTSIZE"))
    assert len(sizes) > 3  # headlines, subheads, body, lede, credits


@pytest.mark.slow
def test_a_print_pdf_with_bleed_gives_the_same_alto_measured_from_its_trim(seed) -> None:
    built, path = seed
    printed = build(SEED, options=OutputOptions.from_flags(pdfx="x-4", preflight=True))
    assert printed.pdf != built.pdf
    assert alto_xml(printed) == path.read_bytes()


@pytest.mark.slow
def test_the_editions_mets_is_valid_and_its_jumped_article_runs_on_two_pages(edition) -> None:
    root, out, builds = edition
    pages = [
        MetsPage(
            f"第{n}版", out / f"p{n}.pdf", out / f"p{n}.alto.xml", page_sources(root / f"p{n}")
        )
        for n in (1, 2, 3)
    ]
    at = out / "edition.mets.xml"
    mets = edition_mets(load_edition(root), pages, at)
    schema("mets.xsd").assertValid(etree.fromstring(mets))
    document = etree.fromstring(mets)
    # every file is where it says, with its checksum
    files = {}
    for file in document.iter(f"{M}file"):
        path = at.parent / unquote(file.find(f"{M}FLocat").get(XLINK))
        assert hashlib.sha256(path.read_bytes()).hexdigest() == file.get("CHECKSUM")
        files[file.get("ID")] = path.resolve()
    pdfs = [files[f"PDF{n}"] for n in (1, 2, 3)]
    assert pdfs == [(out / f"p{n}.pdf").resolve() for n in (1, 2, 3)]
    assert {p.name for p in files.values()} >= {"page.yaml", "01-story.md", "ear.png", "bank.pdf"}
    physical = document.find(f"{M}structMap[@TYPE='PHYSICAL']")
    order = [
        [files[f.get("FILEID")].name for f in div.iter(f"{M}fptr")][:2]
        for div in physical.iter(f"{M}div")
        if div.get("TYPE") == "page"
    ]
    assert order == [[f"p{n}.pdf", f"p{n}.alto.xml"] for n in (1, 2, 3)]
    # each article's areas, joined in order across pages, are its whole source text
    altos = {f"ALTO{n}": etree.fromstring((out / f"p{n}.alto.xml").read_bytes()) for n in (1, 2, 3)}
    by_id = {
        (name, b.get("ID")): b for name, alto in altos.items() for b in alto.iter(f"{A}TextBlock")
    }
    logical = document.find(f"{M}structMap[@TYPE='LOGICAL']")
    articles = []  # label, the ALTO files it points into, its body's text
    for div in logical.iter(f"{M}div"):
        if div.get("TYPE") == "article":
            areas = [(a.get("FILEID"), a.get("BEGIN")) for a in div.iter(f"{M}area")]
            body = [by_id[a] for a in areas if a in by_id and "body" in by_id[a].get("TAGREFS")]
            texts = "".join(map(text_of, body))
            articles.append((div.get("LABEL"), sorted({f for f, _ in areas}), texts))
    sources = [normalise_page(load_page(root / f"p{n}")) for n in (1, 2, 3)]
    placed = {m.article.file for b in builds for m in b.layout.modules}
    expected = [
        (a.headline, source_text(a))
        for page in sources
        for a in (*page.articles, *page.fillers)
        if a.file in placed
    ]
    assert sorted((label, text) for label, _, text in articles) == sorted(expected)
    assert any(m.rest for m in builds[0].layout.modules)  # the lead jumped to page 3
    lead = builds[0].page.articles[0].headline
    assert [files for label, files, _ in articles if label == lead] == [["ALTO1", "ALTO3"]]


@pytest.mark.slow
def test_alto_on_the_command_line_is_written_beside_the_pdf(tmp_path, capsys) -> None:
    output = tmp_path / "page.pdf"
    assert run_main([str(SEED), "-o", str(output), "--alto", "-q"]) == 0
    assert f"wrote {tmp_path / 'page.alto.xml'}" in capsys.readouterr().out
    schema("alto-4-4.xsd").assertValid(etree.parse(str(tmp_path / "page.alto.xml")))


def test_alto_is_not_written_when_the_build_fails(tmp_path, capsys) -> None:
    output = tmp_path / "page.pdf"
    case = ROOT / "tests" / "cases" / "fit-overset"
    assert run_main([str(case), "-o", str(output), "--alto"]) == 1
    assert "body: overset by" in capsys.readouterr().err
    assert not output.exists() and not alto_path(output).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.draft.pdf"]


@pytest.mark.slow
def test_a_page_from_the_cache_gives_back_its_alto(tmp_path):
    """The ALTO is kept with the cached page: a re-run writes the same file without a build,
    and asking for it is another key than not asking."""
    job = PageJob(SEED, tmp_path / "p.pdf", cache=tmp_path / "cache", alto=tmp_path / "p.alto.xml")
    assert run_page(job).status == "built"
    first = job.alto.read_bytes()
    job.alto.unlink()
    assert run_page(job).status == "cached"
    assert job.alto.read_bytes() == first
    assert cache_key(dataclasses.replace(job, alto=None)) != cache_key(job)


@pytest.mark.slow
def test_an_edition_built_with_alto_writes_its_mets_again_from_the_cache(tmp_path, capsys):
    """`EDITION --alto`: each page's ALTO beside its PDF and the issue's METS, valid, naming the
    files the build wrote; a re-run from the cache gives the same bytes; a build that fails
    leaves no METS of the sources it replaced."""
    root = write_edition(tmp_path / "edition")
    out = tmp_path / "out"
    assert run_main([str(root), "-o", str(out), "--alto", "-q"]) == 0
    mets = out / "edition.mets.xml"
    assert f"wrote {mets}" in capsys.readouterr().out
    document = etree.parse(str(mets))
    schema("mets.xsd").assertValid(document)
    files = {
        file.get("ID"): (out / unquote(file.find(f"{M}FLocat").get(XLINK))).resolve()
        for file in document.iter(f"{M}file")
    }
    names = ["01-p1", "02-p2", "03-p3"]
    assert [files[f"PDF{n}"] for n in (1, 2, 3)] == [(out / f"{x}.pdf").resolve() for x in names]
    assert [files[f"ALTO{n}"].name for n in (1, 2, 3)] == [f"{x}.alto.xml" for x in names]
    assert files["EDITION"] == (out / "edition.pdf").resolve()
    for n in (1, 2, 3):
        schema("alto-4-4.xsd").assertValid(etree.parse(str(files[f"ALTO{n}"])))
    lead = load_page(root / "p1").articles[0].headline
    (article,) = [d for d in document.iter(f"{M}div") if d.get("LABEL") == lead]
    assert sorted({a.get("FILEID") for a in article.iter(f"{M}area")}) == ["ALTO1", "ALTO3"]
    written = {p.name: p.read_bytes() for p in out.glob("*.xml")}
    assert run_main([str(root), "-o", str(out), "--alto", "-q"]) == 0
    assert "3 pages (3 cached)" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in out.glob("*.xml")} == written
    (root / "p2" / "page.yaml").write_text("paper: [\n", encoding="utf-8")
    assert run_main([str(root), "-o", str(out), "--alto", "-q"]) == 1
    assert not mets.exists() and not (out / "edition.pdf").exists()
