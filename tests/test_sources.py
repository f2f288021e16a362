"""The load & validate stage: typed output for good pages, located fixes for bad ones."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image as PILImage
from PIL import ImageFile

from layout.compose import compose_page
from layout.errors import Problem, SourceError
from layout.model.document import Block, Credits, Span
from layout.output.pdfx import cmyk_photo
from layout.pipeline import build
from layout.sources import files, models
from layout.sources.body import escape_markdown, parse_body
from layout.sources.edition import load_edition
from layout.sources.layout_file import load_layout
from layout.sources.located import refused_characters
from layout.sources.page import load_page
from layout.sources.schema import SCHEMA_DIR, article_schema, page_schema, write_schemas
from tests.conftest import SEED

CASES = Path(__file__).parent / "cases"

PAGE = """\
paper: 包头日报
date: 2024-03-26
page: 5
articles: [01-story.md]
"""

STORY = """\
---
headline: 项目建设提速
---

今年以来，全市重点项目加快推进。
"""


def write_page(root: Path, page: str = PAGE, files: dict[str, str | bytes] | None = None) -> Path:
    """A page directory with page.yaml and files (01-story.md is STORY unless given)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "page.yaml").write_text(page, encoding="utf-8")
    for name, content in {"01-story.md": STORY, **(files or {})}.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def write_image(path: Path, size: tuple[int, int] = (40, 30), kind: str = "JPEG") -> Path:
    PILImage.new("RGB", size, (200, 120, 40)).save(path, kind)
    return path


def problems_of(directory: Path) -> list[Problem]:
    with pytest.raises(SourceError) as raised:
        load_page(directory)
    return raised.value.problems


def only_problem(directory: Path) -> Problem:
    problems = problems_of(directory)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


# --- A valid page.

FULL_PAGE = """\
paper: 包头日报
date: 2024-03-26
page: 5
section: 专版
format: tabloid
headline:
  kicker: 包头
  title: 携手并进 合力聚势共赢美好未来
  subtitle: 副题
lede: |
  第一段第一行
  第一段第二行

  第二段
articles: [01-story.md, 02-other.md]
credits:
  lines: [本版文图由包头日报记者 张建芳 张婷婷 提供]
  editors: [魏美丽, 蒋建波, 吴琼]
  designer: 马慧茹
"""

FULL_STORY = """\
---
kicker: 引题
headline: 项目建设提速
subhead: 副题
byline: 记者 张建芳
images:
  - file: photos/site.jpg
    caption: 项目建设现场
    credit: 记者 郭健 摄
  - file: chart.png
---

今年以来，全市重点项目
加快推进。**一季度**完成投资**两成**。

### 产业升级
<b>不是标签</b> {{ 模板 }} {% if x %} [链接](http://example.com) ** 单独 **
# 一级标题
- 列表项
"""


def test_valid_page_loads_into_the_document_types(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    write_image(tmp_path / "photos" / "site.jpg", (40, 30))
    write_image(tmp_path / "chart.png", (16, 9), "PNG")
    write_page(tmp_path, FULL_PAGE, files={"01-story.md": FULL_STORY, "02-other.md": STORY})

    page = load_page(tmp_path)

    assert (page.directory, page.paper, page.date, page.number) == (
        tmp_path,
        "包头日报",
        date(2024, 3, 26),
        5,
    )
    assert (page.section, page.format) == ("专版", "tabloid")
    assert page.banner is not None
    assert (page.banner.kicker, page.banner.title, page.banner.subtitle) == (
        "包头",
        "携手并进 合力聚势共赢美好未来",
        "副题",
    )
    assert page.lede == ("第一段第一行\n第一段第二行", "第二段")
    assert page.credits.lines == ("本版文图由包头日报记者 张建芳 张婷婷 提供",)
    assert page.credits.editors == ("魏美丽", "蒋建波", "吴琼")
    assert page.credits.designer == "马慧茹"

    story, other = page.articles
    assert (story.file, story.slug, other.slug) == (
        tmp_path / "01-story.md",
        "01-story",
        "02-other",
    )
    assert (story.kicker, story.headline, story.subhead, story.byline) == (
        "引题",
        "项目建设提速",
        "副题",
        "记者 张建芳",
    )
    site, chart = story.images
    assert (site.path, site.width_px, site.height_px) == (tmp_path / "photos" / "site.jpg", 40, 30)
    assert (site.caption, site.credit) == ("项目建设现场", "记者 郭健 摄")
    assert (chart.path, chart.width_px, chart.height_px, chart.caption) == (
        tmp_path / "chart.png",
        16,
        9,
        None,
    )
    assert story.blocks == (
        Block(
            "paragraph",
            (
                Span("今年以来，全市重点项目\n加快推进。"),
                Span("一季度", bold=True),
                Span("完成投资"),
                Span("两成", bold=True),
                Span("。"),
            ),
            13,
        ),
        Block("crosshead", (Span("产业升级"),), 16),
        Block(
            "paragraph",
            (
                Span(
                    "<b>不是标签</b> {{ 模板 }} {% if x %} [链接](http://example.com) ** 单独 **\n"
                    "# 一级标题\n- 列表项"
                ),
            ),
            17,
        ),
    )


def test_minimal_page_gets_defaults(tmp_path: Path) -> None:
    page = load_page(write_page(tmp_path))
    assert (page.format, page.section, page.banner, page.lede) == ("broadsheet", None, None, ())
    assert page.credits == Credits()


def test_empty_optional_fields_count_as_absent(tmp_path: Path) -> None:
    page = load_page(write_page(tmp_path, PAGE + "section:\nheadline:\ncredits:\n  designer:\n"))
    assert (page.section, page.banner, page.credits) == (None, None, Credits())
    assert [b.text for b in page.articles[0].blocks] == ["今年以来，全市重点项目加快推进。"]


def test_quoted_date_crlf_and_bom_are_accepted(tmp_path: Path) -> None:
    story = "\ufeff" + STORY.replace("\n", "\r\n")
    write_page(tmp_path, PAGE.replace("2024-03-26", '"2024-03-26"'), files={"01-story.md": story})
    page = load_page(tmp_path)
    assert page.date == date(2024, 3, 26)
    assert page.articles[0].blocks[0].line == 5


# --- Body parsing.


def test_body_crossheads_split_paragraphs_without_blank_lines() -> None:
    blocks = parse_body("一\n### 小标题\n二\n三\n\n\n四", first_line=10).blocks
    assert [(b.kind, b.text, b.line) for b in blocks] == [
        ("paragraph", "一", 10),
        ("crosshead", "小标题", 11),
        ("paragraph", "二\n三", 12),
        ("paragraph", "四", 16),
    ]


@pytest.mark.parametrize(
    "text",
    ["###", "### ", "###没有空格", "#### 四级", "****", "**", "** 不成对", "**a ** b"],
)
def test_body_markup_that_is_not_ours_stays_literal(text: str) -> None:
    (block,) = parse_body(text).blocks
    assert (block.kind, block.text, [s.bold for s in block.spans]) == (
        "paragraph",
        text.strip(),
        [False],
    )


def test_bold_may_span_lines_of_a_paragraph() -> None:
    (block,) = parse_body("前**跨\n行**后").blocks
    assert block.spans == (Span("前"), Span("跨\n行", bold=True), Span("后"))


BODY_TEXT = st.text(alphabet=st.sampled_from("中文a*# \n\t<>{}[]()-\r"), max_size=80)


@given(BODY_TEXT)
def test_body_loses_nothing_but_markers(text: str) -> None:
    body = parse_body(text)
    blocks = body.blocks
    out = "".join(b.text for b in blocks)
    bold = sum(s.bold for b in blocks for s in b.spans)
    crossheads = sum(b.kind == "crosshead" for b in blocks)
    for char in "中文a<{}[]()-":
        assert out.count(char) == text.count(char)
    # a pull quote's `>`: one on its first line, at most one on each further line
    quoted_lines = sum(quote.text.count("\n") + 1 for quote in body.quotes)
    assert len(body.quotes) <= text.count(">") - out.count(">") <= quoted_lines
    assert all(quote in blocks and quote.kind == "paragraph" for quote in body.quotes)
    assert out.count("*") + 4 * bold == text.count("*")
    assert out.count("#") + 3 * crossheads == text.count("#")
    assert all(s.text for b in blocks for s in b.spans)
    assert all(b.spans for b in blocks)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"增长\*\*50%\*\*以上", "增长**50%**以上"),
        (r"\### 这不是小标题", "### 这不是小标题"),
        (r"左\\右", "左\\右"),
        ("C:\\dir \\n \\", "C:\\dir \\n \\"),  # a backslash before other characters is text
        ("#话题#", "#话题#"),
        (r"\> 不是引语", "> 不是引语"),
        (r"左\>右", "左>右"),
    ],
)
def test_a_backslash_makes_markup_text(text: str, expected: str) -> None:
    (block,) = parse_body(text).blocks
    assert (block.kind, block.spans) == ("paragraph", (Span(expected),))


def test_escapes_work_inside_bold_and_crossheads() -> None:
    (block,) = parse_body(r"\***粗\*体**尾\\").blocks
    assert block.spans == (Span("*"), Span("粗*体", bold=True), Span("尾\\"))
    (head,) = parse_body(r"### 小标题\*\*").blocks
    assert (head.kind, head.text) == ("crosshead", "小标题**")
    (ends,) = parse_body(r"**粗\\**").blocks
    assert ends.spans == (Span("粗\\", bold=True),)


def test_bold_and_crossheads_still_work_beside_escapes() -> None:
    blocks = parse_body("### 小标题\n\n前**粗**后\n\n\\### 文字").blocks
    assert [(b.kind, b.spans) for b in blocks] == [
        ("crosshead", (Span("小标题"),)),
        ("paragraph", (Span("前"), Span("粗", bold=True), Span("后"))),
        ("paragraph", (Span("### 文字"),)),
    ]


def test_a_paragraph_opened_by_gt_is_a_pull_quote_and_stays_in_the_body() -> None:
    body = parse_body("第一段。\n\n> 引语**加粗**一句，\n> 第二行。\n\n第三段。", first_line=5)
    assert [(b.kind, b.spans, b.line) for b in body.blocks] == [
        ("paragraph", (Span("第一段。"),), 5),
        ("paragraph", (Span("引语"), Span("加粗", bold=True), Span("一句，\n第二行。")), 7),
        ("paragraph", (Span("第三段。"),), 10),
    ]
    assert body.quotes == (body.blocks[1],)


@pytest.mark.parametrize(
    ("text", "paragraphs", "quoted"),
    [
        ("正文。\n> 引语", ["正文。", "引语"], ["引语"]),  # a quote breaks into a paragraph
        ("> 引语\n续行", ["引语\n续行"], ["引语\n续行"]),  # a line without `>` continues it
        (">紧贴", ["紧贴"], ["紧贴"]),
        ("  >   缩进", ["缩进"], ["缩进"]),
        (">", [">"], []),  # a lone `>` is text
        ("\\> 不是引语", ["> 不是引语"], []),
        ("1 > 0\n> 2", ["1 > 0", "2"], ["2"]),
        ("### > 小标题", ["> 小标题"], []),
    ],
)
def test_pull_quote_marks_follow_markdown(
    text: str, paragraphs: list[str], quoted: list[str]
) -> None:
    body = parse_body(text)
    assert [b.text for b in body.blocks] == paragraphs
    assert [q.text for q in body.quotes] == quoted


MARKUP_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from("\\*#> \t\n\r\x0c\u2028\u3000中a"), st.characters()),
    max_size=60,
)


@given(MARKUP_TEXT)
def test_escaped_text_parses_back_as_the_same_plain_text(text: str) -> None:
    body = parse_body(escape_markdown(text))
    blocks = body.blocks
    assert body.quotes == ()
    assert all(b.kind == "paragraph" for b in blocks)
    assert not any(s.bold for b in blocks for s in b.spans)
    assert "".join("".join(b.text.split()) for b in blocks) == "".join(text.split())
    line = " ".join(text.splitlines()).strip()  # one line, which the parser keeps whole
    if line:
        assert parse_body(escape_markdown(line)).blocks == (Block("paragraph", (Span(line),), 1),)


# --- Problems: collected, located, explained.


def test_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    page = PAGE.replace("2024-03-26", "2024-13-01").replace(
        "[01-story.md]", "[01-story.md, 02-gone.md, 03-bad.md]"
    )
    write_page(tmp_path, page, files={"03-bad.md": "---\nbyline: 记者\n---\n\n正文\n"})

    problems = problems_of(tmp_path)

    assert [(p.file, p.line, p.field) for p in problems] == [
        (tmp_path / "page.yaml", 2, "date"),
        (tmp_path / "page.yaml", 4, "articles[1]"),
        (tmp_path / "03-bad.md", 2, "headline"),
    ]
    assert problems[0].hint == "write the date as YYYY-MM-DD, e.g. `date: 2024-03-26`"
    assert "02-gone.md not found" in problems[1].message


@pytest.mark.parametrize(
    ("page", "line", "field", "message"),
    [
        ("date: 2024-03-26\npage: 5\narticles: [01-story.md]\n", 1, "paper", "required"),
        (PAGE.replace("包头日报", '"  "'), 1, "paper", "must not be empty"),
        (PAGE.replace("page: 5", "page: 5.0"), 3, "page", "got the number 5.0"),
        (PAGE.replace("page: 5", 'page: "5"'), 3, "page", "got the text '5'"),
        (PAGE + "section: no\n", 5, "section", "got yes/no (false)"),
        (PAGE.replace("2024-03-26", "2024-03-26 08:00"), 2, "date", "YYYY-MM-DD"),
        (PAGE.replace("2024-03-26", "20240326"), 2, "date", "got the number 20240326"),
        (PAGE + "headline:\n  kicker: 包头\n", 5, "headline.title", "required"),
        (PAGE + "headline: 标题\n", 5, "headline", "expected `key: value` fields"),
        (
            PAGE + "credits:\n  editors:\n    - 魏美丽\n    - [蒋建波]\n",
            8,
            "credits.editors[1]",
            "text",
        ),
        (PAGE + "credits: [魏美丽]\n", 5, "credits", "expected `key: value` fields, got a list"),
        (PAGE.replace("[01-story.md]", "[01-story.md, '']"), 4, "articles[1]", "empty"),
        (PAGE.replace("[01-story.md]", "01-story.md"), 4, "articles", "expected a list"),
        ("- paper: 包头日报\n", 1, None, "expected `key: value` fields, got a list"),
        ("", 1, None, "got nothing"),
    ],
)
def test_page_yaml_problem_is_located(
    tmp_path: Path, page: str, line: int, field: str | None, message: str
) -> None:
    problem = only_problem(write_page(tmp_path, page))
    assert (problem.file, problem.line, problem.field) == (tmp_path / "page.yaml", line, field)
    assert message in problem.message


@pytest.mark.parametrize(
    ("front", "line", "field", "message"),
    [
        ("byline: 记者", 2, "headline", "required"),
        ("headline: 标题\nimages:\n  - caption: 图", 4, "images[0].file", "required"),
        ("headline: 标题\nimages:\n  - file: a.jpg\n  - file: b.jpg", 5, "images[1].file", "b.jpg"),
        ("headline: 标题\nimages: a.jpg", 3, "images", "expected a list"),
        ("headline: [标题]", 2, "headline", "expected text, got a list"),
        ("- headline: 标题", 2, None, "expected `key: value` fields"),
        ("headline: 标题\nheadline: 又一个", 3, "headline", "given twice (first on line 2)"),
    ],
)
def test_front_matter_problem_is_located(
    tmp_path: Path, front: str, line: int, field: str | None, message: str
) -> None:
    write_image(tmp_path / "a.jpg")
    write_page(tmp_path, files={"01-story.md": f"---\n{front}\n---\n\n正文\n"})
    problem = only_problem(tmp_path)
    assert (problem.file, problem.line, problem.field) == (tmp_path / "01-story.md", line, field)
    assert message in problem.message


@pytest.mark.parametrize(
    ("page", "line", "field", "hint"),
    [
        (PAGE + "sectoin: 专版\n", 5, "sectoin", "did you mean `section`?"),
        (PAGE + "headline:\n  titel: 标题\n", 6, "headline.titel", "did you mean `title`?"),
        (PAGE + "credits:\n  editor: [魏美丽]\n", 6, "credits.editor", "did you mean `editors`?"),
    ],
)
def test_unknown_field_suggests_the_allowed_name(
    tmp_path: Path, page: str, line: int, field: str, hint: str
) -> None:
    problems = problems_of(write_page(tmp_path, page))
    unknown = next(p for p in problems if p.message.startswith("unknown field"))
    assert (unknown.line, unknown.field, unknown.hint) == (line, field, hint)


def test_unknown_field_without_a_close_name_lists_the_allowed_ones(tmp_path: Path) -> None:
    story = "---\nheadline: 标题\nauthor: 张三\n---\n\n正文\n"
    problem = only_problem(write_page(tmp_path, files={"01-story.md": story}))
    assert (problem.line, problem.field) == (3, "author")
    assert problem.hint is not None
    assert "`byline`" in problem.hint
    assert "`images`" in problem.hint


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    problem = only_problem(write_page(tmp_path, PAGE + "section: 专版: 经济\n"))
    assert (problem.file, problem.line) == (tmp_path / "page.yaml", 5)
    assert problem.message.startswith("YAML syntax error")
    assert problem.hint is not None


def test_yaml_syntax_error_in_front_matter_is_offset_to_file_lines(tmp_path: Path) -> None:
    story = "---\nheadline: 标题\nbyline: 记者: 张三\n---\n\n正文\n"
    problem = only_problem(write_page(tmp_path, files={"01-story.md": story}))
    assert (problem.file, problem.line) == (tmp_path / "01-story.md", 3)


def test_tab_indentation_is_a_syntax_error_with_the_tab_hint(tmp_path: Path) -> None:
    problem = only_problem(write_page(tmp_path, PAGE + "headline:\n\ttitle: 标题\n"))
    assert problem.line == 6
    assert problem.hint is not None
    assert "not tabs" in problem.hint


def test_control_character_in_yaml_is_located(tmp_path: Path) -> None:
    problem = only_problem(write_page(tmp_path, PAGE + "section: 专\x07版\n"))
    assert (problem.line, problem.message) == (5, "the character U+0007 is not allowed here")


def test_malformed_explicit_tag_is_a_problem(tmp_path: Path) -> None:
    problem = only_problem(write_page(tmp_path, PAGE.replace("page: 5", "page: !!int five")))
    assert problem.file == tmp_path / "page.yaml"
    assert "cannot be read" in problem.message


def test_non_utf8_file_is_located(tmp_path: Path) -> None:
    story = "---\nheadline: 标题\n---\n\n正文\n".encode("gbk")
    problem = only_problem(write_page(tmp_path, files={"01-story.md": story}))
    assert (problem.file, problem.line) == (tmp_path / "01-story.md", 2)
    assert problem.hint is not None
    assert "save the file as UTF-8" in problem.hint


def test_missing_directory_and_page_yaml(tmp_path: Path) -> None:
    gone = only_problem(tmp_path / "nowhere")
    assert (gone.file, gone.message) == (tmp_path / "nowhere", "page directory not found")
    (tmp_path / "empty").mkdir()
    missing = only_problem(tmp_path / "empty")
    assert missing.file == tmp_path / "empty" / "page.yaml"
    assert missing.message == "page.yaml not found"


@pytest.mark.parametrize(
    ("story", "line", "message"),
    [
        ("headline: 标题\n\n正文\n", 1, "no front matter"),
        ("", 1, "no front matter"),
        ("---\nheadline: 标题\n\n正文\n", 1, "never closed"),
        ("---\nheadline: 标题\n---\n\n\n", 4, "no text"),
        ("---\n---\n正文\n", 2, "expected `key: value` fields, got nothing"),
    ],
)
def test_article_structure_problems(tmp_path: Path, story: str, line: int, message: str) -> None:
    problem = only_problem(write_page(tmp_path, files={"01-story.md": story}))
    assert (problem.file, problem.line) == (tmp_path / "01-story.md", line)
    assert message in problem.message


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("../other/01-story.md", "outside the page directory"),
        ("/etc/hostname", "outside the page directory"),
        ("sub", "is not a file"),
        ("01-stroy.md", "not found"),
    ],
)
def test_article_entries_must_name_files_inside_the_page(
    tmp_path: Path, entry: str, message: str
) -> None:
    (tmp_path / "page" / "sub").mkdir(parents=True)
    write_page(tmp_path / "other")
    write_page(tmp_path / "page", PAGE.replace("[01-story.md]", f"[01-story.md, '{entry}']"))
    problem = only_problem(tmp_path / "page")
    assert (problem.line, problem.field) == (4, "articles[1]")
    assert message in problem.message


def test_missing_article_suggests_a_similar_file(tmp_path: Path) -> None:
    write_page(tmp_path, PAGE.replace("01-story.md", "01-stroy.md"))
    assert only_problem(tmp_path).hint == "did you mean `01-story.md`?"


def test_missing_article_does_not_suggest_one_already_listed(tmp_path: Path) -> None:
    write_page(tmp_path, PAGE.replace("[01-story.md]", "[01-story.md, 02-story.md]"))
    assert only_problem(tmp_path).hint == (
        "check the file name, or add the file to the page directory"
    )


def test_symlink_out_of_the_page_directory_is_refused(tmp_path: Path) -> None:
    write_page(tmp_path / "other")
    page = write_page(tmp_path / "page", PAGE.replace("[01-story.md]", "[01-story.md, link.md]"))
    (page / "link.md").symlink_to(tmp_path / "other" / "01-story.md")
    problem = only_problem(page)
    assert (problem.field, problem.message) == (
        "articles[1]",
        "link.md links to a file outside the page directory",
    )


def test_same_article_listed_twice(tmp_path: Path) -> None:
    write_page(tmp_path, PAGE.replace("[01-story.md]", "\n  - 01-story.md\n  - ./01-story.md"))
    problem = only_problem(tmp_path)
    assert (problem.line, problem.field) == (6, "articles[1]")
    assert problem.hint == "remove this entry; the article is already articles[0]"


# --- Images.


def story_with_image(name: str) -> str:
    return f"---\nheadline: 标题\nimages:\n  - file: {name}\n---\n\n正文\n"


def image_problem(tmp_path: Path, name: str) -> Problem:
    problem = only_problem(write_page(tmp_path, files={"01-story.md": story_with_image(name)}))
    assert (problem.file, problem.line, problem.field) == (
        tmp_path / "01-story.md",
        4,
        "images[0].file",
    )
    return problem


def test_image_must_be_jpeg_or_png(tmp_path: Path) -> None:
    write_image(tmp_path / "anim.gif", kind="GIF")
    assert "is a GIF image" in image_problem(tmp_path, "anim.gif").message


def test_truncated_jpeg_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as once WeasyPrint is imported
    full = write_image(tmp_path / "full.jpg", (200, 200)).read_bytes()
    (tmp_path / "cut.jpg").write_bytes(full[: len(full) // 2])
    assert "not a readable JPEG or PNG" in image_problem(tmp_path, "cut.jpg").message
    assert ImageFile.LOAD_TRUNCATED_IMAGES


def test_image_over_the_pixel_limit_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_image(tmp_path / "big.jpg", (40, 30))
    monkeypatch.setattr(files, "MAX_PIXELS", 1000)
    assert "40×30 pixels" in image_problem(tmp_path, "big.jpg").message


def test_decompression_bomb_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_image(tmp_path / "bomb.png", (40, 30), "PNG")
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 100)
    assert "too many pixels" in image_problem(tmp_path, "bomb.png").message


def test_image_path_must_stay_inside_the_page(tmp_path: Path) -> None:
    problem = image_problem(tmp_path, "../elsewhere.jpg")
    assert "outside the page directory" in problem.message


# --- Pull quotes and a photo's width in columns: levers the composer may use.

MAX_QUOTE = models.MAX_PULLQUOTE_CHARS
QUOTED_STORY = """\
---
headline: 项目建设提速
pullquote: 创新是第一动力
---

今年以来，全市重点项目加快推进。

> 项目建设**提速**，
> 产业升级加快。

>第二句引语
"""


def test_pull_quotes_come_from_front_matter_then_marked_paragraphs(tmp_path: Path) -> None:
    [article] = load_page(write_page(tmp_path, files={"01-story.md": QUOTED_STORY})).articles
    marked = "项目建设提速，\n产业升级加快。"
    assert article.pullquotes == ("创新是第一动力", marked, "第二句引语")
    assert [b.text for b in article.blocks] == [
        "今年以来，全市重点项目加快推进。",
        marked,
        "第二句引语",
    ]


def test_an_article_without_quotes_has_none(tmp_path: Path) -> None:
    assert load_page(write_page(tmp_path)).articles[0].pullquotes == ()


def marked(root: Path, quote: str) -> Path:
    return write_page(root, files={"01-story.md": STORY + f"\n> {quote}\n"})


def test_a_marked_paragraph_too_long_for_a_pull_quote_is_refused_at_its_line(
    tmp_path: Path,
) -> None:
    # a line break inside the paragraph is not a printed character
    load_page(
        marked(tmp_path / "at", LONG[: MAX_QUOTE - 2] + "\n" + LONG[MAX_QUOTE - 2 : MAX_QUOTE])
    )
    problem = only_problem(marked(tmp_path / "over", LONG[: MAX_QUOTE + 1]))
    assert (problem.file.name, problem.line, problem.field) == ("01-story.md", 7, "body")
    assert problem.message.endswith(
        f"has {MAX_QUOTE + 1} characters; a pull quote is at most {MAX_QUOTE}"
    )
    assert problem.hint is not None and problem.hint.startswith(models.PULLQUOTE_FIX)


def test_the_front_matter_pull_quote_is_counted_as_printed(tmp_path: Path) -> None:
    pullquote = FRONT.replace("{field}", "pullquote")
    # `...` prints as the two characters `……`
    at = LONG[: MAX_QUOTE - 2] + "..."
    load_page(write_printed_field(tmp_path / "at", "01-story.md", pullquote, at))
    over = LONG[: MAX_QUOTE - 1] + "..."
    problem = only_problem(write_printed_field(tmp_path / "over", "01-story.md", pullquote, over))
    assert (problem.file.name, problem.line, problem.field) == ("01-story.md", 3, "pullquote")
    assert problem.message == f"has {MAX_QUOTE + 1} characters; a pull quote is at most {MAX_QUOTE}"
    assert problem.hint == models.PULLQUOTE_FIX


@pytest.mark.parametrize(
    ("value", "message"),
    [("2024", "expected text"), ("创新😀", "is an emoji"), ("''", "must not be empty")],
)
def test_a_front_matter_pull_quote_is_printable_text(
    tmp_path: Path, value: str, message: str
) -> None:
    pullquote = FRONT.replace("{field}", "pullquote")
    problem = only_problem(write_printed_field(tmp_path, "01-story.md", pullquote, value))
    assert (problem.line, problem.field) == (3, "pullquote")
    assert message in problem.message


COLUMNS_STORY = (
    "---\nheadline: 标题\nimages:\n  - file: a.jpg\n{fields}  - file: a.jpg\n---\n\n正文\n"
)


@pytest.mark.parametrize(("low", "high"), [(2, 3), (2, 2), (None, 4), (1, None)])
def test_a_photo_gives_the_range_of_its_width_in_columns(
    tmp_path: Path, low: int | None, high: int | None
) -> None:
    fields = "".join(
        f"    {name}: {value}\n"
        for name, value in (("min_columns", low), ("max_columns", high))
        if value is not None
    )
    write_page(tmp_path, files={"01-story.md": COLUMNS_STORY.replace("{fields}", fields)})
    write_image(tmp_path / "a.jpg")
    ranged, plain = load_page(tmp_path).articles[0].images
    assert (ranged.min_columns, ranged.max_columns) == (low, high)
    assert (plain.min_columns, plain.max_columns) == (None, None)


@pytest.mark.parametrize(
    ("fields", "field", "message", "hint"),
    [
        ("    min_columns: 0\n", "min_columns", "must be 1 or more, got the number 0", "narrowest"),
        ("    max_columns: 2.0\n", "max_columns", "expected a whole number", "widest"),
        (
            "    min_columns: 3\n    max_columns: 2\n",
            "min_columns",
            "min_columns is 3, more than max_columns (2)",
            "at most `max_columns`",
        ),
    ],
)
def test_a_photo_width_range_that_cannot_be_is_located(
    tmp_path: Path, fields: str, field: str, message: str, hint: str
) -> None:
    write_page(tmp_path, files={"01-story.md": COLUMNS_STORY.replace("{fields}", fields)})
    write_image(tmp_path / "a.jpg")
    problem = only_problem(tmp_path)
    assert (problem.line, problem.field) == (5, f"images[0].{field}")
    assert message in problem.message
    assert problem.hint is not None and hint in problem.hint


# --- JSON Schema.


def test_committed_schemas_are_current(tmp_path: Path) -> None:
    for fresh in write_schemas(tmp_path):
        committed = SCHEMA_DIR / fresh.name
        assert committed.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
            "run `python -m layout.sources.schema --write-schema`"
        )


def test_schemas_describe_every_field() -> None:
    for schema in (page_schema(), article_schema()):
        json.dumps(schema)
        assert schema["additionalProperties"] is False
        assert all("description" in field for field in schema["properties"].values())
    assert page_schema()["required"] == ["paper", "date", "page", "articles"]
    assert article_schema()["required"] == ["headline"]


# --- Data-driven cases, shared with the command-line tests.


def error_cases() -> list[Path]:
    return [case for case in sorted(CASES.iterdir()) if _stage_error(case) == "SourceError"]


def _stage_error(case: Path) -> str | None:
    """The error a case expects from the stages: SourceError unless it says another."""
    expect = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))
    return expect.get("error", "SourceError") if expect["exit_code"] == 1 else None


@pytest.mark.parametrize("case", error_cases(), ids=lambda case: case.name)
def test_case(case: Path, roles) -> None:
    """Every case is a source error: of the page, an edition, a layout file or a slot."""
    expect = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))
    args = expect.get("args", [])
    with pytest.raises(SourceError) as raised:
        if (case / "edition.yaml").is_file():
            load_edition(case)
        page = load_page(case)
        if "--layout" in args:
            page = load_layout(case / args[args.index("--layout") + 1], page)
        compose_page(page, roles)
    for message in expect["messages"]:
        assert message in str(raised.value)


YAMLISH = st.text(alphabet=st.sampled_from("ab:-[]{}#&*!|>'\"% \n\t\x07é中01."), max_size=60)


@given(page=YAMLISH, story=YAMLISH)
def test_any_content_gives_a_page_or_a_source_error(page: str, story: str) -> None:
    with tempfile.TemporaryDirectory() as root:
        directory = write_page(Path(root), PAGE + page, files={"01-story.md": "---\n" + story})
        try:
            load_page(directory)
        except SourceError as error:
            assert all(p.file is not None and p.line is not None for p in error.problems)


# --- Printed fields: limits that keep the composer fast, characters it cannot print.

LONG = "增强区域协同创新发展能力开拓同城化发展新局面" * 60
IMAGE_STORY = "---\nheadline: 标题\nimages:\n  - file: a.jpg\n    {field}: {text}\n---\n\n正文\n"

NAME, HEAD, LINE = models.MAX_NAME_CHARS, models.MAX_HEADLINE_CHARS, models.MAX_LINE_CHARS
TITLED = PAGE + "headline:\n  title: 题\n"
FRONT = STORY.replace("---\n\n", "{field}: {text}\n---\n\n")
CAPTIONED = IMAGE_STORY.replace("{field}", "caption")

# (file, its text with `{text}` where the field's value goes, field, line, limit)
PRINTED_FIELDS = [
    ("page.yaml", PAGE.replace("包头日报", "{text}"), "paper", 1, NAME),
    ("page.yaml", PAGE + "section: {text}\n", "section", 5, NAME),
    ("page.yaml", PAGE + "headline:\n  title: {text}\n", "headline.title", 6, HEAD),
    ("page.yaml", TITLED + "  kicker: {text}\n", "headline.kicker", 7, LINE),
    ("page.yaml", TITLED + "  subtitle: {text}\n", "headline.subtitle", 7, LINE),
    ("page.yaml", PAGE + "lede: {text}\n", "lede", 5, models.MAX_LEDE_CHARS),
    ("page.yaml", PAGE + "credits:\n  lines: [{text}]\n", "credits.lines[0]", 6, LINE),
    ("page.yaml", PAGE + "credits:\n  editors: [{text}]\n", "credits.editors[0]", 6, NAME),
    ("page.yaml", PAGE + "credits:\n  designer: {text}\n", "credits.designer", 6, NAME),
    ("01-story.md", STORY.replace("项目建设提速", "{text}"), "headline", 2, HEAD),
    ("01-story.md", FRONT.replace("{field}", "kicker"), "kicker", 3, LINE),
    ("01-story.md", FRONT.replace("{field}", "subhead"), "subhead", 3, LINE),
    ("01-story.md", FRONT.replace("{field}", "byline"), "byline", 3, LINE),
    ("01-story.md", CAPTIONED, "images[0].caption", 5, models.MAX_CAPTION_CHARS),
    ("01-story.md", IMAGE_STORY.replace("{field}", "credit"), "images[0].credit", 5, NAME),
]


def write_printed_field(root: Path, file: str, template: str, text: str) -> Path:
    page = write_page(root, files={file: template.replace("{text}", text)})
    write_image(page / "a.jpg")
    return page


@pytest.mark.parametrize("case", PRINTED_FIELDS, ids=[case[2] for case in PRINTED_FIELDS])
def test_every_printed_field_has_a_length_limit_at_its_line(
    tmp_path: Path, case: tuple[str, str, str, int, int]
) -> None:
    file, template, field, line, limit = case
    load_page(write_printed_field(tmp_path / "at", file, template, LONG[:limit]))
    problem = only_problem(
        write_printed_field(tmp_path / "over", file, template, LONG[: limit + 1])
    )
    assert (problem.file.name, problem.line, problem.field) == (file, line, field)
    assert problem.message == f"has {limit + 1:,} characters; at most {limit:,} can be set"
    assert problem.hint == f"shorten `{field}` to at most {limit:,} characters"


def test_a_huge_one_line_lede_fails_at_once(tmp_path: Path) -> None:
    page = write_page(tmp_path, PAGE + "lede: " + "协同发展" * 50_000 + "\n")
    problem = only_problem(page)
    assert (problem.line, problem.field) == (5, "lede")
    assert problem.message.startswith("has 200,000 characters")


def test_credits_are_limited_in_number(tmp_path: Path) -> None:
    names = ", ".join(["张三"] * (models.MAX_CREDITS + 1))
    problem = only_problem(write_page(tmp_path, PAGE + f"credits:\n  editors: [{names}]\n"))
    assert (problem.line, problem.field) == (6, "credits.editors")


def test_the_schema_gives_the_limits() -> None:
    assert article_schema()["properties"]["headline"]["maxLength"] == models.MAX_HEADLINE_CHARS
    lede = page_schema()["properties"]["lede"]["anyOf"][0]
    assert lede["maxLength"] == models.MAX_LEDE_CHARS


@pytest.mark.parametrize(
    ("text", "index", "named"),
    [
        ("包头\U0001f600", 2, "U+1F600 GRINNING FACE is an emoji"),
        ("\U0001f1e8\U0001f1f3", 0, "U+1F1E8 REGIONAL INDICATOR SYMBOL LETTER C is an emoji"),
        ("点赞\u2764\ufe0f", 3, "U+FE0F VARIATION SELECTOR-16"),
        ("葛\U000e0101", 1, "U+E0101 VARIATION SELECTOR-18"),
        ("\U0001f468\u200d\U0001f469", 0, "U+1F468 MAN is an emoji"),
        ("a\u200db", 1, "U+200D ZERO WIDTH JOINER"),
        ("Cafe\u0301", 4, "U+0301 COMBINING ACUTE ACCENT is a combining mark"),
        ("1\u20e3", 1, "U+20E3 COMBINING ENCLOSING KEYCAP is a combining mark"),
        ("响\x07铃", 1, "U+0007 <control> is a control character"),
        ("下\x85行", 1, "U+0085 <control> is a control character"),
        ("\u231a表", 0, "U+231A WATCH is an emoji"),
    ],
)
def test_characters_the_paper_cannot_print_are_named(text: str, index: int, named: str) -> None:
    first, message, fix = refused_characters(text)[0]
    assert (first, message[: len(named)]) == (index, named)
    assert fix


@pytest.mark.parametrize(
    "text",
    [
        "\U00020000\U0002a6a5\U0002b740\U0002b820\U0002ceb0\U00030000\U00031350",  # Ext B–H
        "★☆☎✔①※〇〒♀♂→℃",  # symbols printed as text
        "“引号”，《书名》——破折号……省略号　全角空格",
        "制表\t符",
        "é e\u00e9",
    ],
)
def test_what_the_paper_prints_is_not_refused(text: str) -> None:
    assert refused_characters(text) == []


def test_a_combining_mark_that_makes_no_single_character_says_to_delete_it() -> None:
    [(_, _, fix)] = refused_characters("中\u0301")
    assert fix == "delete it, or write the letter and its accent as one character"


def test_unprintable_characters_in_the_body_are_named_at_their_lines(tmp_path: Path) -> None:
    body = "第一段。\n\n第二段\U0001f600，\n续行\u0301。\n\n再\U0001f600一次。\n"
    problems = problems_of(write_page(tmp_path, files={"01-story.md": STORY + "\n" + body}))
    assert [(p.line, p.field, p.message.split(" is ")[0]) for p in problems] == [
        (9, "body", "U+1F600 GRINNING FACE"),  # once per character, where it is first
        (10, "body", "U+0301 COMBINING ACUTE ACCENT"),
    ]


def test_unprintable_characters_in_yaml_fields_are_named_at_their_lines(tmp_path: Path) -> None:
    page = PAGE + 'section: "专\\a版"\nheadline:\n  title: 携手\U0001f91d并进\n'
    story = STORY.replace("---\n\n", "byline: 记者\u200d张三\n---\n\n")
    problems = problems_of(write_page(tmp_path, page, files={"01-story.md": story}))
    assert [(p.file.name, p.line, p.field) for p in problems] == [
        ("page.yaml", 5, "section"),
        ("page.yaml", 7, "headline.title"),
        ("01-story.md", 3, "byline"),
    ]
    named = ("U+0007 <control>", "U+1F91D HANDSHAKE", "U+200D ZERO WIDTH JOINER")
    assert all(p.message.startswith(name) for p, name in zip(problems, named, strict=True))


# --- Photos are measured as printed: turned by their EXIF orientation.


def write_turned_image(path: Path, orientation: int, size: tuple[int, int] = (40, 30)) -> Path:
    exif = PILImage.Exif()
    exif[0x0112] = orientation
    PILImage.new("RGB", size, (200, 120, 40)).save(path, exif=exif)
    return path


@pytest.mark.parametrize(
    ("name", "orientation", "size"),
    [
        *(("a.jpg", n, (40, 30)) for n in (1, 2, 3, 4)),
        *(("a.jpg", n, (30, 40)) for n in (5, 6, 7, 8)),  # a quarter turn
        ("a.png", 6, (30, 40)),
    ],
)
def test_a_photo_is_measured_after_its_exif_orientation(
    tmp_path: Path, name: str, orientation: int, size: tuple[int, int]
) -> None:
    page = write_page(tmp_path, files={"01-story.md": story_with_image(name)})
    write_turned_image(page / name, orientation)
    [image] = load_page(page).articles[0].images
    assert (image.width_px, image.height_px) == size


def test_the_cmyk_copy_of_a_turned_photo_is_upright(tmp_path: Path) -> None:
    data = write_turned_image(tmp_path / "a.jpg", 6).read_bytes()
    with PILImage.open(io.BytesIO(cmyk_photo(data))) as separated:
        assert separated.size == (30, 40)  # as WeasyPrint draws the RGB photo


@pytest.mark.slow
def test_a_turned_photo_is_cut_at_most_ten_percent_a_side(tmp_path: Path) -> None:
    page = tmp_path / "page"
    shutil.copytree(SEED, page)
    (page / "page.yaml").write_text(
        (page / "page.yaml").read_text(encoding="utf-8").replace("tabloid", "broadsheet"),
        encoding="utf-8",
    )
    write_turned_image(page / "photo.jpg", 6, (600, 480))  # printed 480 wide, 600 high
    story = page / "03-kejiju.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace("---\n", "---\nimages: [{file: photo.jpg}]\n", 1),
        encoding="utf-8",
    )
    result = build(page)
    grid = result.layout.grid
    [(module, placed)] = [(m, p) for m in result.layout.modules for p in m.images]
    with pdfplumber.open(io.BytesIO(result.pdf)) as pdf:
        [drawn] = pdf.pages[0].images
    width, height = drawn["x1"] - drawn["x0"], drawn["bottom"] - drawn["top"]
    assert width < height  # upright, as the photographer held the camera
    shown_width = grid.span_width(module.box.columns)
    shown_height = placed.rows * grid.line - grid.line / 3  # as the layout property test
    assert (width - shown_width) / 2 <= 0.1 * width + 0.5
    assert (height - shown_height) / 2 <= 0.1 * height + 0.5


# --- Sources linked from outside their directory.


def test_a_page_yaml_linked_from_outside_the_page_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text(PAGE + "# password: hunter2\n", encoding="utf-8")
    page = write_page(tmp_path / "page")
    (page / "page.yaml").unlink()
    (page / "page.yaml").symlink_to(tmp_path / "secret.yaml")
    problem = only_problem(page)
    assert (problem.file, problem.message) == (
        page / "page.yaml",
        "page.yaml links to a file outside the page directory",
    )


def test_a_page_yaml_linked_inside_the_page_is_read(tmp_path: Path) -> None:
    page = write_page(tmp_path / "page")
    (page / "page.yaml").rename(page / "v2.yaml")
    (page / "page.yaml").symlink_to("v2.yaml")
    assert load_page(page).number == 5


def test_an_edition_yaml_linked_from_outside_is_refused(tmp_path: Path) -> None:
    write_page(tmp_path / "edition" / "p05")
    (tmp_path / "other.yaml").write_text(
        "paper: 包头日报\ndate: 2024-03-26\npages: [p05]\n", encoding="utf-8"
    )
    (tmp_path / "edition" / "edition.yaml").symlink_to(tmp_path / "other.yaml")
    with pytest.raises(SourceError) as raised:
        load_edition(tmp_path / "edition")
    assert "edition.yaml links to a file outside the edition directory" in str(raised.value)


# --- YAML values and keys that are not what they look like, at their own lines.


@pytest.mark.parametrize(
    ("added", "line", "field", "message"),
    [
        ("section: !!bool maybe\n", 5, "section", "'maybe' cannot be read as `!!bool`"),
        ("credits:\n  editors: [甲, !!float x]\n", 6, "credits.editors[1]", "'x' cannot be read"),
        ("headline:\n  title: !!timestamp abc\n", 6, "headline.title", "'abc' cannot be read"),
    ],
)
def test_a_tag_that_cannot_make_its_value_is_located(
    tmp_path: Path, added: str, line: int, field: str, message: str
) -> None:
    problem = only_problem(write_page(tmp_path, PAGE + added))
    assert (problem.line, problem.field, problem.message[: len(message)]) == (line, field, message)


def test_a_tag_in_front_matter_is_located_at_its_file_line(tmp_path: Path) -> None:
    story = STORY.replace("---\n\n", "kicker: !!int 引题\n---\n\n")
    problem = only_problem(write_page(tmp_path, files={"01-story.md": story}))
    assert (problem.file.name, problem.line, problem.field) == ("01-story.md", 3, "kicker")
    assert problem.hint == "remove the `!!int` tag and write the value plainly"


@pytest.mark.parametrize(
    ("added", "line", "field", "message"),
    [
        ("~: 专版\n", 5, "~", "`~` is not a field name: YAML reads it as nothing"),
        ("null: 专版\n", 5, "null", "`null` is not a field name: YAML reads it as nothing"),
        ("5: 专版\n", 5, "5", "`5` is not a field name: YAML reads it as the number 5"),
        (
            "headline:\n  title: 标题\n  true: 副题\n",
            7,
            "headline.true",
            "`true` is not a field name: YAML reads it as yes/no (true)",
        ),
    ],
)
def test_a_key_that_is_not_text_is_named_as_written(
    tmp_path: Path, added: str, line: int, field: str, message: str
) -> None:
    problem = only_problem(write_page(tmp_path, PAGE + added))
    assert (problem.line, problem.field, problem.message) == (line, field, message)
