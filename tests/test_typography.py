"""Stress text through the whole chain: line breaker → WeasyPrint → PDF → typography report.

Hundreds of lines of generated copy (Han, punctuation sequences, Latin
words, numbers, nested quotes, 《》, ellipses, dashes, long transliterated
names) are set at every column width a newspaper uses, rendered by the
pinned WeasyPrint and measured from glyph positions with the same checker
the build runs. The figures the typography issue requires must hold; and
headlines cut from the same copy, set across one to five columns, print
their display lines by the same line-start and line-end rules.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from layout.model.document import Span
from layout.render.html_to_pdf import render_pdf
from layout.typeset.linebreak import break_paragraph
from layout.typeset.measure import Heading, phrase_parts
from layout.typeset.units import OPENING
from layout.verify.check import (
    MAX_GAP_EM,
    NO_LINE_START,
    DisplayArea,
    Frame,
    measure_display,
    measure_lines,
)
from layout.verify.pdfread import read_glyphs
from tests.specimen import render_lines

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'

EM = 9.0
PITCH = 14.0
MEASURES = range(12, 21)  # characters: the column widths of Chinese newspapers

HAN = "呼和浩特包头市发展改革委员会科技人才协同创新工业经济稀土晶硅光伏新质生产力"
WORDS = ["iPhone 16", "5G", "AI", "GDP", "2024年", "30余家", "5.2%", "1+1>2", "COVID-19", "No.1"]
NAMES = ["阿卜杜勒·克里木", "玛丽·居里", "约翰·肯尼迪"]


def han(rng: random.Random, low: int = 2, high: int = 9) -> str:
    return "".join(rng.choice(HAN) for _ in range(rng.randint(low, high)))


def sentence(rng: random.Random) -> str:
    """One clause of copy, drawn from the shapes real reporting takes."""
    shapes = [
        lambda: han(rng) + "，",
        lambda: han(rng) + "。",
        lambda: han(rng) + "、" + han(rng, 1, 3) + "、",
        lambda: f"“{han(rng)}”",
        lambda: f"“{han(rng)}‘{han(rng, 2, 4)}’{han(rng, 1, 3)}。”",
        lambda: f"《{han(rng, 3, 7)}》",
        lambda: f"（{han(rng, 2, 6)}）",
        lambda: han(rng, 1, 4) + rng.choice(WORDS) + han(rng, 1, 4),
        lambda: han(rng) + "……",
        lambda: han(rng) + "——" + han(rng, 2, 5),
        lambda: rng.choice(NAMES) + "说：“" + han(rng) + "！”",
        lambda: han(rng) + "？”" + han(rng, 2, 4) + "。",
    ]
    return rng.choice(shapes)()


def paragraph(rng: random.Random) -> str:
    text = "".join(sentence(rng) for _ in range(rng.randint(4, 14)))
    return text.rstrip("，、") + "。"


@pytest.fixture(scope="module")
def stress(typesetter, roles):
    """Set and render the stress copy; return the frames and the PDF's glyphs."""
    rng = random.Random(20241126)
    em = typesetter.measure_for("body")
    frames: list[Frame] = []
    placed = []
    left = 20.0
    for measure in MEASURES:
        top = 20.0
        for number in range(12):
            label = f"{measure}-{number}"
            for line in break_paragraph((Span(paragraph(rng)),), measure, em, indent=2):
                frame = Frame(label, left, left + measure * EM, top, top + PITCH, EM,
                              line.indent, line.final, line.text)  # fmt: skip
                frames.append(frame)
                placed.append((left, top, line))
                top += PITCH
            top += PITCH
        left += measure * EM + 20
    glyphs = render_lines(placed, roles["body"], em=EM, pitch=PITCH)
    return frames, glyphs


def test_stress_copy_meets_every_figure(stress):
    frames, glyphs = stress
    figures, problems = measure_lines(glyphs, frames)
    total = sum(t.lines for t in figures.values())
    justified = sum(t.justified for t in figures.values())
    assert total >= 500 and justified >= 400  # hundreds of lines, not a handful
    assert "\n".join(str(p) for p in problems) == ""
    for label, t in figures.items():
        assert t.mismatched == 0, label
        assert t.flush == t.justified, label  # 100 % of non-final lines flush
        assert t.prohibited == 0, label
        assert t.split == 0, label
        assert t.orphans == 0, label
        assert t.spaces_added == 0, label
        assert t.widest_gap <= MAX_GAP_EM + 0.005, (label, t.widest_gap)


HEADLINE_SIZES = (30.0, 26.0, 22.0, 18.0, 14.0)  # pt: the range of compose/sizes.py


def headline(rng: random.Random) -> str:
    """A headline cut from generated copy: 6–30 characters, sometimes two phrases, as an
    editor would write it (starting with no closing mark, ending with no opening one)."""
    text = sentence(rng) + (" " if rng.random() < 0.3 else "") + sentence(rng)
    text = text[: rng.randint(6, 30)].strip()
    return text.lstrip("".join(NO_LINE_START)).rstrip("".join(OPENING)) or han(rng)


@pytest.fixture(scope="module")
def display_stress(typesetter, roles):
    """Headlines set at one to five tabloid columns (mostly one to three), drawn in the
    headline role a block a line as the page template does; their areas, and the glyphs."""
    rng = random.Random(20261202)
    role = roles["headline"]
    areas: list[DisplayArea] = []
    blocks = []
    left = 20.0
    for columns in (1, 1, 2, 2, 3, 5):  # mostly narrow, where headlines break
        width = typesetter.grid.span_width(columns)
        top = 20.0
        while top < 2800:
            heading = typesetter.heading(
                headline(rng), "headline", HEADLINE_SIZES, width, leading=1.2, max_lines=3
            )
            lines = tuple((line, "headline") for line in heading.lines)
            label = f"{columns}-{len(areas)}"
            areas.append(
                DisplayArea(label, left, left + width + 40, top, top + heading.height, lines)
            )
            blocks.append(_heading_html(heading, left, top))
            top += heading.height + 12
        left += width + 60
    html = (
        "<html><head><style>@page{size:3000pt 3000pt;margin:0}"
        f"body{{font-family:{role.css_families};font-weight:{role.weight}}}"
        ".h>div{white-space:pre}.phrase-gap{word-spacing:0.75em}</style></head>"
        f"<body>{''.join(blocks)}</body></html>"
    )
    return areas, read_glyphs(render_pdf(html, base=Path()).pdf)[1]


def _heading_html(heading: Heading, left: float, top: float) -> str:
    lines = "".join(
        "<div>"
        + "".join(
            '<span class="phrase-gap"> </span>' if gap else part for part, gap in phrase_parts(line)
        )
        + "</div>"
        for line in heading.lines
    )
    pitch = heading.size * heading.leading
    return (
        f'<div class="h" style="position:absolute;left:{left}pt;top:{top}pt;'
        f'font-size:{heading.size}pt;line-height:{pitch}pt">{lines}</div>'
    )


def test_stress_headlines_print_every_display_line_by_the_rules(display_stress):
    areas, glyphs = display_stress
    figures, problems = measure_display(glyphs, areas)
    assert "\n".join(str(p) for p in problems) == ""
    assert sum(t.display_lines for t in figures.values()) == sum(len(a.lines) for a in areas)
    assert sum(len(a.lines) > 1 for a in areas) >= 100  # many broken headlines, not a handful
    assert all(t.display_prohibited == 0 and t.mismatched == 0 for t in figures.values())
