"""A tabloid page with every piece of a Chinese page's furniture once, from generated copy.

The lead runs under a column logo (栏目头 「今日关注」) with an editor's note
(编者按); a short story stands beside a vertical headline (竖排标题) with
vertical punctuation and a two-digit number (縦中横); a sidebar sits in a
shaded box (花边); a photo story (图片新闻) leads with its photo.  Fillers
take what holes are left.  The photos are drawn here, so nothing binary is
committed.

    python -m tests.furniture_page DIR                # write the page into DIR
    python -m tests.furniture_page DIR --gallery PNG  # ... build it, and draw the gallery
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

from PIL import Image

from layout.output.preview import png_bytes
from layout.pipeline import build
from tests.pagegen import _photo, copy, sentences

VERTICAL_HEADLINE = "城中“口袋公园”，装下居民24小时幸福感"
LOGO = "今日关注"
NOTE = "呼包同城化进入快车道。本报今起推出系列报道，记录两地协同发展的新进展、新变化。"
BOX = "shaded"
# file: (front matter, body length in characters)
ARTICLES = {
    "01-lead.md": (
        [
            "headline: 推动两市协同发展 打造区域合作新高地",
            f"column_logo: {LOGO}",
            f"note: {NOTE}",
            "byline: 本报记者 张建芳",
        ],
        1900,
    ),
    "02-vertical.md": (
        [f"headline: {VERTICAL_HEADLINE}", "headline_vertical: true", "byline: 本报记者 王宏"],
        640,
    ),
    "03-boxed.md": (
        ["headline: 人才互通 共建共享", f"box: {BOX}", "byline: 本报记者 刘畅"],
        520,
    ),
    "04-photo.md": (
        [
            "headline: 春日校园 书声琅琅",
            "kind: photo-story",
            "images:",
            "  - {file: 04-photo.jpg, caption: 学生们在晨读。, credit: 记者 张三 摄}",
        ],
        120,
    ),
}
FILLERS = {"f1.md": 120, "f2.md": 90, "f3.md": 60}


def write_furniture_page(directory: Path, *, seed: int = 3) -> Path:
    """Write the page into `directory`; return it."""
    rng = random.Random(seed)
    pool = sentences()
    directory.mkdir(parents=True, exist_ok=True)
    page = [
        "paper: 包头日报",
        "date: 2024-03-26",
        "page: 6",
        "format: tabloid",
        "section: 城市",
        "articles: [" + ", ".join(ARTICLES) + "]",
        "fillers: [" + ", ".join(FILLERS) + "]",
        "credits: {editors: [魏美丽], designer: 马星岩}",
    ]
    (directory / "page.yaml").write_text("\n".join(page) + "\n", encoding="utf-8")
    _photo(directory / "04-photo.jpg", (3, 2), rng, width=1500)  # 300 ppi across 2 columns
    for name, (front, length) in ARTICLES.items():
        _article(directory / name, front, copy(length, rng, pool))
    for index, (name, length) in enumerate(FILLERS.items(), start=1):
        _article(directory / name, [f"headline: 简讯{index}"], copy(length, rng, pool))
    return directory


def _article(path: Path, front: list[str], body: list[str]) -> None:
    text = "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"
    path.write_text(text, encoding="utf-8")


GALLERY_DPI = 120
GAP = 24  # px between the gallery's panels


def gallery(directory: Path, png: Path) -> None:
    """The README's picture: the page built, and each module with furniture cut out of it
    at GALLERY_DPI, two a row in the order composed: logo and note, box; vertical
    headline, photo story (the top of a long module only)."""
    built = build(directory, directory.parent / f"{directory.name}.pdf")
    page = Image.open(io.BytesIO(png_bytes(built.pdf, dpi=GALLERY_DPI)))
    scale, grid = GALLERY_DPI / 72, built.layout.grid
    panels = []
    for module in built.layout.modules:
        box = module.box
        left, top = grid.x(box.column) - grid.gutter, grid.y(box.row) - grid.line
        right = grid.x(box.column) + grid.span_width(box.columns) + grid.gutter
        bottom = grid.y(box.row + min(box.rows, 28)) + grid.line
        panels.append(page.crop(tuple(round(v * scale) for v in (left, top, right, bottom))))
    rows = [panels[index : index + 2] for index in range(0, len(panels), 2)]
    width = max(sum(p.width for p in row) + GAP * (len(row) - 1) for row in rows)
    heights = [max(p.height for p in row) for row in rows]
    sheet = Image.new("RGB", (width, sum(heights) + GAP * (len(rows) - 1)), "white")
    y = 0
    for row, height in zip(rows, heights, strict=True):
        x = 0
        for panel in row:
            sheet.paste(panel, (x, y))
            x += panel.width + GAP
        y += height + GAP
    sheet.save(png, optimize=True)


if __name__ == "__main__":
    written = write_furniture_page(Path(sys.argv[1]))
    if sys.argv[2:3] == ["--gallery"]:
        gallery(written, Path(sys.argv[3]))
    print(written)
