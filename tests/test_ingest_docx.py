"""A Word story imports to page sources the build loads, losing no text."""

from __future__ import annotations

import datetime
import io
import random
import re
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image

from layout.errors import SourceError
from layout.ingest.docx import read_docx
from layout.ingest.draft import write_page
from layout.sources.page import load_page
from layout.typeset.normalise import normalise_text

HEADLINE = "稀土新材料项目建设全面提速"
SUBHEAD = "——访包头市工信局局长李明"
BYLINE = "本报记者 张建芳"
CAPTION = "图为稀土新材料产业园生产车间。(记者 孟婧美 摄)"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CELLS = [["项目", "投资"], ["产业园", "50亿元"]]


def png(size=(60, 40)) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, "gray").save(data, "PNG")
    data.seek(0)
    return data


def story(path: Path) -> Path:
    """A story as a reporter writes it in Word, with every structure the importer maps."""
    document = docx.Document()
    document.add_paragraph(HEADLINE, style="Title")
    document.add_paragraph(SUBHEAD)
    document.add_paragraph(BYLINE)
    lead = document.add_paragraph("今年以来,包头市")
    lead.add_run("稀土新材料").bold = True
    lead.add_run("产业项目建设全面提速,一季度完成投资")
    lead.add_run("120").bold = True
    lead.add_run("亿元").bold = True
    lead.add_run(",同比增长15%。")
    document.add_heading("强链补链 打造产业集群", level=2)
    quote = document.add_paragraph("“我们要")
    quote.add_run("抓项目", style="Strong")
    quote.add_run("、促投资,为高质量发展注入动能。”李明说。")
    document.add_paragraph().add_run().add_picture(png())
    document.add_paragraph(CAPTION, style="Caption")
    table = document.add_table(rows=2, cols=2)
    for row, texts in zip(table.rows, CELLS, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.add_paragraph("下一步,包头将继续优化营商环境,推动产业链上下游协同发展。")
    document.save(path)
    return path


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", normalise_text(text))


def import_page(source: Path, page: Path):
    draft = read_docx(source)
    draft.paper, draft.date, draft.page = "包头日报", datetime.date(2024, 3, 26), 5
    draft.format = "tabloid"
    write_page(draft, page)
    return draft, load_page(page)


def test_a_story_imports_to_a_page_that_loads(tmp_path):
    draft, page = import_page(story(tmp_path / "story.docx"), tmp_path / "page")
    [article] = page.articles
    assert (article.headline, article.subhead, article.byline) == (HEADLINE, SUBHEAD, BYLINE)
    assert [(b.kind, b.text[:6]) for b in article.blocks] == [
        ("paragraph", "今年以来，包"),
        ("crosshead", "强链补链 打"),
        ("paragraph", "“我们要抓项"),
        *[("paragraph", text) for row in CELLS for text in row],
        ("paragraph", "下一步，包头"),
    ]
    bold = [[s.text for s in block.spans if s.bold] for block in article.blocks]
    assert bold[0] == ["稀土新材料", "120亿元"]  # adjacent bold runs merged
    assert bold[2] == ["抓项目"]  # bold by character style
    [image] = article.images
    assert (image.path, image.width_px, image.height_px) == (page.directory / "image1.png", 60, 40)
    assert image.caption == normalise_text(CAPTION)
    assert draft.notes == ["table 1: kept its text as 4 paragraphs (“项目”)"]


def test_no_character_of_the_story_is_lost(tmp_path):
    source = story(tmp_path / "story.docx")
    import_page(source, tmp_path / "page")
    written = squeeze(
        "".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "page").glob("*.[my]*")))
    )
    xml = zipfile.ZipFile(source).read("word/document.xml").decode("utf-8")
    pieces = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)
    assert len(pieces) > 10
    for piece in pieces:
        assert squeeze(piece) in written, piece


def test_without_title_style_the_first_paragraph_is_the_headline(tmp_path):
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("本报讯 短标题")
    document.add_paragraph("记者从市发改委获悉。")
    document.add_heading("小标题", level=3)
    document.add_paragraph("正文。")
    draft = read_docx(_saved(document, tmp_path))
    [article] = draft.articles
    assert article.headline == "本报讯 短标题"
    assert article.byline is None  # a sentence, not a byline
    assert article.paragraphs == ["记者从市发改委获悉。", "### 小标题", "正文。"]
    assert draft.notes == [
        "paragraph 2: no Title or Heading 1 paragraph, so this first paragraph is the headline"
    ]


def test_text_above_the_headline_and_in_text_boxes_is_kept_and_noted(tmp_path):
    document = docx.Document()
    document.add_paragraph("引题一行")
    document.add_heading("标题", level=1)
    body = document.add_paragraph("正文")
    body.add_run("加粗").bold = True
    body._p.append(_text_box("框中文字"))
    draft = read_docx(_saved(document, tmp_path))
    [article] = draft.articles
    assert article.headline == "标题"
    assert article.paragraphs == ["引题一行", "正文**加粗**", "框中文字"]
    assert draft.notes == [
        "text box: kept its text as a paragraph (“框中文字”)",
        "paragraph 1: above the headline; kept as a body paragraph (“引题一行”)",
    ]


def test_text_in_links_insertions_and_content_controls_is_kept(tmp_path):
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("标题", style="Title")
    body = document.add_paragraph("正文")
    for xml in (
        "<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>",
        '<w:ins w:id="1" w:author="a"><w:r><w:rPr><w:b/></w:rPr><w:t>插入</w:t></w:r></w:ins>',
        '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>',
    ):
        body._p.append(parse_xml(xml.replace(">", f' xmlns:w="{W}">', 1)))
    control = (
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.element.body.insert(-1, parse_xml(control.replace(">", f' xmlns:w="{W}">', 1)))
    draft = read_docx(_saved(document, tmp_path))
    assert draft.articles[0].paragraphs == ["正文链接**插入**", "控件中的段落"]  # not the deletion


def test_a_picture_word_cannot_print_is_noted_and_its_caption_kept(tmp_path):
    document = docx.Document()
    document.add_paragraph("标题", style="Title")
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, "GIF")
    gif.seek(0)
    document.add_paragraph().add_run().add_picture(gif)
    document.add_paragraph("图为工地。")
    draft = read_docx(_saved(document, tmp_path))
    [article] = draft.articles
    assert article.images == []
    assert article.paragraphs == ["图为工地。"]
    assert draft.notes == [
        "picture 1 (paragraph 2): its format is image/gif; only JPEG and PNG can be printed; "
        "insert it again as a JPEG or PNG picture"
    ]


def test_a_caption_needs_a_picture_above_it(tmp_path):
    document = docx.Document()
    document.add_paragraph("标题", style="Title")
    document.add_paragraph("图书馆建设加快推进。")
    document.add_paragraph().add_run().add_picture(png())
    document.add_paragraph("")
    document.add_paragraph("（图为新馆外景）")
    draft = read_docx(_saved(document, tmp_path))
    [article] = draft.articles
    assert article.paragraphs == ["图书馆建设加快推进。"]
    assert [(i.name, i.caption) for i in article.images] == [("image1.png", "（图为新馆外景）")]


@pytest.mark.parametrize(
    "content",
    [
        random.Random(1).randbytes(4096),
        b"",
        b"PK\x05\x06" + bytes(18),  # an empty zip: no Word parts
    ],
    ids=["random", "empty", "empty-zip"],
)
def test_what_is_not_a_word_file_is_a_source_error_naming_it(tmp_path, content):
    source = tmp_path / "story.docx"
    source.write_bytes(content)
    with pytest.raises(SourceError) as error:
        read_docx(source)
    assert str(source) in str(error.value)
    assert error.value.problems[0].hint


def test_a_document_without_text_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="has no text"):
        read_docx(_saved(docx.Document(), tmp_path))


def _saved(document, tmp_path: Path) -> Path:
    path = tmp_path / "story.docx"
    document.save(path)
    return path


def _text_box(text: str):
    """A run holding a text box, as Word writes one (with its old-Word fallback copy)."""
    from docx.oxml import parse_xml

    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return parse_xml(
        f'<w:r xmlns:w="{W}" xmlns:mc="{mc}"><mc:AlternateContent>'
        f"<mc:Choice Requires='wps'><w:drawing><wrap>{box}</wrap></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><wrap>{box}</wrap></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def _edited(tmp_path: Path, text: str, doctype: str = "", drop_body: bool = False) -> Path:
    """A story whose body paragraph's XML is `text`, under an optional DOCTYPE."""
    document = docx.Document()
    document.add_paragraph("标题", style="Title")
    document.add_paragraph("PARAGRAPH")
    plain = _saved(document, tmp_path)
    with zipfile.ZipFile(plain) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8").replace("PARAGRAPH", text)
    xml = re.sub(r"<w:body>.*</w:body>", "", xml, flags=re.DOTALL) if drop_body else xml
    parts["word/document.xml"] = re.sub(r"(<\?xml[^>]*\?>)", rf"\1\n{doctype}", xml).encode()
    path = tmp_path / "edited.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("doctype", "text", "where"),
    [
        (
            '<!DOCTYPE w:document SYSTEM "x.dtd" [<!ENTITY city "包头市">]>',
            "正文&city;项目",
            "word/document.xml, line 3: &city; after “正文”",
        ),
        (
            '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "{secret}">]>',
            "正文&secret;项目",
            "word/document.xml, line 3: &secret; after “正文”",
        ),
        ('<!DOCTYPE w:document [<!ENTITY city "包头市">]>', "正文项目", "word/document.xml: "),
    ],
    ids=["internal", "external", "declared-only"],
)
def test_entities_are_refused_naming_where_not_dropped(tmp_path, doctype, text, where):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密", encoding="utf-8")
    source = _edited(tmp_path, text, doctype.format(secret=secret.as_uri()))
    with pytest.raises(SourceError) as error:
        read_docx(source)
    [problem] = error.value.problems
    assert (problem.file, problem.message.startswith(where)) == (source, True)
    assert "XML entities" in problem.message and problem.hint
    assert "机密" not in str(error.value)  # the external entity was never read


def test_text_after_a_comment_inside_a_run_is_kept(tmp_path):
    draft = read_docx(_edited(tmp_path, "正文<!-- 批注 -->项目<?pi 指令?>建设"))
    assert draft.articles[0].paragraphs == ["正文项目建设"]


def test_a_document_without_a_body_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="has no text"):
        read_docx(_edited(tmp_path, "", drop_body=True))
