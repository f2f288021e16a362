"""Generated page directories: articles of chosen lengths, with photos, in the source format.

The copy is the seed page's sentences reshuffled, so it has real Chinese
punctuation, numbers and Latin; headlines and photos are varied by a seed.
Used by the layout property tests and the benchmark.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from layout.compose import compose_page
from layout.errors import FitError, OversetError, UnderfillError
from layout.sources.page import load_page
from layout.typeset.fonts import load_roles
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


def _photo(path: Path, aspect: tuple[int, int], rng: random.Random) -> None:
    width = 600
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
