"""An NITF story imports to page sources the build loads, losing no text and reading no file."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from layout.errors import SourceError
from layout.ingest.draft import write_page
from layout.ingest.nitf import read_nitf
from layout.sources.page import load_page
from layout.typeset.normalise import normalise_text

NAMESPACE = "http://iptc.org/std/NITF/2006-10-18/"

STORY = """<?xml version="1.0" encoding="UTF-8"?>
<nitf{xmlns} version="-//IPTC//DTD NITF 3.4//EN">
  <head>
    <title>包头稀土产业提速</title>
    <docdata>
      <doc-id id-string="btrb-20240326-005-01"/>
      <date.issue norm="20240326T000000"/>
    </docdata>
  </head>
  <body>
    <body.head>
      <hedline>
        <hl1>稀土新材料项目建设全面提速</hl1>
        <hl2>——访包头市工信局局长李明</hl2>
      </hedline>
      <byline>本报记者 <person>张建芳</person></byline>
      <dateline><location>包头</location><story.date>3月25日</story.date>电</dateline>
    </body.head>
    <body.content>
      <p>今年以来,包头市<b>稀土新材料</b>产业
        项目建设全面提速,一季度完成投资<strong>120亿元</strong>,同比增长15%。</p>
      <p>“我们要<b>抓项目</b><b>、</b><b>促投资</b>,为高质量发展注入动能。”李明说。</p>
      <hl2>强链补链 打造产业集群</hl2>
      <p>围绕稀土永磁、储氢、抛光等领域,全市新开工项目<em>38个</em>,其中
        <org>北方稀土</org>新材料产业园已建成投产。</p>
      <media media-type="image">
        <media-reference source="photo.png" mime-type="image/png"/>
        <media-caption>稀土新材料产业园生产车间</media-caption>
        <media-producer>记者 孟婧美 摄</media-producer>
      </media>
      <block>
        <p>下一步,包头将继续优化营商环境,推动产业链上下游协同发展。</p>
      </block>
    </body.content>
    <body.end>
      <tagline>(本报记者 张建芳 通讯员 郭健)</tagline>
    </body.end>
  </body>
</nitf>
"""


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", normalise_text(text))


def story(tmp_path: Path, xml: str, name: str = "story.xml") -> Path:
    path = tmp_path / name
    path.write_text(xml, encoding="utf-8")
    return path


def photo(path: Path) -> None:
    Image.new("RGB", (60, 40), "gray").save(path)


def written_text(page: Path) -> str:
    return squeeze("".join(p.read_text(encoding="utf-8") for p in sorted(page.glob("*.[my]*"))))


def import_page(source: Path, page: Path):
    draft = read_nitf(source)
    draft.paper, draft.page, draft.format = "包头日报", 5, "tabloid"
    write_page(draft, page)
    return draft, load_page(page)


@pytest.mark.parametrize("xmlns", ["", f' xmlns="{NAMESPACE}"'], ids=["plain", "namespaced"])
def test_a_story_imports_to_a_page_that_loads(tmp_path, xmlns):
    photo(tmp_path / "photo.png")
    source = story(tmp_path, STORY.format(xmlns=xmlns))
    draft, page = import_page(source, tmp_path / "page")
    assert draft.date == datetime.date(2024, 3, 26)
    assert draft.notes == []
    [article] = page.articles
    assert article.headline == "稀土新材料项目建设全面提速"
    assert article.subhead == "——访包头市工信局局长李明"
    assert article.byline == "本报记者 张建芳"
    kinds = [block.kind for block in article.blocks]
    assert kinds == ["paragraph", "paragraph", "crosshead", "paragraph", "paragraph", "paragraph"]
    first = article.blocks[0]
    assert first.text.startswith("包头3月25日电\u3000今年以来")
    assert [s.text for s in first.spans if s.bold] == ["稀土新材料", "120亿元"]
    assert [s.text for s in article.blocks[1].spans if s.bold] == ["抓项目、促投资"]
    assert article.blocks[2].text == "强链补链 打造产业集群"
    assert article.blocks[-1].text == "（本报记者 张建芳 通讯员 郭健）"
    [image] = article.images
    assert (image.path.name, image.width_px, image.height_px) == ("photo.png", 60, 40)
    assert (image.caption, image.credit) == ("稀土新材料产业园生产车间", "记者 孟婧美 摄")


def test_no_character_of_the_story_is_lost(tmp_path):
    photo(tmp_path / "photo.png")
    source = story(tmp_path, STORY.format(xmlns=""))
    import_page(source, tmp_path / "page")
    written = written_text(tmp_path / "page")
    body = next(e for e in ET.fromstring(source.read_bytes()).iter() if e.tag == "body")
    for piece in body.itertext():
        assert squeeze(piece) in written, piece


def test_unplaced_elements_keep_their_text_and_are_noted(tmp_path):
    xml = """<nitf><body><body.head><hedline><hl1>标题</hl1></hedline>
      <abstract><p>导语一段。</p></abstract></body.head>
      <body.content><p>正文。</p>散落的文字
        <table><tr><td>项目</td><td>投资</td></tr><tr><td>产业园</td><td>50亿元</td></tr></table>
        <ul><li>第一条</li><li><b>第二条</b></li></ul></body.content></body></nitf>"""
    draft = read_nitf(story(tmp_path, xml))
    [article] = draft.articles
    assert article.paragraphs == [
        "导语一段。",
        "正文。",
        "散落的文字",
        *["项目", "投资", "产业园", "50亿元"],
        *["第一条", "**第二条**"],
    ]
    assert draft.notes == [
        "element <abstract>: kept its text as a paragraph (“导语一段。”)",
        "text between the elements of <body.content>: kept its text as a paragraph (“散落的文字”)",
        "element <table>: kept its text as 4 paragraphs (“项目”)",
        "element <ul>: kept its text as 2 paragraphs (“第一条”)",
    ]
    page = tmp_path / "page"
    draft.paper, draft.date, draft.page = "包头日报", datetime.date(2024, 3, 26), 5
    write_page(draft, page)
    assert load_page(page).articles[0].blocks[-1].spans[0].bold


def test_several_stories_give_several_articles(tmp_path):
    xml = """<nitf-collection>
      <nitf><head><title>第一篇</title></head><body><body.content><p>甲。</p></body.content></body></nitf>
      <nitf><body><body.head><hedline><hl1>第二篇</hl1></hedline></body.head>
        <body.content><p>乙。</p></body.content></body></nitf>
    </nitf-collection>"""
    draft = read_nitf(story(tmp_path, xml))
    assert [(a.headline, a.paragraphs) for a in draft.articles] == [
        ("第一篇", ["甲。"]),
        ("第二篇", ["乙。"]),
    ]


def test_missing_media_is_noted_with_its_caption(tmp_path):
    draft = read_nitf(story(tmp_path, STORY.format(xmlns="")))
    assert draft.articles[0].images == []
    assert draft.notes == [
        "media photo.png: file not found next to story.xml; "
        "caption: 稀土新材料产业园生产车间; credit: 记者 孟婧美 摄"
    ]


def test_media_outside_the_story_folder_is_not_read(tmp_path):
    (tmp_path / "secret.png").write_bytes(b"secret")
    folder = tmp_path / "story"
    folder.mkdir()
    xml = STORY.format(xmlns="").replace('source="photo.png"', 'source="../secret.png"')
    draft = read_nitf(story(folder, xml))
    assert draft.articles[0].images == []
    assert "media ../secret.png: file not found" in draft.notes[0]


def test_a_gb2312_story_is_read(tmp_path):
    xml = '<?xml version="1.0" encoding="GB2312"?><nitf><body><body.head><hedline>'
    xml += "<hl1>包头日报</hl1></hedline></body.head></body></nitf>"
    source = tmp_path / "story.xml"
    source.write_bytes(xml.encode("gb2312"))
    assert read_nitf(source).articles[0].headline == "包头日报"


@pytest.mark.parametrize(
    "xml",
    [
        '<!DOCTYPE nitf [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        "<nitf><body><body.content><p>&e;</p></body.content></body></nitf>",
        '<?xml version="1.0"?>\n<!DOCTYPE nitf [\n<!ENTITY lol "lol">\n'
        + "".join(
            f'<!ENTITY lol{n} "{("&lol" + str(n - 1 or "") + ";") * 10}">\n' for n in range(1, 10)
        )
        + "]>\n<nitf><body><body.content><p>&lol9;</p></body.content></body></nitf>",
    ],
    ids=["external-entity", "billion-laughs"],
)
def test_entities_are_refused(tmp_path, xml):
    with pytest.raises(SourceError) as error:
        read_nitf(story(tmp_path, xml))
    message = str(error.value)
    assert "story.xml" in message
    assert "entities" in message
    assert "root:" not in message  # nothing of /etc/passwd
    [problem] = error.value.problems
    assert problem.line == xml[: xml.index("<!ENTITY")].count("\n") + 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG not xml at all", "is not well-formed XML"),
        (b"", "is not well-formed XML"),
        (b"<nitf><body><p>unclosed</body></nitf>", "is not well-formed XML"),
        (b"<html><body><p>x</p></body></html>", "has no <nitf><body> element"),
    ],
)
def test_what_is_not_an_nitf_story_is_a_source_error_naming_the_file(tmp_path, content, expected):
    source = tmp_path / "story.xml"
    source.write_bytes(content)
    with pytest.raises(SourceError) as error:
        read_nitf(source)
    assert str(source) in str(error.value)
    assert expected in str(error.value)
    assert error.value.problems[0].hint


def test_deep_nesting_is_a_source_error(tmp_path):
    depth = 100_000
    xml = "<nitf><body><body.content><p>" + "<b>" * depth + "x" + "</b>" * depth
    with pytest.raises(SourceError, match="too deeply"):
        read_nitf(story(tmp_path, xml + "</p></body.content></body></nitf>"))
