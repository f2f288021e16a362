"""Matrices and rectangles as a content stream gives them, in points.

A matrix is (a, b, c, d, e, f) in PDF's row-vector convention: a point
(x, y) goes to (a x + c y + e, b x + d y + f).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Matrix = tuple[float, float, float, float, float, float]
Rect = tuple[float, float, float, float]  # x, y, width, height as `re` takes them
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
EPSILON = 1e-6  # pt: rounding in the content stream's numbers


def times(m: Matrix, n: Matrix) -> Matrix:
    """m then n: the matrix that applies m first (as `m cm` does to a CTM n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def as_matrix(values: Iterable) -> Matrix | None:
    numbers = as_numbers(values)
    return tuple(numbers) if len(numbers) == 6 else None  # type: ignore[return-value]


def x_scale(m: Matrix) -> float:
    return math.hypot(m[0], m[1])


def y_scale(m: Matrix) -> float:
    return math.hypot(m[2], m[3])


def min_scale(m: Matrix) -> float:
    """The smallest singular value: how thin a line of width 1 can come out."""
    a, b, c, d = m[:4]
    total = a * a + b * b + c * c + d * d
    det = abs(a * d - b * c)
    largest = math.sqrt((total + math.sqrt(max(total * total - 4 * det * det, 0.0))) / 2)
    return det / largest if largest else 0.0


def as_numbers(values: Iterable) -> list[float]:
    """The operands that are numbers: a malformed stream's others are skipped, not fatal."""
    out = []
    for value in values:
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            continue
    return out


def bands(rects: Sequence[Rect], *, even_odd: bool) -> tuple[list[float], list[float], bool]:
    """The painted thicknesses across horizontal and vertical edges of filled rectangles.

    Two nested rectangles filled even-odd (or wound in opposite directions)
    paint the frame between them: its four sides; any other rectangles are
    taken one by one.  Returns (heights, widths, framed).
    """
    boxes = [(min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)) for x, y, w, h in rects]
    if len(rects) == 2:
        (a, b), (ra, rb) = boxes, rects
        outer, inner = sorted((a, b), key=lambda r: (r[2] - r[0]) * (r[3] - r[1]), reverse=True)
        opposite = (ra[2] * ra[3]) * (rb[2] * rb[3]) < 0
        nested = all(inner[i] >= outer[i] - EPSILON for i in (0, 1)) and all(
            inner[i] <= outer[i] + EPSILON for i in (2, 3)
        )
        if nested and (even_odd or opposite):
            heights = [inner[1] - outer[1], outer[3] - inner[3]]
            widths = [inner[0] - outer[0], outer[2] - inner[2]]
            return heights, widths, True
    return [b[3] - b[1] for b in boxes], [b[2] - b[0] for b in boxes], False
