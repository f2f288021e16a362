"""Stories filed as NITF or Word import into a page that builds and passes its checks.

The seed page's five interviews are written out as an agency would send them
(one NITF file each) and as reporters would (one .docx each); the editor's
part, the page banner and lede, is then added to page.yaml as a layout
editor would, and the page is built.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import docx
import pytest
import yaml

import build_pdf
from layout.sources.page import load_page
from tests.conftest import SEED

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'


@pytest.fixture(scope="module")
def seed():
    return load_page(SEED)


def nitf(article) -> str:
    paragraphs = "".join(f"<p>{escape(block.text)}</p>" for block in article.blocks)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" version="-//IPTC//DTD NITF 3.6//EN">'
        '<head><docdata><date.issue norm="20240326"/></docdata></head>'
        f"<body><body.head><hedline><hl1>{escape(article.headline)}</hl1>"
        f"<hl2>{escape(article.subhead)}</hl2></hedline></body.head>"
        f"<body.content>{paragraphs}</body.content></body></nitf>"
    )


def word(article, path) -> None:
    document = docx.Document()
    document.add_paragraph(article.headline, style="Title")
    document.add_paragraph(article.subhead)
    for block in article.blocks:
        document.add_paragraph(block.text)
    document.save(path)


def finish_and_build(page_dir, seed, tmp_path, capsys):
    """Add the editor's banner and lede, build, and return the build's output."""
    source = yaml.safe_load((SEED / "page.yaml").read_text(encoding="utf-8"))
    text = (page_dir / "page.yaml").read_text(encoding="utf-8")
    text += yaml.safe_dump(
        {"headline": source["headline"], "lede": source["lede"], "credits": source["credits"]},
        allow_unicode=True,
    )
    (page_dir / "page.yaml").write_text(text, encoding="utf-8")
    capsys.readouterr()
    code = build_pdf.main([str(page_dir), "-o", str(tmp_path / "page.pdf")])
    out, err = capsys.readouterr()
    assert code == 0, err
    imported = load_page(page_dir)
    assert [a.headline for a in imported.articles] == [a.headline for a in seed.articles]
    return out


OPTIONS = ["--paper", "包头日报", "--page", "5", "--section", "专版", "--format", "tabloid"]


def test_nitf_stories_import_and_build(seed, tmp_path, capsys):
    files = []
    for number, article in enumerate(seed.articles, 1):
        path = tmp_path / f"story{number}.xml"
        path.write_text(nitf(article), encoding="utf-8")
        files.append(str(path))
    page = tmp_path / "page"
    assert build_pdf.main(["import", "nitf", *files, "-o", str(page), *OPTIONS]) == 0
    assert "date: 2024-03-26" in (page / "page.yaml").read_text(encoding="utf-8")
    out = finish_and_build(page, seed, tmp_path, capsys)
    assert "0 problems" in out


def test_word_files_import_and_build(seed, tmp_path, capsys):
    files = []
    for number, article in enumerate(seed.articles, 1):
        path = tmp_path / f"story{number}.docx"
        word(article, path)
        files.append(str(path))
    page = tmp_path / "page"
    args = ["import", "docx", *files, "-o", str(page), "--date", "2024-03-26", *OPTIONS]
    assert build_pdf.main(args) == 0
    out = finish_and_build(page, seed, tmp_path, capsys)
    assert "0 problems" in out
