"""Editions end to end: pages in parallel, the edition PDF's outline and labels, the cache."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
import pytest
from PIL import Image

import build_pdf
from layout.options import DEFAULT, PDFA, PDFX_1A, OutputOptions
from layout.production import edition as editions
from layout.production.cache import Cache, page_key
from layout.production.page_job import PageOutcome
from layout.production.progress import Progress
from layout.sources.page import load_page
from tests.benchmark_edition import make_edition as seed_like_edition
from tests.conftest import SEED
from tests.pagegen import Spec, write_page

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'

# Generated pages that fit the tabloid grid (the seed page is the edition's first).
GENERATED = [Spec(758), Spec(632, 1), Spec(505), Spec(379)]


def make_edition(root: Path) -> Path:
    shutil.copytree(SEED, root / "p05")
    for number, seed in ((6, 2), (7, 3)):
        write_page(root / f"p{number:02d}", GENERATED, format="tabloid", seed=seed, number=number)
    (root / "edition.yaml").write_text(
        "paper: 包头日报\ndate: 2024-03-26\npages: [p05, p06, p07]\n", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    return make_edition(tmp_path_factory.mktemp("edition"))


@pytest.fixture(scope="module")
def built(edition, tmp_path_factory):
    """The edition built once, in two workers, with proofs and a report."""
    out = tmp_path_factory.mktemp("out")
    report = out / "report.json"
    args = [str(edition), "-o", str(out), "-j", "2", "--proof", "--report", str(report), "-q"]
    assert build_pdf.main(args) == 0
    return out, json.loads(report.read_text(encoding="utf-8"))


def page_pdfs(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*.pdf") if p.name != "edition.pdf")


def test_every_page_gets_its_pdf_and_the_edition_pdf_holds_them_in_order(edition, built):
    out, _ = built
    pages = page_pdfs(out)
    assert [p.name for p in pages] == ["01-p05.pdf", "02-p06.pdf", "03-p07.pdf"]
    with pdfplumber.open(out / "edition.pdf") as combined:
        assert len(combined.pages) == 3
        for page, single in zip(combined.pages, pages, strict=True):
            with pdfplumber.open(single) as alone:
                assert page.extract_text() == alone.pages[0].extract_text()


def font_programs(pdf: pikepdf.Pdf) -> dict[str, set[tuple[int, int]]]:
    """Each embedded font by name, with the font programs its pages' fonts point to."""
    programs: dict[str, set[tuple[int, int]]] = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            programs.setdefault(str(descriptor.FontName), set()).add(program.objgen)
    return programs


def test_the_pages_share_one_subset_of_each_font_and_look_as_their_page_pdfs(built):
    """Each font file is embedded once for all pages, yet every glyph is drawn as before."""
    out, _ = built
    with pikepdf.open(out / "edition.pdf") as pdf:
        programs = font_programs(pdf)
    names = set()
    for page in page_pdfs(out):
        with pikepdf.open(page) as pdf:
            names |= set(font_programs(pdf))
    assert set(programs) == names
    assert all(len(objects) == 1 for objects in programs.values())
    edition = pypdfium2.PdfDocument(out / "edition.pdf")
    for index, page in enumerate(page_pdfs(out)):
        alone = pypdfium2.PdfDocument(page)[0].render(scale=1.5).to_pil()
        assert edition[index].render(scale=1.5).to_pil().tobytes() == alone.tobytes()


def test_an_edition_of_seed_like_pages_is_at_most_40_percent_of_its_page_pdfs(tmp_path):
    edition = seed_like_edition(tmp_path / "edition", 4)
    out = tmp_path / "out"
    assert build_pdf.main([str(edition), "-o", str(out), "-q", "-j", "2", "--no-cache"]) == 0
    pages = sum(p.stat().st_size for p in page_pdfs(out))
    assert len(page_pdfs(out)) == 4
    assert (out / "edition.pdf").stat().st_size <= 0.4 * pages


def test_the_edition_pdf_has_page_labels_and_a_bookmark_per_page_and_article(edition, built):
    out, _ = built
    with pikepdf.open(out / "edition.pdf") as pdf:
        numbers = [load_page(edition / name).number for name in ("p05", "p06", "p07")]
        assert [page.label for page in pdf.pages] == [f"第{n}版" for n in numbers]
        with pdf.open_outline() as outline:
            assert len(outline.root) == 3
            for index, (entry, name) in enumerate(
                zip(outline.root, ("p05", "p06", "p07"), strict=True)
            ):
                page = load_page(edition / name)
                assert entry.title.startswith(f"第{page.number}版")
                headlines = sorted(a.headline for a in page.articles)
                assert sorted(child.title for child in entry.children) == headlines
                height = float(pdf.pages[index].mediabox[3])
                for child in entry.children:
                    target = child.destination
                    assert target[0].objgen == pdf.pages[index].objgen
                    assert 0 < float(target[3]) < height


def test_the_headline_is_where_its_bookmark_points(edition, built):
    """The bookmark's top is the module's top: the headline sits just below it."""
    out, _ = built
    with pikepdf.open(out / "edition.pdf") as pdf, pdf.open_outline() as outline:
        first = outline.root[0].children[0]
        top = float(pdf.pages[0].mediabox[3]) - float(first.destination[3])
    with pdfplumber.open(out / "edition.pdf") as combined:
        words = combined.pages[0].extract_words()
    below = [w for w in words if top - 1 <= w["top"] <= top + 60]
    assert first.title[:4] in "".join(w["text"] for w in below)


def test_proofs_and_contact_sheet(built):
    out, _ = built
    proofs = sorted((out / "proof").glob("0*.png"))
    assert len(proofs) == 3
    with Image.open(out / "proof" / "contact-sheet.png") as sheet:
        with Image.open(proofs[0]) as proof:
            assert sheet.width > 2 * proof.width * 480 / proof.height  # three side by side
        assert sheet.getextrema() != ((0, 0), (0, 0), (0, 0))


def test_the_report_lists_every_page_with_its_outputs(built):
    _, report = built
    assert [entry["status"] for entry in report["pages"]] == ["built"] * 3
    assert report["edition"]["status"] == "built"
    outputs = [o for entry in report["pages"] for o in entry["outputs"]]
    outputs += report["edition"]["outputs"]
    assert len(outputs) == 3 * 2 + 2  # PDF and proof per page; edition PDF, contact sheet
    for output in outputs:
        assert Path(output["path"]).is_file()


def test_a_rebuild_comes_from_the_cache_byte_identical_and_only_a_changed_page_is_rebuilt(
    edition, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    first = tmp_path / "first.json"
    assert build_pdf.main([str(edition), "-o", str(out), "-q", "--report", str(first)]) == 0
    before = {p.name: p.read_bytes() for p in out.glob("*.pdf")}

    def combined_again(*args, **kwargs):
        raise AssertionError("the same pages are combined again")

    again = tmp_path / "again.json"
    with monkeypatch.context() as patch:  # the edition PDF too comes from the cache
        patch.setattr(editions, "combine", combined_again)
        assert build_pdf.main([str(edition), "-o", str(out), "-q", "--report", str(again)]) == 0
    statuses = [e["status"] for e in json.loads(again.read_text(encoding="utf-8"))["pages"]]
    assert statuses == ["cached"] * 3
    assert {p.name: p.read_bytes() for p in out.glob("*.pdf")} == before

    fresh = tmp_path / "fresh"  # no cache at all: reproducible bytes, not just copied ones
    assert build_pdf.main([str(edition), "-o", str(fresh), "-q", "--no-cache"]) == 0
    assert {p.name: p.read_bytes() for p in fresh.glob("*.pdf")} == before
    assert not (fresh / ".cache").exists()

    changed = tmp_path / "changed"
    shutil.copytree(edition, changed)
    article = changed / "p06" / "01-story.md"
    article.write_text(article.read_text(encoding="utf-8").replace("。", "！", 1), "utf-8")
    shutil.copytree(out / ".cache", tmp_path / "out2" / ".cache")
    report = tmp_path / "changed.json"
    assert (
        build_pdf.main([str(changed), "-o", str(tmp_path / "out2"), "-q", "--report", str(report)])
        == 0
    )
    statuses = [e["status"] for e in json.loads(report.read_text(encoding="utf-8"))["pages"]]
    assert statuses == ["cached", "built", "cached"]
    assert (tmp_path / "out2" / "edition.pdf").read_bytes() != before["edition.pdf"]


def test_a_page_that_fails_is_reported_and_no_edition_pdf_is_written(edition, tmp_path, capsys):
    broken = tmp_path / "broken"
    shutil.copytree(edition, broken)
    article = broken / "p07" / "02-story.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("headline:", "headlin:"), "utf-8"
    )
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    assert build_pdf.main([str(broken), "-o", str(out), "-q", "--report", str(report)]) == 1
    err = capsys.readouterr().err
    assert "02-story.md" in err and "headlin" in err
    assert not (out / "edition.pdf").exists()
    assert sorted(p.name for p in out.glob("*.pdf")) == ["01-p05.pdf", "02-p06.pdf"]
    document = json.loads(report.read_text(encoding="utf-8"))
    assert [e["status"] for e in document["pages"]] == ["built", "built", "failed"]
    assert document["edition"] == {"status": "failed", "outputs": []}


def test_the_cache_key_follows_every_source_byte_and_the_options(tmp_path):
    page = tmp_path / "page"
    shutil.copytree(SEED, page)
    key = page_key(page, DEFAULT.cache_key())
    assert page_key(page, DEFAULT.cache_key()) == key
    for other in (OutputOptions(PDFA), OutputOptions(PDFX_1A), OutputOptions(preflight=True)):
        assert page_key(page, other.cache_key()) != key
    assert page_key(page, OutputOptions(time_limit=5).cache_key()) == key  # same bytes
    (page / ".page.pdf.tmp").write_bytes(b"an editor's or our own temporary file")
    assert page_key(page, DEFAULT.cache_key()) == key
    (page / "page.yaml").write_text(
        (page / "page.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert page_key(page, DEFAULT.cache_key()) != key


def test_a_damaged_cache_entry_is_a_miss(tmp_path):
    cache = Cache(tmp_path)
    place = cache.put("ab" * 32, b"%PDF-1.7 bytes", {"report": {}})
    assert cache.get("ab" * 32).pdf == b"%PDF-1.7 bytes"
    (place / "page.pdf").write_bytes(b"%PDF-1.7 byt")  # truncated
    assert cache.get("ab" * 32) is None
    assert cache.get("cd" * 32) is None


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only():
    outcome = PageOutcome(Path("ed/p06"), "built", {}, None, 1.0)
    ticks = iter([0.0, 2.5])
    shown = Terminal()
    progress = Progress(3, shown, clock=lambda: next(ticks))
    progress.page_done(outcome)
    progress.close()
    assert shown.getvalue() == "\r\033[K[1/3] p06: built · 2.5 s elapsed\n"
    for stream, quiet in ((io.StringIO(), False), (Terminal(), True)):
        progress = Progress(3, stream, quiet=quiet)
        progress.page_done(outcome)
        progress.close()
        assert stream.getvalue() == ""
