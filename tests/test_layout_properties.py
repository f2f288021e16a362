"""The layout engine on generated pages, judged from the PDF it renders.

Each example is a page directory of 3–8 articles of 100–4000 characters with
0–2 photos, tabloid or broadsheet.  It must either build, and then meet every
hard rule of make-up measured from the PDF (text positions, photo placements)
against the module boxes of its layout, or exit 1 with a report per article.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import defaultdict

import pdfplumber
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import build_pdf
from layout.compose import MAX_HOLE_ROWS, TOMBSTONE_ROWS, TOMBSTONE_SIZE_STEP
from layout.model.layout import Box, Layout
from layout.pipeline import build
from tests.pagegen import Spec, fitted, write_page

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'

WINDOW = {"tabloid": 2600, "broadsheet": 5600}  # characters a page of that format holds, about


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def rect(layout: Layout, box: Box) -> tuple[float, float, float, float]:
    """A grid box in PDF points: x0, top, x1, bottom (gutter excluded)."""
    grid = layout.grid
    right = grid.x(box.column + box.columns) - grid.gutter
    return grid.x(box.column), grid.y(box.row), right, grid.y(box.row + box.rows)


def inside(char, area, slack: float = 0.5) -> bool:
    """The glyph starts in `area`; its right edge is not trusted, since pdfplumber takes a
    compressed (half-width) punctuation mark's width from the font, not the text."""
    x0, top, x1, bottom = area
    return (
        char["x0"] >= x0 - slack
        and char["x0"] + min(char["x1"] - char["x0"], char["size"] / 2) <= x1 + slack
        and char["top"] >= top - slack
        and char["bottom"] <= bottom + slack
    )


def centred_in(image, area) -> bool:
    x = (image["x0"] + image["x1"]) / 2
    y = (image["top"] + image["bottom"]) / 2
    return area[0] <= x <= area[2] and area[1] <= y <= area[3]


def body_lines(chars, area, body_top: float, grid) -> dict[int, set[int]]:
    """Line tops of body-size text under `body_top`, per text column of the module."""
    lines = defaultdict(set)
    for c in chars:
        if c["top"] >= body_top and abs(c["size"] - grid.em) < 0.01:
            column = int((c["x0"] - area[0] + 0.5) // (grid.column_width + grid.gutter))
            lines[column].add(round(c["top"]))
    return lines


def measure(layout: Layout, page) -> dict:
    """The hard rules, measured from the rendered page."""
    grid = layout.grid
    chars = page.chars
    found: dict = {"unbalanced": [], "clipped": [], "holes": [], "photos": [], "outside": 0}
    areas = {m.article.slug: rect(layout, m.box) for m in layout.modules}
    for module in layout.modules:
        area = areas[module.article.slug]
        mine = [c for c in chars if inside(c, area)]
        text = squeeze("".join(c["text"] for c in mine))
        for block in module.article.blocks:
            if squeeze(block.text) not in text:
                found["clipped"].append((module.article.slug, block.line))
        body_top = grid.y(module.body_row) - 0.5
        lines = body_lines(mine, area, body_top, grid)
        # the text columns end level: within a line when they start level, within
        # MAX_HOLE_ROWS when a narrow photo holds some down (the last one may end short);
        # a column under such a photo may be empty where the text ends beside it
        feet = [max(lines[i]) for i in range(len(module.columns)) if lines[i]]
        level = MAX_HOLE_ROWS if module.column_rows else 1
        if max(feet) - min(feet) > level * grid.line + 1.5:  # tops are rounded to 1 pt
            found["unbalanced"].append((module.article.slug, [len(lines[i]) for i in lines]))
        held = {i for i, row in enumerate(module.column_rows) if row > module.body_row}
        if any(not lines[i] and i not in held for i in range(len(module.columns))):
            found["unbalanced"].append((module.article.slug, "an empty column"))
        last = max((top for tops in lines.values() for top in tops), default=body_top)
        empty = (area[3] - (last + grid.line)) / grid.line
        if empty > MAX_HOLE_ROWS + 0.01:
            found["holes"].append((module.article.slug, round(empty, 2)))
        pictures = [i for i in page.images if centred_in(i, area)]
        assert len(pictures) == len(module.images)
        found["photos"] += [(module, *pair) for pair in zip(pictures, module.images, strict=True)]
    boxes = [rect(layout, m.box) for m in layout.modules]
    if layout.lede:
        boxes.append(rect(layout, layout.lede.box))
    if layout.banner:
        boxes.append(rect(layout, layout.banner.box))
    if layout.credits:
        boxes.append(rect(layout, layout.credits))
    for ad in layout.ads:  # its artwork's own text (a PDF ad), and its 广告 label
        x, y, width, height = ad.frame
        boxes += [
            (x, y, x + width, y + height),
            (x, ad.label_top, x + width, ad.label_top + grid.line),
        ]
    running_head = (grid.left, 0, grid.left + grid.type_width, grid.top)
    for c in chars:
        if c["text"].strip() and not any(inside(c, b) for b in [*boxes, running_head]):
            found["outside"] += 1
    return found


def uncovered_runs(layout: Layout) -> list[int]:
    """Longest run of lines, per column, that no module, rule or band covers."""
    grid = layout.grid
    covered = [[False] * grid.rows for _ in range(grid.columns)]
    boxes = [m.box for m in layout.modules] + [b for _, b in layout.rules if b.columns]
    boxes += [x.box for x in (layout.lede, layout.banner) if x] + [
        layout.credits or Box(0, 0, 0, 0)
    ]
    boxes += [ad.box for ad in layout.ads if ad.box is not None]
    for box in boxes:
        for column in range(box.column, box.column + box.columns):
            for row in range(box.row, box.row + max(box.rows, 1)):
                covered[column][row] = True
    runs = []
    for column in covered:
        longest = current = 0
        for flag in column:
            current = 0 if flag else current + 1
            longest = max(longest, current)
        runs.append(longest)
    return runs


def headline_tops(layout: Layout, page) -> dict[str, tuple[float, float]]:
    """Per article, the top and size of its headline's first line, read from the PDF."""
    found = {}
    for module in layout.modules:
        head = next(h for h in module.headings if h.role == "headline")
        area = rect(layout, module.box)
        glyphs = [c for c in page.chars if inside(c, area) and abs(c["size"] - head.size) < 0.01]
        found[module.article.slug] = (min(c["top"] for c in glyphs), head.size)
    return found


def assert_meets_the_rules(result) -> None:
    layout = result.layout
    grid = layout.grid
    with pdfplumber.open(io.BytesIO(result.pdf)) as pdf:
        page = pdf.pages[0]
        found = measure(layout, page)
        tops = headline_tops(layout, page)
    assert not found["clipped"], found["clipped"]  # every paragraph printed in its module
    assert found["outside"] == 0  # no glyph outside the boxes of the layout
    assert not found["unbalanced"], found["unbalanced"]
    assert not found["holes"], found["holes"]
    assert max(uncovered_runs(layout)) <= MAX_HOLE_ROWS
    for a, b in itertools.combinations(layout.modules, 2):  # no overlap
        ra, rb = rect(layout, a.box), rect(layout, b.box)
        assert ra[2] <= rb[0] or rb[2] <= ra[0] or ra[3] <= rb[1] or rb[3] <= ra[1]
    for module, image, placed in found["photos"]:  # aspect kept, at most 10 % cut a side
        span = (
            (placed.column, placed.columns)
            if placed.columns
            else (module.box.column, module.box.columns)
        )
        area = rect(layout, Box(*span, module.box.row, module.box.rows))
        shown_height = placed.rows * grid.line - grid.line / 3
        drawn_w, drawn_h = image["x1"] - image["x0"], image["bottom"] - image["top"]
        source_w, source_h = image["srcsize"]
        assert abs(drawn_w / drawn_h - source_w / source_h) < 0.01
        assert (drawn_w - (area[2] - area[0])) / 2 <= 0.1 * drawn_w + 0.5
        assert (drawn_h - shown_height) / 2 <= 0.1 * drawn_h + 0.5
        assert abs((image["x0"] + image["x1"]) / 2 - (area[0] + area[2]) / 2) < 0.5  # centred
    modules = {m.article.slug: m for m in layout.modules}
    for a, b in itertools.combinations(modules, 2):  # no tombstones between neighbours
        ma, mb = modules[a].box, modules[b].box
        side_by_side = ma.column + ma.columns == mb.column or mb.column + mb.columns == ma.column
        (top_a, size_a), (top_b, size_b) = tops[a], tops[b]
        # glyph tops read from the PDF: half a point of rounding either way
        butt = abs(top_a - top_b) < TOMBSTONE_ROWS * grid.line - 0.5
        assert not (side_by_side and butt and abs(size_a - size_b) < TOMBSTONE_SIZE_STEP)
    lead = result.page.articles[0].slug
    # the lead is at the top (a smaller headline beside it may sit a little higher in its block)
    assert tops[lead][0] < min(top for top, _ in tops.values()) + TOMBSTONE_ROWS * grid.line
    widest = max(m.box.columns for m in layout.modules)
    largest = max(size for _, size in tops.values())
    assert modules[lead].box.columns == widest or tops[lead][1] == largest


@st.composite
def pages(draw):
    fmt = draw(st.sampled_from(["tabloid", "broadsheet"]))
    count = draw(st.integers(3, 8))
    lengths = draw(st.lists(st.integers(100, 4000), min_size=count, max_size=count))
    photos = draw(st.lists(st.integers(0, 2), min_size=count, max_size=count))
    specs = [Spec(n, p) for n, p in zip(lengths, photos, strict=True)]
    # half the time fitted to the page first, as copy is before make-up, so that most of
    # those build; the rest are as drawn and mostly fail
    return fmt, specs, draw(st.integers(0, 1000)), draw(st.booleans())


@settings(
    max_examples=16,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # a page takes seconds: no shrinking
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(example=pages())
# Found by CI: headlines two module rows apart but level on the page, 24 pt both, once
# the head air was centred; the composer now compares where the headlines print.
@example(
    example=(
        "broadsheet",
        [Spec(130, 2), Spec(130), Spec(1672), Spec(425, 1), Spec(728, 1), Spec(1931), Spec(203, 2)],
        221,
        True,
    )
)
def test_a_generated_page_meets_every_rule_or_exits_1_with_a_report(
    tmp_path_factory, capsys, example
):
    fmt, specs, seed, fit = example
    scratch = tmp_path_factory.mktemp("page")
    if fit:
        specs = fitted(specs, format=fmt, seed=seed, scratch=scratch)
    directory = write_page(scratch / "page", specs, format=fmt, seed=seed)
    output = directory / "out.pdf"
    code = build_pdf.main([str(directory), "-o", str(output)])
    err = capsys.readouterr().err
    if code == 0:
        assert_meets_the_rules(build(directory))
        return
    assert code == 1 and not output.exists()
    reports = re.findall(r"(\S+\.md): body: (overset|underfilled)", err)
    page_level = re.search(r"page\.yaml: articles: .*(overset|underfilled|side by side)", err)
    assert reports or page_level, err  # it says what is over or short, and where


def test_a_failure_names_each_article_with_what_to_change(tmp_path, capsys):
    directory = write_page(tmp_path / "long", [Spec(900), Spec(700), Spec(2600)], seed=1)
    assert build_pdf.main([str(directory), "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "overset by" in err
    assert re.search(r"03-story\.md: body: overset by \d+ lines \(≈\d+ characters\)", err)


def test_the_same_sources_give_the_same_layout_and_bytes(tmp_path):
    specs = [Spec(700, 1), Spec(450), Spec(300, 1), Spec(500)]
    directory = write_page(tmp_path / "page", specs, seed=3)
    first, second = build(directory), build(directory)
    assert first.layout == second.layout
    assert first.pdf == second.pdf
