"""A three-page tabloid edition with ads and a jump, written from generated copy.

Page 1 is a front page: the masthead with a 2-column ear ad (报眼) beside it,
a lead story that runs on to page 3 (下转第3版), and a full-width PDF ad at
the foot.  Page 2 is an ordinary inner page.  Page 3 carries the lead's rest
(上接第1版) and a 3-column ad at the foot.  The artwork is drawn by
tests/adart.py at its booked size (PNG ads at 300 dpi: the print plant's
separation makes them CMYK), so nothing binary is committed.

    python -m tests.ad_edition DIR     # write the edition into DIR
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from PIL import Image

from layout.sources.ads import booked_width_mm
from tests import adart
from tests.pagegen import Spec, copy, sentences, write_page

EAR = {"size": "{columns: 2}", "height_mm": 24.0, "client": "包头稀土高新区"}
BOTTOM = {"size": "通栏", "height_mm": 50.0, "client": "河套农商银行"}
INNER = {"size": "{columns: 3}", "height_mm": 60.0, "client": "鹿城书店"}
LEAD = "01-story.md"
JUMP_HEADLINE = "同城化项目提速"
# Each article its own headline, so the outline tells them apart.
HEADLINES = {
    "p1": ("呼包同城化迈出新步伐", "科技创新赋能产业升级", "人才互通 共建共享"),
    "p2": ("项目建设跑出加速度", "教育合作结硕果", "优化营商环境", "稳就业 保民生"),
    "p3": ("绿色发展绘就新画卷", "校企携手育英才"),
}
MASTHEAD = "masthead: {issue: 12345, cn: 15-0002, issn: 0317-8471}"


def write_edition(root: Path, *, jump: str = "3", seed: int = 7) -> Path:
    """The edition in `root` (edition.yaml and p1, p2, p3), the lead continuing on page
    `jump` (a number, or a page directory's name); return `root`."""
    root.mkdir(parents=True, exist_ok=True)
    front = write_page(
        root / "p1", [Spec(2600, 1), Spec(570), Spec(470)], seed=seed, lede=False, number=1
    )
    edit(front / "page.yaml", r"(?m)^headline: .*\n", MASTHEAD + "\n")  # the masthead heads it
    ear = adart.png_ad(front / "ear.png", *_pixels(2, EAR["height_mm"]))
    bottom = adart.pdf_ad(front / "bank.pdf", booked_width_mm("tabloid", 5), BOTTOM["height_mm"])
    _book(front, [(ear.name, EAR, "ear"), (bottom.name, BOTTOM, "bottom")])
    # no byline: the lead's body is all the body-size text in its module
    edit(
        front / LEAD,
        r"(?m)^byline: .*$",
        f"continues: {{page: {jump}}}\njump_headline: {JUMP_HEADLINE}",
    )
    write_page(
        root / "p2", [Spec(1300, 1), Spec(700), Spec(600), Spec(400)], seed=seed + 1, number=2
    )
    inner = write_page(root / "p3", [Spec(850, 1), Spec(420)], seed=seed + 2, number=3, lede=False)
    art = adart.png_ad(inner / "books.png", *_pixels(3, INNER["height_mm"]))
    _book(inner, [(art.name, INNER, "bottom")])
    _fillers(inner, seed)
    for page, headlines in HEADLINES.items():
        for index, headline in enumerate(headlines):
            edit(
                root / page / f"{index + 1:02d}-story.md",
                r"(?m)^headline: .*$",
                f"headline: {headline}",
            )
    for photo in root.glob("p*/*.jpg"):
        _sharpen(photo)
    (root / "edition.yaml").write_text(
        "paper: 包头日报\ndate: 2024-03-26\npages: [p1, p2, p3]\n", encoding="utf-8"
    )
    return root


def _sharpen(photo: Path) -> None:
    """A photo at print resolution: generated at 600 px, three columns need over 200 ppi."""
    with Image.open(photo) as image:
        image.resize((image.width * 3, image.height * 3)).save(photo, quality=80)


def _pixels(columns: int, height_mm: float) -> tuple[int, int]:
    """A raster ad's pixels at 300 dpi for its booked size."""
    width_mm = booked_width_mm("tabloid", columns)
    return round(width_mm / 25.4 * 300), round(height_mm / 25.4 * 300)


def _book(page: Path, ads: list[tuple[str, dict, str]]) -> None:
    lines = ["ads:"]
    for file, booking, at in ads:
        lines += [
            f"  - file: {file}",
            f"    size: {booking['size']}",
            f"    height_mm: {booking['height_mm']}",
            f"    at: {at}",
            f"    client: {booking['client']}",
        ]
    _add_lines(page / "page.yaml", lines)


def _fillers(page: Path, seed: int) -> None:
    """Two 补白 items for the holes the lead's rest may leave."""
    rng = random.Random(seed)
    pool = sentences()
    names = []
    for index, length in enumerate((160, 260)):
        name = f"brief{index + 1}.md"
        body = "\n\n".join(copy(length, rng, pool))
        (page / name).write_text(f"---\nheadline: 简讯\n---\n\n{body}\n", encoding="utf-8")
        names.append(name)
    _add_lines(page / "page.yaml", ["fillers: [" + ", ".join(names) + "]"])


def edit(path: Path, pattern: str, new: str) -> None:
    """Replace the first match of `pattern` in the file, which must have one."""
    text = path.read_text(encoding="utf-8")
    assert re.search(pattern, text), f"{pattern} not in {path}"
    path.write_text(re.sub(pattern, lambda _: new, text, count=1), encoding="utf-8")


def _add_lines(path: Path, lines: list[str]) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    print(write_edition(Path(sys.argv[1])))
