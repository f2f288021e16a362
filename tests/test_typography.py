"""Stress text through the whole chain: line breaker → WeasyPrint → PDF → typography report.

Hundreds of lines of generated copy (Han, punctuation sequences, Latin
words, numbers, nested quotes, 《》, ellipses, dashes, long transliterated
names) are set at every column width a newspaper uses, rendered by the
pinned WeasyPrint and measured from glyph positions with the same checker
the build runs. The figures the typography issue requires must hold.
"""

from __future__ import annotations

import random

import pytest

from layout.model.document import Span
from layout.typeset.linebreak import break_paragraph
from layout.verify.check import MAX_GAP_EM, Frame, measure_lines
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
