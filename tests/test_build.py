"""End to end: build the seed page and read the PDF back, as a print professional would.

These tests measure the PDF with pdfplumber and pikepdf directly, not through
the build's own check stage, so a bug in the checker cannot hide a bad page.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.request

import pdfplumber
import pikepdf
import pytest

from layout.model.grid import MM
from layout.pipeline import build
from tests.conftest import ROOT, SEED
from tests.pagegen import Spec, fitted, write_page

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'

NO_LINE_START = set("，。、；：？！）》」』”’")
NO_LINE_END = set("（《「『“‘")


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    output = tmp_path_factory.mktemp("seed") / "page.pdf"
    result = build(SEED, output)
    with pdfplumber.open(output) as pdf:
        page = pdf.pages[0]
        chars = page.chars
        size = (page.width, page.height)
    return result, output, chars, size


def is_han(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and char.isalpha()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_page_is_tabloid_size(seed):
    _, _, _, (width, height) = seed
    assert abs(width / MM - 270) < 0.5
    assert abs(height / MM - 390) < 0.5


def test_every_font_is_embedded_as_a_subset(seed):
    _, output, _, _ = seed
    names = []
    with pikepdf.open(output) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            names.append(str(font.BaseFont))
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in names), names
    assert any("Serif-CJK-SC" in n for n in names) and any("WenKai" in n for n in names)


def test_every_paragraph_of_the_source_is_in_the_text_layer(seed):
    result, _, chars, _ = seed
    printed = squeeze("".join(c["text"] for c in chars))
    page = result.page
    pieces = [page.banner.title, *page.lede, *page.credits.lines]
    for article in page.articles:
        pieces += [article.headline, article.subhead]
        pieces += [block.text for block in article.blocks]
    for piece in pieces:
        assert squeeze(piece) in printed, piece[:30]


def test_source_text_reads_as_the_original_printed_page(seed):
    """Paragraphs split at column breaks are joined; half-width marks became full-width."""
    _, _, chars, _ = seed
    printed = squeeze("".join(c["text"] for c in chars))
    assert "包头市发改委党组书记" in printed
    assert "协同发展，共享创新，共筑未来。" in printed
    assert "包头：携手并进" in printed
    for kept in ("1+1>2", "2024年", "30余家"):
        assert kept in printed
    assert not re.search(r"[\u4e00-\u9fff][,:;][\u4e00-\u9fff]", printed)


def body_lines(result, chars):
    """The printed lines of each module's body columns, from glyph positions."""
    grid = result.layout.grid
    for module in result.layout.modules:
        for index in range(len(module.columns)):
            left = grid.x(module.box.column + index)
            right = left + grid.column_width
            top = grid.y(module.body_row)
            bottom = grid.y(module.box.row + module.box.rows)
            inside = [
                c
                for c in chars
                if left - 1 <= (c["x0"] + c["x1"]) / 2 <= right + 1 and top <= c["top"] < bottom
            ]
            rows: dict[float, list] = {}
            for c in inside:
                rows.setdefault(round(c["top"], 1), []).append(c)
            yield (
                module,
                left,
                right,
                # pdfplumber keeps the PDF's drawing order: reading order within a line
                [r for _, r in sorted(rows.items())],
            )


def test_body_lines_are_flush_on_both_edges_except_paragraph_ends(seed):
    result, _, chars, _ = seed
    em = result.layout.grid.em
    measured = flush = 0
    for module, left, right, lines in body_lines(result, chars):
        paragraph_ends = {
            row.line.text for column in module.columns for row in column if row.line.final
        }
        for line in lines:
            text = "".join(c["text"] for c in line)
            indent = 2 * em if abs(line[0]["x0"] - left - 2 * em) < 0.3 else 0.0
            assert abs(line[0]["x0"] - left - indent) < 0.3, text
            if text in paragraph_ends:
                continue
            measured += 1
            last = line[-1]
            # a closing mark at the end of a line is set half-width (its ink is in the left half)
            end = last["x0"] + em / 2 if last["text"] in NO_LINE_START else last["x1"]
            flush += abs(end - right) < 0.3
    assert measured > 150
    assert flush == measured


def test_no_line_starts_or_ends_with_a_prohibited_mark(seed):
    result, _, chars, _ = seed
    for _, _, _, lines in body_lines(result, chars):
        for line in lines:
            assert line[0]["text"] not in NO_LINE_START
            assert line[-1]["text"] not in NO_LINE_END


def test_body_text_layer_is_exactly_the_article_text(seed):
    """Copy-paste gives the article: no character added, dropped or moved, no spaces."""
    result, _, chars, _ = seed
    printed: dict[str, str] = {}
    for module, _, _, lines in body_lines(result, chars):
        slug = module.article.slug
        printed[slug] = printed.get(slug, "") + "".join(c["text"] for line in lines for c in line)
    for article in result.page.articles:
        assert printed[article.slug] == "".join(block.text for block in article.blocks)
        assert not re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", printed[article.slug])


def test_body_text_sits_on_the_line_grid(seed):
    result, _, chars, _ = seed
    grid = result.layout.grid
    offsets = set()
    for _, _, _, lines in body_lines(result, chars):
        offsets.update(round((line[0]["top"] - grid.top) % grid.line, 1) for line in lines)
        tops = [line[0]["top"] for line in lines]
        for a, b in itertools.pairwise(tops):
            assert b - a == pytest.approx(grid.line, abs=0.05)
    assert len(offsets) == 1, offsets  # every body line on the same baseline grid


def test_the_page_is_full(seed):
    """Every column's text runs down to within three lines of the foot of the type area."""
    result, _, chars, _ = seed
    grid = result.layout.grid
    credits = result.layout.credits
    foot = grid.y(credits.row if credits else grid.rows)
    for column in range(grid.columns):
        left = grid.x(column)
        bottoms = [
            c["bottom"]
            for c in chars
            if left <= (c["x0"] + c["x1"]) / 2 <= left + grid.column_width and c["bottom"] < foot
        ]
        assert foot - max(bottoms) < 3 * grid.line + 1, column


def test_build_is_reproducible(seed, tmp_path):
    _, output, _, _ = seed
    again = tmp_path / "again.pdf"
    build(SEED, again)
    assert again.read_bytes() == output.read_bytes()


def test_pdf_metadata(seed):
    _, output, _, _ = seed
    with pikepdf.open(output) as pdf:
        title = str(pdf.docinfo["/Title"])
    assert "包头日报" in title and "第5版" in title


def test_report_measures_the_page(seed):
    result, _, _, _ = seed
    report = result.report
    total = report.total
    assert total.lines > 150
    assert total.flush == total.justified
    assert total.failures() == []
    assert set(report.typography) == {a.file.name for a in result.page.articles}
    assert not report.problems
    assert len(io.BytesIO(result.pdf).getvalue()) > 10_000


# --- a page written to the format, unlike the seed: photos, crossheads, bold, Latin ----------

COPY = (
    "春节临近,社区里的年味越来越浓。居民们忙着贴春联、挂灯笼,孩子们在广场上放烟花(安全燃放区)。"
    '据统计,今年社区共组织了12场文艺演出,覆盖居民3000余人,同比增长15.6%。"我们希望每一位居民'
    '都能感受到家的温暖。"社区党委书记王芳说...志愿者们还为独居老人送去了饺子和春联--这是社区'
    "坚持了10年的传统。"
)


def write_mixed_page(directory):
    from PIL import Image, ImageDraw

    directory.mkdir()
    picture = Image.new("RGB", (900, 600), "white")
    draw = ImageDraw.Draw(picture)
    for x in range(0, 900, 40):
        draw.rectangle([x, 0, x + 20, 600], fill=(x // 4, 120, 200 - x // 6))
    picture.save(directory / "photo1.jpg", quality=85)
    picture.save(directory / "photo2.png")
    (directory / "page.yaml").write_text(
        "paper: 测试日报\ndate: 2025-01-06\npage: 3\nsection: 综合新闻\nformat: tabloid\n"
        'headline:\n  kicker: 新春走基层\n  title: 万家灯火里的"年味"\n'
        "  subtitle: 记者蹲点社区、工厂、车站见闻\n"
        "articles: [a.md, b.md, c.md, d.md]\ncredits:\n  editors: [张三]\n  designer: 李四\n",
        encoding="utf-8",
    )
    articles = {
        "a.md": ("万家灯火 温暖回家路", "photo1.jpg", 3),
        "b.md": ('工厂里的"不打烊" 订单排到三月', None, 4),
        "c.md": ("iPhone 16 以旧换新 带动消费 5G 手机销量增长", "photo2.png", 2),
        "d.md": ("社区年夜饭 邻里一家亲", None, 3),
    }
    for name, (headline, photo, count) in articles.items():
        front = f"---\nheadline: '{headline}'\nsubhead: ——走访幸福里社区\nbyline: 本报记者 赵六\n"
        if photo:
            front += (
                f"images:\n  - {{file: {photo}, caption: 旅客在候车大厅有序候车。, "
                "credit: 本报记者 摄}\n"
            )
        paragraphs = [COPY[i * 7 :] + COPY[: i * 7] for i in range(count)]
        paragraphs[1] = "**重点：**" + paragraphs[1]
        paragraphs.insert(1, "### 小标题：年味在哪里")
        if name == "b.md":  # markup and template syntax are text, printed as typed
            paragraphs.append("读者来信：<b>粗体</b>与{{ page }}照印。")
        (directory / name).write_text(front + "---\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")


def test_a_page_unlike_the_seed_builds_and_passes_its_checks(tmp_path):
    write_mixed_page(tmp_path / "mixed")
    output = tmp_path / "mixed.pdf"
    result = build(tmp_path / "mixed", output)
    total = result.report.total
    assert total.flush == total.justified > 50
    assert total.failures() == []
    with pikepdf.open(output) as pdf:
        images = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
        ]
        assert len(images) == 2
    with pdfplumber.open(output) as pdf:
        text = squeeze("".join(c["text"] for c in pdf.pages[0].chars))
    assert "万家灯火里的“年味”" in text  # straight quotes set as Chinese quotes
    assert "iPhone16以旧换新" in text
    assert "小标题：年味在哪里" in text
    assert "<b>粗体</b>与{{page}}照印。" in text
    for module in result.layout.modules:
        for column in module.columns[:-1]:
            assert column[-1].style != "crosshead"  # a crosshead never ends a column


def test_a_page_short_of_copy_is_set_in_the_larger_body_and_passes(tmp_path):
    """Three of the five interviews leave 9 pt underfilled: the page is set in 五号 10.5 pt."""
    page = tmp_path / "three"
    shutil.copytree(SEED, page)
    text = (page / "page.yaml").read_text(encoding="utf-8")
    text = text.replace("  - 04-renshiju.md\n", "").replace("  - 05-jiaoyuju.md\n", "")
    (page / "page.yaml").write_text(text, encoding="utf-8")
    result = build(page, tmp_path / "three.pdf")
    grid = result.layout.grid
    assert (grid.em, grid.chars) == (10.5, 12)
    assert grid.column_width == build(SEED).layout.grid.column_width  # same columns
    assert result.report.total.failures() == []
    modules = sorted(result.layout.modules, key=lambda m: m.box.row)
    assert result.layout.lede.box.row < modules[0].box.row  # the lede stays under the banner


@pytest.fixture(scope="module")
def photo_page(tmp_path_factory):
    """A page directory with photos, inside an edition directory: (the edition, the page)."""
    scratch = tmp_path_factory.mktemp("relative")
    specs = fitted(
        [Spec(900, 1), Spec(700), Spec(800, 1)], format="tabloid", seed=3, scratch=scratch
    )
    edition = scratch / "edition"
    write_page(edition / "p05", specs, seed=3)
    (edition / "edition.yaml").write_text(
        "paper: 包头日报\ndate: 2024-03-26\npages: [p05]\n", encoding="utf-8"
    )
    return edition, edition / "p05"


def _build_from(cwd, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line run from `cwd`, so relative paths are relative to it."""
    command = [sys.executable, str(ROOT / "build_pdf.py"), *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def test_a_page_with_photos_given_by_a_relative_path_builds(photo_page):
    """Photos are drawn from file: URLs, which must be absolute whatever path the user gave."""
    edition, _ = photo_page
    result = _build_from(edition, "p05", "-o", "p05.pdf")
    assert result.returncode == 0, result.stderr
    with pikepdf.open(edition / "p05.pdf") as pdf:
        images = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
        ]
        assert len(images) == 2


def test_an_edition_given_by_a_relative_path_builds_its_pages_with_photos(photo_page):
    edition, _ = photo_page
    result = _build_from(edition.parent, edition.name, "-o", "out")
    assert result.returncode == 0, result.stderr
    assert (edition.parent / "out" / "edition.pdf").is_file()


def test_serve_starts_for_a_relative_page_directory_with_photos(photo_page):
    """The live proof builds the page at start-up: it must not fail on the photos' URLs."""
    edition, _ = photo_page
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, str(ROOT / "build_pdf.py"), "serve", "p05", "--port", str(port)]
    server = subprocess.Popen(command, cwd=edition, stderr=subprocess.PIPE, text=True)
    try:
        pages = _pages_served(server, port)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
        err = server.stderr.read()
        server.stderr.close()
    assert pages is not None, err
    assert [(page["error"], page["pdf"] is not None) for page in pages] == [(None, True)]


def _pages_served(server: subprocess.Popen, port: int) -> list[dict] | None:
    """`/api/pages` once the server answers, or None if it exits first."""
    deadline = time.monotonic() + 60
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/pages", timeout=10) as reply:
                return json.loads(reply.read())
        except OSError:
            time.sleep(0.2)
    return None


def test_credits_of_several_lines_print_under_the_articles_on_their_own_lines(tmp_path):
    """Ten credits of seven names are five lines: reserved at the foot, never over the text."""
    page = tmp_path / "credits"
    shutil.copytree(SEED, page)
    staff = (
        "张建芳",
        "张婷婷",
        "郭健",
        "孟婧美",
        "赵遐",
        "魏美丽",
        "蒋建波",
        "吴琼",
        "马慧茹",
        "李明",
    )
    names = [f"第{n + 1}组 " + " ".join(staff[(n + i) % 10] for i in range(7)) for n in range(10)]
    text = (page / "page.yaml").read_text(encoding="utf-8")
    text = re.sub(r"  lines: \[.*\]", "  lines: [" + ", ".join(names) + "]", text)
    (page / "page.yaml").write_text(text, encoding="utf-8")
    article = page / "05-jiaoyuju.md"  # a paragraph shorter, so the page fits above them
    body = article.read_text(encoding="utf-8")
    article.write_text(body[: body.rindex("\n\n")] + "\n", encoding="utf-8")
    result = build(page, tmp_path / "credits.pdf")
    grid, credits = result.layout.grid, result.layout.credits
    top = grid.y(credits.row)
    with pdfplumber.open(tmp_path / "credits.pdf") as pdf:
        chars = pdf.pages[0].chars
    below = [c for c in chars if c["top"] > top]
    assert max(c["bottom"] for c in chars if c["top"] < top) < top
    feet = sorted({round(c["bottom"], 2) for c in below})
    assert len(feet) == len(result.layout.credit_lines) == credits.rows - 1 > 2
    assert [round(grid.y(grid.rows) - f, 2) for f in feet] == [
        round(grid.line * n, 2) for n in reversed(range(len(feet)))
    ]
    assert squeeze("".join(c["text"] for c in below)).startswith(squeeze("".join(names)))
