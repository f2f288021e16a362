"""Fillers (补白) and `format: auto` as sources: loaded, located, counted as the page's files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image as PILImage

from layout.errors import SourceError
from layout.model.copy import page_copy
from layout.options import DEFAULT
from layout.output.archive import attachments
from layout.output.paths import file_refusal, page_sources
from layout.production.cache import page_key
from layout.sources import models
from layout.sources.edition import load_edition
from layout.sources.layout_file import load_layout
from layout.sources.page import load_page
from tests.conftest import SEED
from tests.test_sources import only_problem, problems_of

PAGE = """\
paper: 包头日报
date: 2024-03-26
page: 5
articles: [01-story.md]
fillers: [fillers/brief.md, notice.md]
"""

STORY = """\
---
headline: 项目建设提速
---

今年以来，全市重点项目加快推进。
"""

BRIEF = """\
---
headline: 读者来信
byline: 读者 王五
images:
  - file: fillers/letter.jpg
    caption: 来信
---

感谢贵报对本市科技创新的报道。

> 科技创新惠及每一位市民
"""

NOTICE = "---\nheadline: 更正\n---\n\n本报昨日第三版一处日期有误，特此更正。\n"


def write_page(root: Path, page: str = PAGE, files: dict[str, str] | None = None) -> Path:
    """A page with one article and two fillers, one of them with a photo, in `fillers/`."""
    (root / "fillers").mkdir(parents=True)
    (root / "page.yaml").write_text(page, encoding="utf-8")
    given = {"01-story.md": STORY, "fillers/brief.md": BRIEF, "notice.md": NOTICE}
    for name, text in {**given, **(files or {})}.items():
        (root / name).write_text(text, encoding="utf-8")
    PILImage.new("RGB", (40, 30), (200, 120, 40)).save(root / "fillers" / "letter.jpg", "JPEG")
    return root


# --- Fillers load as articles, kept apart from the page's articles.


def test_fillers_load_as_articles_of_their_own(tmp_path: Path) -> None:
    page = load_page(write_page(tmp_path))
    assert [a.file for a in page.articles] == [tmp_path / "01-story.md"]
    brief, notice = page.fillers
    assert (brief.file, brief.slug, brief.headline, brief.byline) == (
        tmp_path / "fillers" / "brief.md",
        "brief",
        "读者来信",
        "读者 王五",
    )
    [photo] = brief.images
    assert (photo.path, photo.caption) == (tmp_path / "fillers" / "letter.jpg", "来信")
    assert [b.text for b in brief.blocks] == [
        "感谢贵报对本市科技创新的报道。",
        "科技创新惠及每一位市民",
    ]
    assert brief.pullquotes == ("科技创新惠及每一位市民",)
    assert (notice.headline, notice.slot) == ("更正", None)


def test_a_page_without_fillers_has_none(tmp_path: Path) -> None:
    page = load_page(
        write_page(tmp_path, PAGE.replace("fillers: [fillers/brief.md, notice.md]\n", ""))
    )
    assert page.fillers == ()


def test_filler_copy_is_walked_but_need_not_print(tmp_path: Path) -> None:
    walked = [c for c in page_copy(load_page(write_page(tmp_path))) if c.file.name == "brief.md"]
    assert {c.text for c in walked} >= {"读者来信", "来信", "科技创新惠及每一位市民"}
    assert not any(c.display for c in walked)


@pytest.mark.parametrize(
    ("fillers", "field", "message", "hint"),
    [
        (
            "[notice.md, ./notice.md]",
            "fillers[1]",
            "./notice.md is listed twice",
            "remove this entry; the filler is already fillers[0]",
        ),
        (
            "[01-story.md]",
            "fillers[0]",
            "01-story.md is an article of the page (`articles[0]`) and a filler",
            "list it once: as articles[0] it is always printed, as a filler only to fill a hole",
        ),
        (
            "[../outside.md]",
            "fillers[0]",
            "../outside.md is outside the page directory",
            "without `..`",
        ),
        ("[fillers/brif.md]", "fillers[0]", "fillers/brif.md not found", "`brief.md`"),
        ("[fillers]", "fillers[0]", "fillers is not a file", "name a file"),
        ("[7]", "fillers[0]", "expected text, got", "write each filler as a file name"),
        ("notice.md", "fillers", "expected a list", "`fillers: [fillers/brief1.md]`"),
    ],
    ids=["twice", "also-an-article", "outside", "missing", "directory", "number", "not-a-list"],
)
def test_a_filler_entry_that_cannot_be_is_located_in_page_yaml(
    tmp_path: Path, fillers: str, field: str, message: str, hint: str
) -> None:
    page = PAGE.replace("[fillers/brief.md, notice.md]", fillers)
    problem = only_problem(write_page(tmp_path, page))
    assert (problem.file.name, problem.line, problem.field) == ("page.yaml", 5, field)
    assert message in problem.message
    assert problem.hint is not None and hint in problem.hint


def test_a_filler_that_is_also_an_article_is_refused_whichever_list_names_it_first(
    tmp_path: Path,
) -> None:
    page = PAGE.replace("[01-story.md]", "[01-story.md, notice.md]")
    problem = only_problem(write_page(tmp_path, page))
    assert (problem.line, problem.field) == (5, "fillers[1]")
    assert "(`articles[1]`) and a filler" in problem.message


@pytest.mark.parametrize(
    ("articles", "fillers", "field", "message"),
    [
        ("[01-story.md]", "[fillers/01-story.md]", "fillers[0]", "same name as 01-story.md"),
        ("[01-story.md]", "[notice.md, fillers/notice.md]", "fillers[1]", "same name as notice.md"),
        ("[01-story.md, fillers/01-story.md]", "[]", "articles[1]", "same name as 01-story.md"),
    ],
)
def test_two_files_of_one_name_are_refused(
    tmp_path: Path, articles: str, fillers: str, field: str, message: str
) -> None:
    """Articles are told apart by file name (ids, the layout file): one of two is never lost."""
    page = PAGE.replace("[01-story.md]", articles).replace("[fillers/brief.md, notice.md]", fillers)
    files = {"fillers/01-story.md": STORY, "fillers/notice.md": NOTICE}
    problem = only_problem(write_page(tmp_path, page, files))
    assert problem.field == field
    assert message in problem.message
    assert problem.hint is not None and "rename one of the files" in problem.hint


def test_problems_inside_a_filler_are_located_in_its_file(tmp_path: Path) -> None:
    broken = "---\nbyline: 读者\nslot: {column: 1, columns: 2, line: 3, lines: 9}\n---\n\n> "
    broken += "长" * (models.MAX_PULLQUOTE_CHARS + 1) + "\n"
    problems = problems_of(write_page(tmp_path, files={"notice.md": broken}))
    assert [(p.file.name, p.line, p.field) for p in problems] == [
        ("notice.md", 2, "headline"),  # where the front matter begins
        ("notice.md", 6, "body"),
    ]
    assert "pull quote is at most" in problems[1].message


def test_a_filler_is_not_pinned(tmp_path: Path) -> None:
    pinned = NOTICE.replace("---\n\n", "slot: {column: 1, columns: 2, line: 3, lines: 9}\n---\n\n")
    problem = only_problem(write_page(tmp_path, files={"notice.md": pinned}))
    assert (problem.file.name, problem.line, problem.field) == ("notice.md", 3, "slot")
    assert problem.hint == "remove `slot:`, or list the file under `articles:` to place it"


def test_fillers_are_limited_in_number(tmp_path: Path) -> None:
    many = ", ".join(f"f{n}.md" for n in range(models.MAX_FILLERS + 1))
    problem = only_problem(write_page(tmp_path, PAGE.replace("fillers/brief.md, notice.md", many)))
    assert (problem.field, problem.line) == ("fillers", 5)
    assert f"at most {models.MAX_FILLERS}" in problem.message


# --- A filler's files are sources wherever the page's sources are counted.


def test_a_filler_and_its_photo_are_sources_no_output_may_replace(tmp_path: Path) -> None:
    page = write_page(tmp_path / "page")
    sources = page_sources(page)
    filler, photo = page / "fillers" / "brief.md", page / "fillers" / "letter.jpg"
    assert {filler, photo, page / "notice.md"} <= sources
    assert "is a source the build reads" in str(file_refusal({"-o": photo}, sources))
    assert "is a source the build reads" in str(file_refusal({"--png": filler}, sources))


@pytest.mark.parametrize("changed", ["fillers/brief.md", "fillers/letter.jpg", "notice.md"])
def test_a_changed_filler_changes_the_cache_key(tmp_path: Path, changed: str) -> None:
    page = write_page(tmp_path / "page")
    key = page_key(page, DEFAULT.cache_key())
    assert key is not None
    path = page / changed
    if path.suffix == ".jpg":
        PILImage.new("RGB", (40, 30), (10, 20, 30)).save(path, "JPEG")
    else:
        path.write_text(path.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    assert page_key(page, DEFAULT.cache_key()) != key


def test_fillers_travel_in_the_archive_with_the_page(tmp_path: Path) -> None:
    page = load_page(write_page(tmp_path))
    files = {a.name: a.description for a in attachments(page)}
    assert files == {
        "page.yaml": files["page.yaml"],
        "01-story.md": "项目建设提速",
        "fillers/brief.md": "读者来信",
        "fillers/letter.jpg": "来信",
        "notice.md": "更正",
    }


# --- `format: auto`: the composer picks; a layout file records what it picked.

AUTO = PAGE.replace("page: 5\n", "page: 5\nformat: auto\n")


def test_auto_is_a_format_and_broadsheet_stays_the_default(tmp_path: Path) -> None:
    assert load_page(write_page(tmp_path / "auto", AUTO)).format == "auto"
    assert load_page(write_page(tmp_path / "none")).format == "broadsheet"


def test_an_edition_takes_a_page_of_format_auto_with_fillers(tmp_path: Path) -> None:
    write_page(tmp_path / "p05", AUTO)
    edition = "paper: 包头日报\ndate: 2024-03-26\npages: [p05]\n"
    (tmp_path / "edition.yaml").write_text(edition, encoding="utf-8")
    assert load_edition(tmp_path).pages == (tmp_path / "p05",)


def write_layout(path: Path, format: str, modules: str = "{}") -> Path:
    path.write_text(f"format: {format}\nbody: 9\nmodules: {modules}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("format", ["tabloid", "broadsheet"])
def test_a_layout_file_gives_an_auto_page_its_format(tmp_path: Path, format: str) -> None:
    page = load_page(write_page(tmp_path / "page", AUTO))
    assert load_layout(write_layout(tmp_path / "layout.yaml", format), page).format == format


def test_a_layout_file_may_not_say_auto(tmp_path: Path) -> None:
    page = load_page(write_page(tmp_path / "page", AUTO))
    with pytest.raises(SourceError) as raised:
        load_layout(write_layout(tmp_path / "layout.yaml", "auto"), page)
    [problem] = raised.value.problems
    assert (problem.line, problem.field) == (1, "format")
    assert "must be 'broadsheet' or 'tabloid'" in problem.message


def test_a_layout_file_pins_a_filler_it_placed(tmp_path: Path) -> None:
    page = load_page(write_page(tmp_path / "page", AUTO))
    slot = "{column: 1, columns: 2, line: 30, lines: 8}"
    laid = load_layout(
        write_layout(tmp_path / "layout.yaml", "tabloid", f"{{notice.md: {slot}}}"), page
    )
    notice = laid.fillers[1]
    assert notice.slot is not None
    assert (notice.slot.column, notice.slot.columns, notice.slot.line, notice.slot.lines) == (
        1,
        2,
        30,
        8,
    )
    assert laid.fillers[0].slot is None and laid.articles[0].slot is None


def test_the_seed_page_is_untouched_by_the_new_fields(tmp_path: Path) -> None:
    page = load_page(shutil.copytree(SEED, tmp_path / "seed"))
    assert (page.format, page.fillers) == ("tabloid", ())
    assert all(a.pullquotes == () for a in page.articles)
    assert all(i.min_columns is None is i.max_columns for a in page.articles for i in a.images)
