"""The `--pdfa` edition PDF read back: a PDF/A-3b of its own, its tags one tree.

The edition is tests/ad_edition.py's: three pages, the lead of page 1 running
on to page 3.  Expected values come from the sources on disk, the build's
report and the page PDFs, never from `layout.output`, so a mistake there
cannot hide in the test.  What veraPDF would check beyond this is not run here
(it is not packaged for Debian).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
import pytest
from defusedxml import ElementTree

import build_pdf
from layout.model.copy import page_files
from layout.sources.page import load_page
from layout.typeset.normalise import normalise_page
from tests.ad_edition import LEAD, write_edition

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
PRISM = "{http://prismstandard.org/namespaces/basic/3.0/}"
PAGES = ("p1", "p2", "p3")


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    return write_edition(tmp_path_factory.mktemp("edition"))


def build(edition: Path, out: Path, *args: str) -> dict:
    report = out.parent / f"{out.name}.json"
    argv = [str(edition), "-o", str(out), "--pdfa", "-q", "--report", str(report), *args]
    assert build_pdf.main(argv) == 0
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(edition, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("out") / "out"
    return out, build(edition, out, "-j", "2")


@pytest.fixture
def pdf(built):
    with pikepdf.open(built[0] / "edition.pdf") as document:
        yield document


def xmp(pdf: pikepdf.Pdf) -> ElementTree:
    packet = pdf.Root.Metadata.read_bytes()
    assert "/Filter" not in pdf.Root.Metadata  # PDF/A: the packet readable as it is
    return ElementTree.fromstring(packet[packet.index(b"<x:xmpmeta") : packet.rindex(b"<?xpacket")])


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_it_says_it_is_pdfa_3b_with_the_output_intent_and_the_issue(edition, pdf):
    root = xmp(pdf)
    ids = [d for d in root.iter(f"{RDF}Description") if d.get(f"{PDFAID}part")]
    assert [(d.get(f"{PDFAID}part"), d.get(f"{PDFAID}conformance")) for d in ids] == [("3", "B")]
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
    assert len(intent.DestOutputProfile.read_bytes()) > 1000  # an ICC profile, not a stub
    assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == "zh-CN"
    source = (edition / "edition.yaml").read_text(encoding="utf-8")
    paper = re.search(r"paper: (.*)", source).group(1)
    day = re.search(r"date: (.*)", source).group(1)
    assert root.find(f".//{PRISM}publicationName").text == paper
    assert root.find(f".//{PRISM}coverDate").text == day
    assert root.find(f".//{PRISM}pageCount").text == str(len(pdf.pages))
    declared = {e.text for e in root.iter("{http://www.aiim.org/pdfa/ns/property#}name")}
    used = {e.tag.removeprefix(PRISM) for e in root.iter() if e.tag.startswith(PRISM)}
    assert used <= declared  # PDF/A: every property outside dc: declared in the packet
    # The Info dictionary and the XMP say the same (PDF/A requires it).
    assert root.find(f".//{DC}title//{RDF}li").text == str(pdf.docinfo.Title)
    assert root.find(f".//{XMP}CreatorTool").text == str(pdf.docinfo.Creator)
    created = root.find(f".//{XMP}CreateDate").text
    assert str(pdf.docinfo.CreationDate) == "D:" + re.sub(r"[-:T]", "", created)
    assert str(pdf.docinfo.ModDate) == str(pdf.docinfo.CreationDate)
    assert created.startswith(day)


def test_every_font_is_embedded_once_for_all_pages(built, pdf):
    programs: dict[str, set] = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            assert program is not None, f"{descriptor.FontName} is not embedded"
            programs.setdefault(str(descriptor.FontName), set()).add(program.objgen)
    assert programs and all(len(objects) == 1 for objects in programs.values())
    size = (built[0] / "edition.pdf").stat().st_size
    pages = sum(p.stat().st_size for p in built[0].glob("0*.pdf"))
    assert size < 0.75 * pages  # photos and ads are each page's own


def test_pages_look_and_read_as_their_page_pdfs(built):
    out = built[0]
    edition = pypdfium2.PdfDocument(out / "edition.pdf")
    with pdfplumber.open(out / "edition.pdf") as combined:
        for index, single in enumerate(sorted(out.glob("0*.pdf"))):
            alone = pypdfium2.PdfDocument(single)
            ours = edition[index].render(scale=1.5).to_pil()
            theirs = alone[0].render(scale=1.5).to_pil()
            assert ours.tobytes() == theirs.tobytes(), f"page {index + 1} renders differently"
            with pdfplumber.open(single) as page:
                assert combined.pages[index].extract_text() == page.pages[0].extract_text()


def structure_elements(element: pikepdf.Object):
    """Every structure element under `element`, depth first, with its parent."""
    kids = element.get("/K", ())
    for kid in kids if isinstance(kids, pikepdf.Array) else (kids,):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid, element
            yield from structure_elements(kid)


def marks_of(pdf: pikepdf.Pdf, element: pikepdf.Object) -> dict[int, list[int]]:
    """The marked-content ids under `element`, by page index, in reading order."""
    index = {page.objgen: number for number, page in enumerate(pdf.pages)}
    found: dict[int, list[int]] = {}
    for kid in [element, *(child for child, _ in structure_elements(element))]:
        kids = kid.get("/K", ())
        for mark in kids if isinstance(kids, pikepdf.Array) else (kids,):
            if isinstance(mark, int):
                found.setdefault(index[kid.Pg.objgen], []).append(mark)
            elif isinstance(mark, pikepdf.Dictionary) and "/MCID" in mark:
                page = mark.get("/Pg", kid.Pg)
                found.setdefault(index[page.objgen], []).append(int(mark.MCID))
    return found


def marked_text(path: Path) -> list[dict[int, str]]:
    """Per page, the text each marked-content id shows."""
    with pdfplumber.open(path) as document:
        pages = []
        for page in document.pages:
            texts: dict[int, str] = {}
            for char in page.chars:
                if char.get("mcid") is not None:
                    texts[char["mcid"]] = texts.get(char["mcid"], "") + char["text"]
            pages.append(texts)
    return pages


def test_one_art_per_article_and_the_jumped_one_spans_both_pages(edition, built, pdf):
    out, report = built
    (document,) = pdf.Root.StructTreeRoot.K
    arts = [kid for kid in document.K if kid.S == "/Art"]
    placed = [name for entry in report["pages"] for name in entry["modules"]]
    assert len(arts) == len(placed)  # each page's own articles; the rest is no article
    headlines = [
        article.headline
        for name, entry in zip(PAGES, report["pages"], strict=True)
        for page in [load_page(edition / name)]
        for article in (*page.articles, *page.fillers)
        if article.file.name in entry["modules"]
    ]
    assert sorted(str(art.T) for art in arts) == sorted(headlines)
    lead = load_page(edition / "p1").articles[0]
    assert lead.file.name == LEAD
    texts = marked_text(out / "edition.pdf")
    for art in arts:  # each titled with the headline it shows
        ((page, mcids), *_) = marks_of(pdf, art).items()
        assert squeeze(str(art.T)) in squeeze("".join(texts[page].get(m, "") for m in mcids))
    (jumped,) = [art for art in arts if str(art.T) == lead.headline]
    marks = marks_of(pdf, jumped)
    assert sorted(marks) == [0, 2]
    first, rest = (squeeze("".join(texts[p].get(m, "") for m in marks[p])) for p in (0, 2))
    assert first.endswith("（下转第3版）") and "（上接第1版）" in rest
    body = squeeze(
        "".join(b.text for b in normalise_page(load_page(edition / "p1")).articles[0].blocks)
    )
    assert body[:12] in first and rest.endswith(body[-12:])
    for art in arts[1:]:  # every other article on one page
        assert len(marks_of(pdf, art)) == 1


def test_the_tree_is_whole_each_mark_found_from_its_page(pdf):
    root = pdf.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert sorted(int(page.StructParents) for page in pdf.pages) == list(range(len(pdf.pages)))
    assert int(root.ParentTreeNextKey) == len(parents)
    (document,) = root.K
    assert document.P.objgen == root.objgen
    for element, parent in structure_elements(document):
        assert element.P.objgen == parent.objgen  # every element knows its parent
    for index, page in enumerate(pdf.pages):
        drawn = {
            int(operands[1].MCID)
            for operands, operator in pikepdf.parse_content_stream(page, "BDC")
            if isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
        }
        holders = parents[int(page.StructParents)]
        assert len(holders) == len(drawn) == max(drawn) + 1
        for mcid in drawn:  # the element the parent tree names holds the mark, on this page
            assert holders[mcid].Pg.objgen == page.objgen
            assert mcid in marks_of(pdf, holders[mcid]).get(index, [])


def test_every_source_of_every_page_is_embedded_and_associated(edition, pdf):
    expected = {"edition.yaml": (edition / "edition.yaml").read_bytes()}
    for name in PAGES:
        directory = edition / name
        for file in page_files(load_page(directory)):
            expected[f"{name}/{file.relative_to(directory).as_posix()}"] = file.read_bytes()
    names = pdf.Root.Names.EmbeddedFiles.Names
    tree = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
    assert list(tree) == sorted(tree)  # a name tree's order
    assert {name: spec.EF.F.read_bytes() for name, spec in tree.items()} == expected
    associated = {spec.objgen for spec in pdf.Root.AF}
    for name, spec in tree.items():
        assert spec.objgen in associated
        assert str(spec.UF) == str(spec.F) == name
        assert spec.AFRelationship == "/Source"
        assert "/Subtype" in spec.EF.F and "/ModDate" in spec.EF.F.Params
    for index, name in enumerate(PAGES):  # and each page's with its page
        own = {str(spec.UF) for spec in pdf.pages[index].AF}
        assert own == {n for n in expected if n.startswith(f"{name}/")}


def test_the_outline_and_page_labels_stay(edition, pdf):
    assert [page.label for page in pdf.pages] == ["第1版", "第2版", "第3版"]
    with pdf.open_outline() as outline:
        assert [entry.title.split()[0] for entry in outline.root] == ["第1版", "第2版", "第3版"]


def test_the_same_sources_give_the_same_bytes(edition, built, tmp_path):
    again = tmp_path / "again"
    build(edition, again, "--no-cache", "-j", "1")
    assert (again / "edition.pdf").read_bytes() == (built[0] / "edition.pdf").read_bytes()
