"""Generated page directories: articles of chosen lengths, with photos, in the source format.

The copy is the seed page's sentences reshuffled, so it has real Chinese
punctuation, numbers and Latin; headlines and photos are varied by a seed.
Used by the layout property tests and the benchmark.
"""

from __future__ import annotations

import functools
import json
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from layout.compose import compose_page
from layout.compose.sizes import credits_lines, measure_banner
from layout.errors import FitError, OversetError, UnderfillError
from layout.model.copy import CAPTION_ROLE, HEAD_ROLES, LEDE_ROLE
from layout.model.document import Article, Page
from layout.sources.page import load_page
from layout.typeset.fonts import load_roles
from layout.typeset.measure import Typesetter
from layout.typeset.normalise import normalise_page
from tests.conftest import SEED

HEADLINES = (
    "推动两市协同发展 打造区域合作新高地",
    "科技创新赋能产业升级",
    "人才互通 共建共享",
    "项目建设跑出加速度",
    "教育合作结硕果 校企携手育英才",
    "优化营商环境 激发市场活力",
    "绿色发展 绘就黄河流域新画卷",
    "稳就业 保民生 促增长",
)
ASPECTS = ((4, 3), (3, 2), (16, 9), (2, 3), (1, 1))


@dataclass(frozen=True)
class Spec:
    """One generated article: body length in characters and number of photos."""

    length: int
    photos: int = 0


def sentences() -> list[str]:
    """Every sentence of the seed articles' bodies."""
    found: list[str] = []
    for path in sorted(SEED.glob("0*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        text = re.sub(r"\s+", "", body)
        found += [s for s in re.findall(r"[^。!?！？]+[。!?！？]”?", text) if len(s) > 8]
    return found


def copy(length: int, rng: random.Random, pool: list[str]) -> list[str]:
    """About `length` characters in paragraphs of 60–250, ending on a full sentence."""
    paragraphs, current, total = [], "", 0
    while total < length:
        sentence = rng.choice(pool)
        if total + len(sentence) > length and total:
            sentence = sentence[: max(4, length - total - 1)].rstrip("，、,;；") + "。"
        current += sentence
        total += len(sentence)
        if len(current) > rng.randint(60, 250):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def write_page(
    directory: Path,
    specs: list[Spec],
    *,
    format: str = "tabloid",
    seed: int = 0,
    lede: bool = True,
    number: int = 5,
) -> Path:
    """Write page.yaml, one Markdown file per spec and their photos; return `directory`."""
    rng = random.Random(seed)
    pool = sentences()
    directory.mkdir(parents=True, exist_ok=True)
    names = [f"{n + 1:02d}-story.md" for n in range(len(specs))]
    yaml = [
        "paper: 包头日报",
        "date: 2024-03-26",
        f"page: {number}",
        f"format: {format}",
        "headline: {title: 携手并进 合力聚势共赢美好未来}",
        "articles: [" + ", ".join(names) + "]",
        "credits: {editors: [魏美丽, 蒋建波], designer: 马星岩}",
    ]
    if lede:
        yaml.append("lede: " + "".join(copy(120, rng, pool)))
    (directory / "page.yaml").write_text("\n".join(yaml) + "\n", encoding="utf-8")
    for index, (name, spec) in enumerate(zip(names, specs, strict=True)):
        front = [f"headline: {rng.choice(HEADLINES)}", "byline: 本报记者 张建芳"]
        if spec.photos:
            front.append("images:")
        for photo in range(spec.photos):
            file = f"{index + 1:02d}-{photo + 1}.jpg"
            _photo(directory / file, rng.choice(ASPECTS), rng)
            front.append(f"  - {{file: {file}, caption: 活动现场。, credit: 记者 张三 摄}}")
        body = "\n\n".join(copy(spec.length, rng, pool))
        (directory / name).write_text(
            "---\n" + "\n".join(front) + "\n---\n\n" + body + "\n", encoding="utf-8"
        )
    return directory


def _photo(path: Path, aspect: tuple[int, int], rng: random.Random, width: int = 600) -> None:
    height = width * aspect[1] // aspect[0]
    picture = Image.new("RGB", (width, height), (rng.randint(0, 255), 120, 160))
    draw = ImageDraw.Draw(picture)
    for x in range(0, width, 30):
        draw.rectangle([x, 0, x + 12, height], fill=(x * 255 // width, 90, 200))
    picture.save(path, quality=80)


def fitted(specs: list[Spec], *, format: str, seed: int, scratch: Path) -> list[Spec]:
    """`specs` with lengths scaled (by bisection on the composer's verdict) until the
    page fits, or the closest tried if it never does: what a copy editor's fitting does."""

    roles = load_roles()
    low, high = 0.1, 4.0
    scaled = specs
    for attempt in range(12):
        scale = (low * high) ** 0.5
        scaled = [Spec(max(100, int(s.length * scale)), s.photos) for s in specs]
        directory = write_page(scratch / f"fit-{attempt}", scaled, format=format, seed=seed)
        try:
            compose_page(normalise_page(load_page(directory)), roles)
        except OversetError:
            high = scale
        except UnderfillError:
            low = scale
        except FitError:
            break  # neither too long nor too short: length will not help
        else:
            return scaled
    return scaled


# Pages as a news desk sends them, for the fitting benchmark (tests/benchmark_fit.py):
# furniture drawn by a seed, body lengths cut to a chosen share of the page's room.

DESK_HEADLINES = (
    *HEADLINES,
    "城中“口袋公园”装下居民幸福感",
    "老旧小区改造惠及万余户居民",
    "“黄河几字弯”迎来春耕好时节",
    "冬季供暖保障有力有序",
    "市民文化节开幕",
)
KICKERS = ("聚焦高质量发展", "春耕时节访农家", "两会精神进基层", "一线观察")
SUBHEADS = ("我市今年计划实施重点项目120个", "全年新增就业岗位3.2万个", "首批20所学校开展试点")
BRIEF_HEADLINES = ("我市新增3处口袋公园", "图书馆延长开放时间", "春季义务植树活动启动")
MIN_LENGTH = 80  # characters: the shortest body an article is cut to


@dataclass(frozen=True)
class Story:
    """One article of a desk page: its share of the copy and its furniture."""

    weight: float  # relative body length
    photos: tuple[tuple[int, int], ...] = ()  # each photo's aspect, width to height
    kicker: str | None = None
    subhead: str | None = None
    pullquote: bool = False
    photo_columns: tuple[int, int] | None = None  # the editor's min and max width in columns


@dataclass(frozen=True)
class DeskPage:
    """A page as a news desk sends it, before its copy is cut to a length."""

    format: str
    stories: tuple[Story, ...]
    lede: bool
    seed: int


def desk_page(seed: int, format: str) -> DeskPage:
    """3–7 articles, 0–3 photos in all, a lede or not; kickers, subheads, pull quotes sometimes."""
    rng = random.Random(seed)
    count = rng.randint(3, 7)
    photos: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for _ in range(rng.randint(0, 3)):
        photos[rng.randrange(count)].append(rng.choice(ASPECTS))
    stories = []
    for index in range(count):
        weight = rng.uniform(1, 4) * (1.5 if index == 0 else 1)  # the lead runs longer
        kicker = rng.choice(KICKERS) if rng.random() < 0.25 else None
        subhead = rng.choice(SUBHEADS) if rng.random() < 0.25 else None
        quote = rng.random() < 1 / 3
        columns = (1, rng.randint(2, 3)) if photos[index] and rng.random() < 0.5 else None
        stories.append(Story(weight, tuple(photos[index]), kicker, subhead, quote, columns))
    return DeskPage(format, tuple(stories), rng.random() < 0.5, seed)


def write_desk_page(directory: Path, desk: DeskPage, lengths: list[int], *, plain: bool) -> Path:
    """Write `desk` with each article's body `lengths` characters long; return `directory`.

    Unless `plain`, the page also has what only the fitting levers use: a `fillers:`
    list (two briefs, a notice, a photo), `pullquote:` in front matter and the photos'
    `min_columns`/`max_columns`.  An article's copy depends only on the seed, its
    place and its length, so a shorter cut of it is the longer one's beginning.
    """
    rng = random.Random(desk.seed)
    pool = _pool()
    directory.mkdir(parents=True, exist_ok=True)
    names = [f"{n + 1:02d}-story.md" for n in range(len(desk.stories))]
    headlines = rng.sample(DESK_HEADLINES, len(desk.stories))
    yaml = [
        "paper: 包头日报",
        "date: 2024-03-26",
        "page: 5",
        f"format: {desk.format}",
        "headline: {title: 携手并进 合力聚势共赢美好未来}",
        "articles: [" + ", ".join(names) + "]",
        "credits: {editors: [魏美丽, 蒋建波], designer: 马星岩}",
    ]
    if desk.lede:
        yaml.append("lede: " + _quoted("".join(copy(120, rng, pool))))
    if not plain:
        yaml.append("fillers: [" + ", ".join(_write_fillers(directory, rng, pool)) + "]")
    (directory / "page.yaml").write_text("\n".join(yaml) + "\n", encoding="utf-8")
    for index, (name, story, length, headline) in enumerate(
        zip(names, desk.stories, lengths, headlines, strict=True)
    ):
        body = copy(length, random.Random(desk.seed * 100 + index), pool)
        front = [f"headline: {headline}", "byline: 本报记者 张建芳"]
        front += [f"{key}: {value}" for key, value in _furniture(story, body, plain)]
        if story.photos:
            front.append("images:")
        for number, aspect in enumerate(story.photos):
            file = f"{index + 1:02d}-{number + 1}.jpg"
            _photo(directory / file, aspect, rng)
            columns = story.photo_columns
            extra = "" if plain or columns is None else _columns(columns)
            front.append(f"  - {{file: {file}, caption: 活动现场。, credit: 记者 张三 摄{extra}}}")
        _write_article(directory / name, front, body)
    return directory


def _furniture(story: Story, body: list[str], plain: bool) -> list[tuple[str, str]]:
    fields = [("kicker", story.kicker), ("subhead", story.subhead)]
    quote = _quote(body) if story.pullquote and not plain else None
    fields.append(("pullquote", quote and _quoted(quote)))
    return [(key, value) for key, value in fields if value]


def _columns(columns: tuple[int, int]) -> str:
    return f", min_columns: {columns[0]}, max_columns: {columns[1]}"


def _quote(body: list[str]) -> str | None:
    """A sentence of the article to pull out: the first of 12–40 characters, if any."""
    found = (s for p in body for s in re.findall(r"[^。!?！？]+[。!?！？]”?", p))
    return next((s for s in found if 12 <= len(s) <= 40), None)


def _write_fillers(directory: Path, rng: random.Random, pool: list[str]) -> list[str]:
    """Four 补白 items: two briefs of 60–150 characters, a notice, a photo; their file names."""
    items = [
        ("f1-brief.md", [f"headline: {BRIEF_HEADLINES[0]}"], rng.randint(60, 150)),
        ("f2-brief.md", [f"headline: {rng.choice(BRIEF_HEADLINES[1:])}"], rng.randint(60, 150)),
        ("f3-notice.md", ["headline: 启事"], 80),
        ("f4-photo.md", ["headline: 春到青城", "images:"], 40),
    ]
    _photo(directory / "f4-photo.jpg", rng.choice(ASPECTS), rng)
    photo = "{file: f4-photo.jpg, caption: 市民在公园里踏青赏花。, credit: 记者 张三 摄}"
    items[3][1].append(f"  - {photo}")
    for name, front, length in items:
        short = [s for s in pool if len(s) < length]  # so that the first is not too long
        _write_article(directory / name, front, copy(length, rng, short))
    return [name for name, _, _ in items]


def _write_article(path: Path, front: list[str], body: list[str]) -> None:
    text = "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"
    path.write_text(text, encoding="utf-8")


def _quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON's form is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


@functools.cache
def _pool() -> list[str]:
    return sentences()


# Copy fill: the copy's area against the page's room, in column-lines, measured with the
# typesetter alone so that it does not move when the composer learns new ways to fit.
# The sizes are the usual ones (layout/compose/sizes.py), copied so that they stay fixed.
LEAD_HEADLINE_PT = (30.0, 28.0, 26.0, 24.0, 22.0, 20.0)
HEADLINE_PT = (24.0, 22.0, 20.0, 18.0, 16.0, 14.0)
DISPLAY = {"kicker": (11.0, 1.5), "subhead": (10.5, 1.5), "byline": (9.0, 1.6)}  # pt, leading
CAPTION = (8.5, 1.4)
LEDE = (11.0, 1.7)
FILL_TOLERANCE = 0.005  # of the capacity: how close to its target a page's fill is cut


@dataclass(frozen=True)
class Fill:
    """Each item's area and the page's room, in column-lines."""

    areas: dict[str, int]  # article file name, or "lede"
    capacity: int

    @property
    def share(self) -> float:
        return sum(self.areas.values()) / self.capacity


def page_fill(page: Page, ts: Typesetter) -> Fill:
    """The page's copy fill at `ts`'s grid (the format's usual body size).

    An article takes its body lines at the column measure, plus, across a
    reference module of a third of the columns, its headline block with a line
    of air, its photos uncropped with their captions, and a rule line; the lede
    takes its lines across the page.  The room is every column between banner
    and credits.
    """
    grid = ts.grid
    span = math.ceil(grid.columns / 3)
    areas = {
        article.file.name: _article_area(article, ts, span, lead=index == 0)
        for index, article in enumerate(page.articles)
    }
    if page.lede:
        areas["lede"] = grid.columns * _lede_rows(page.lede, ts)
    banner_rows = measure_banner(page, grid, ts)[1]
    credits = credits_lines(page.credits, ts)
    credit_rows = len(credits) + 1 if credits else 0
    return Fill(areas, grid.columns * (grid.rows - banner_rows - credit_rows))


def _rows(points: float, line: float) -> int:
    return math.ceil(points / line - 1e-6)


def _article_area(article: Article, ts: Typesetter, span: int, *, lead: bool) -> int:
    grid, width = ts.grid, ts.grid.span_width(span)
    # = len(ts.body(article.blocks)): lines are set paragraph by paragraph, and measuring
    # them one by one lets the bisection reuse every paragraph a cut leaves unchanged
    body = sum(len(ts.body((block,))) for block in article.blocks)
    sizes = LEAD_HEADLINE_PT if lead else HEADLINE_PT
    headings = [ts.heading(article.headline, HEAD_ROLES["headline"], sizes, width, leading=1.2)]
    for name, (size, leading) in DISPLAY.items():
        text = getattr(article, name)
        if text:
            headings.append(ts.heading(text, HEAD_ROLES[name], (size,), width, leading=leading))
    rows = _rows(sum(h.height for h in headings) + grid.line, grid.line)
    for image in article.images:
        rows += _rows(width * image.height_px / image.width_px, grid.line)
        text = " ".join(p for p in (image.caption, image.credit and f"（{image.credit}）") if p)
        if text:
            size, leading = CAPTION
            caption = ts.heading(text, CAPTION_ROLE, (size,), width, leading=leading, max_lines=3)
            rows += _rows(caption.height, grid.line)
    return body + span * (rows + 1)


def _lede_rows(lede: tuple[str, ...], ts: Typesetter) -> int:
    grid = ts.grid
    size, leading = LEDE
    width = grid.type_width - 2 * grid.em  # inside its ruled box
    lines = sum(len(ts.paragraph_lines(p, LEDE_ROLE, size, width)) for p in lede)
    return _rows(lines * size * leading, grid.line) + 1


def fit_to_fill(
    desk: DeskPage, target: float, scratch: Path, ts: Typesetter
) -> tuple[list[int], float]:
    """Body lengths in the desk's proportions that fill `target` of the page (within
    FILL_TOLERANCE), found by bisection on `page_fill` without composing; and the fill
    reached.  Where no length reaches it (photos and headlines alone overfill the
    page), the closest tried."""
    low, high = 0.02, 10.0  # characters per unit of weight, in hundreds
    best: tuple[float, list[int], float] = (math.inf, [], 0.0)
    for _ in range(24):
        scale = (low * high) ** 0.5
        lengths = [max(MIN_LENGTH, round(100 * s.weight * scale)) for s in desk.stories]
        directory = write_desk_page(scratch, desk, lengths, plain=True)
        share = page_fill(normalise_page(load_page(directory)), ts).share
        best = min(best, (abs(share - target), lengths, share))
        if abs(share - target) <= FILL_TOLERANCE:
            break
        low, high = (scale, high) if share < target else (low, scale)
    return best[1], best[2]
