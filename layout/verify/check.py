"""Read the rendered PDF back and check it as a print professional would.

Nothing here trusts the composer: glyph positions and text come from the PDF
(pdfplumber for characters, pikepdf for fonts).  The layout only says where each
line was meant to be, so that each printed line can be found and compared
with what the author wrote.  Display lines (banner, headlines, captions, pull
quotes) are found in the area the layout gave them, as the rows their glyphs
print in, and held to the body's line-start and line-end rules.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import CheckError, Problem
from ..model.copy import BANNER_ROLES, HEAD_ROLES, PAGE_FILE, page_copy
from ..model.document import Article, Page
from ..model.grid import Grid
from ..model.layout import Box, Layout, Module
from ..typeset.measure import Heading
from ..typeset.units import CLOSING, NO_START_OTHER, OPENING, STOPS, Kind, kind_of
from ..typeset.vertical import printed_lines
from .figures import BANNER, MAX_GAP_EM, Report, Typography
from .pdfread import Glyph, printed_rows, read_fonts, read_glyphs

FLUSH_TOLERANCE = 0.3  # pt
NO_LINE_START = CLOSING | STOPS | NO_START_OTHER
HALF_AT_LINE_END = CLOSING | STOPS  # set half-width at the end of a justified line


@dataclass(frozen=True)
class Frame:
    """Where one line was set, and what it should say: the checker finds it by position."""

    label: str  # the article file name, for the report
    left: float
    right: float
    top: float
    bottom: float
    em: float
    indent: float  # em
    final: bool  # the paragraph's last line: not justified
    text: str
    crosshead: bool = False
    file: Path | None = None  # for messages
    jump: bool = False  # （下转第N版）or（上接第N版）: printed, but not the article's text


@dataclass(frozen=True)
class DisplayArea:
    """Display lines and the area they print in: the checker reads them as rows of glyphs."""

    label: str  # the article file name, or BANNER
    left: float
    right: float
    top: float
    bottom: float
    lines: tuple[tuple[str, str], ...]  # each line set, and the source field it comes from
    file: Path | None = None  # for messages


def check_pdf(pdf: bytes, page: Page, layout: Layout) -> Report:
    """Measure the rendered page; raise CheckError if it is not fit to print."""
    size, glyphs = read_glyphs(pdf)
    report = Report(size, read_fonts(pdf))
    expected = layout.grid.page_size
    if abs(size[0] - expected[0]) > 0.5 or abs(size[1] - expected[1]) > 0.5:
        report.problems.append(Problem(f"page size {size} is not the {expected} asked for"))
    for font in report.fonts:
        if not (font.embedded and font.subset):
            report.problems.append(Problem(f"font {font.name} is not embedded as a subset"))
    typography, problems = measure_lines(glyphs, list(_frames(layout)))
    display, display_problems = measure_display(glyphs, list(_display_areas(page, layout)))
    vertical, vertical_problems = measure_vertical(glyphs, layout)
    for name, figures in (*display.items(), *vertical.items()):
        typography.setdefault(name, Typography()).add(figures)
    display_problems += vertical_problems
    order = [label(article) for article in (*page.articles, *page.fillers)]
    report.typography = {name: typography[name] for name in order if name in typography}
    report.banner = typography.get(BANNER, Typography())
    report.problems += problems + display_problems
    for module in layout.modules:
        printed = "".join(f.text for f in _frames_of(module, layout) if not f.jump)
        if printed != "".join(block.text for block in module.article.blocks):
            report.problems.append(
                Problem(
                    "the body set is not the article's text in reading order",
                    file=module.article.file,
                    field="body",
                )
            )
    _check_text_present(page, glyphs, report)
    _check_inside(glyphs, size, report)
    _check_ads_clear(layout, report)
    if report.problems:
        raise CheckError(report.problems)
    return report


def label(article: Article) -> str:
    """An article as the report names it: its file; the rest of a jumped one, marked so."""
    if article.continued_from is None:
        return article.file.name
    return f"{article.file.name}（上接第{article.continued_from}版）"


def _frames(layout: Layout) -> Iterator[Frame]:
    for module in layout.modules:
        yield from _frames_of(module, layout)


def _frames_of(module: Module, layout: Layout) -> Iterator[Frame]:
    """Each body line of a module, in reading order, where the layout put it."""
    grid = layout.grid
    for index, column in enumerate(module.columns):
        left = grid.x(module.box.column + index)
        for number, row in enumerate(column):
            top = grid.y(module.column_row(index) + number)
            yield Frame(
                label(module.article),
                left,
                left + grid.column_width,
                top,
                top + grid.line,
                grid.em,
                row.line.indent,
                row.line.final,
                row.line.text,
                crosshead=row.style == "crosshead",
                file=module.article.file,
                jump=row.style == "jump",
            )


def _display_areas(page: Page, layout: Layout) -> Iterator[DisplayArea]:
    """The banner, and each module's head, captions and pull quote, where the layout put them."""
    grid = layout.grid
    if layout.banner is not None:
        names = {f"headline.{name}": getattr(page.banner, name) for name in BANNER_ROLES}
        owner = (BANNER, page.directory / PAGE_FILE)
        yield _area(grid, layout.banner.box, layout.banner.headings, owner, names)
    for module in layout.modules:
        article, box = module.article, module.box
        owner = (label(article), article.file)
        names = {name: getattr(article, name) for name in HEAD_ROLES}
        yield _area(grid, module.head_box, module.headings, owner, names)
        if module.note is not None and module.note_box is not None:
            note = tuple((line.text, "note") for line in module.note.lines)
            left, top, right, bottom = _edges(grid, module.note_box)
            yield DisplayArea(owner[0], left, right, top, bottom, note, article.file)
        for image in module.images:
            if image.caption is not None:
                placed = image.column >= 0  # else as wide as its module
                span = (image.column, image.columns) if placed else (box.column, box.columns)
                figure = Box(*span, image.row, image.rows + image.caption_rows)
                yield _area(grid, figure, (image.caption,), owner, {"images": None})
        if (quote := module.pullquote) is not None:
            area = Box(quote.column, quote.columns, quote.row, quote.rows)
            yield _area(grid, area, (quote.heading,), owner, {"pullquote": None})


def _area(
    grid: Grid,
    box: Box,
    headings: tuple[Heading, ...],
    owner: tuple[str, Path],
    names: dict[str, str | None],
) -> DisplayArea:
    """`headings` printed in `box`, each line with the field (of `names`: field → the
    text written there) whose text its heading sets; the first field if none."""
    by_text = {_squeeze(text): name for name, text in names.items() if text}
    lines = tuple(
        (line, by_text.get(_squeeze("".join(heading.lines)), next(iter(names))))
        for heading in headings
        for line in heading.lines
    )
    left, top, right, bottom = _edges(grid, box)
    return DisplayArea(owner[0], left, right, top, bottom, lines, owner[1])


def _edges(grid: Grid, box: Box) -> tuple[float, float, float, float]:
    """A box's left, top, right and bottom in pt."""
    left = grid.x(box.column)
    return left, grid.y(box.row), left + grid.span_width(box.columns), grid.y(box.row + box.rows)


def measure_vertical(
    glyphs: list[Glyph], layout: Layout
) -> tuple[dict[str, Typography], list[Problem]]:
    """Each vertical headline as printed: its glyphs in its column, read as lines right to
    left, each top to bottom; counted, held to the line-start and line-end rules, and
    compared with the lines set."""
    figures: dict[str, Typography] = {}
    problems: list[Problem] = []
    for module in layout.modules:
        heading, strip = module.vertical, module.strip
        if heading is None or strip is None:
            continue
        stats = figures.setdefault(label(module.article), Typography())
        left, top, right, bottom = _edges(layout.grid, strip)
        found = [
            g
            for g in glyphs
            if top <= g.middle[1] < bottom and left <= g.middle[0] <= right and not g.text.isspace()
        ]
        printed = [_text(line) for line in printed_lines(found, heading.size)]
        expected = ["".join(cells) for cells in heading.lines]
        for text in printed:
            stats.display_lines += 1
            if text[0] in NO_LINE_START or text[-1] in OPENING:
                stats.display_prohibited += 1
                message = f"prohibited vertical headline line start or end: {text}"
                problems.append(Problem(message, module.article.file, field="headline_vertical"))
        if printed != expected:
            stats.mismatched += sum(a != b for a, b in itertools.zip_longest(printed, expected))
            message = f"vertical headline printed {printed} differs from the lines set {expected}"
            problems.append(Problem(message, module.article.file, field="headline_vertical"))
    return figures, problems


def measure_display(
    glyphs: list[Glyph], areas: list[DisplayArea]
) -> tuple[dict[str, Typography], list[Problem]]:
    """Each area's display lines as printed: counted, held to the line-start and line-end
    rules, and compared with the lines set (spaces aside: a phrase gap may be drawn)."""
    figures: dict[str, Typography] = {}
    problems: list[Problem] = []
    for area in areas:
        stats = figures.setdefault(area.label, Typography())
        printed = [
            _text(row)
            for row in printed_rows(
                g
                for g in glyphs
                if area.top <= g.middle[1] < area.bottom
                and area.left - 1 <= g.middle[0] <= area.right + 1
                and not g.text.isspace()
            )
        ]
        sources: list[str | None] = [name for _, name in area.lines] or [None]
        for number, text in enumerate(printed):
            stats.display_lines += 1
            if text[0] in NO_LINE_START or text[-1] in OPENING:
                stats.display_prohibited += 1
                source = sources[min(number, len(sources) - 1)]
                problems.append(
                    Problem(
                        f"prohibited display line start or end: {text}", area.file, field=source
                    )
                )
        expected = [_squeeze(line) for line, _ in area.lines]
        if printed != expected:
            stats.mismatched += sum(a != b for a, b in itertools.zip_longest(printed, expected))
            message = f"display lines printed {printed} differ from the lines set {expected}"
            problems.append(Problem(message, area.file, field=sources[0]))
    return figures, problems


def measure_lines(
    glyphs: list[Glyph], frames: list[Frame]
) -> tuple[dict[str, Typography], list[Problem]]:
    """The typography figures of every framed line, per label, and each fault found."""
    buckets: dict[int, list[tuple[int, Glyph]]] = {}
    for order, glyph in enumerate(glyphs):
        buckets.setdefault(int(glyph.middle[1] // BUCKET), []).append((order, glyph))
    figures: dict[str, Typography] = {}
    problems: list[Problem] = []
    previous: Frame | None = None
    for frame in frames:
        # in the order the PDF draws them, which is reading order: by position, a
        # half-width closing mark and the opening mark pulled under it would tie
        printed = [
            g
            for _, g in sorted(
                (order, g)
                for key in range(int(frame.top // BUCKET), int(frame.bottom // BUCKET) + 1)
                for order, g in buckets.get(key, ())
                if frame.top <= g.middle[1] < frame.bottom
                and frame.left - 1 <= g.middle[0] <= frame.right + 1
            )
        ]
        stats = figures.setdefault(frame.label, Typography())
        fault = _measure_line(printed, frame, previous, stats)
        if fault:
            problems.append(Problem(f"{fault}: {_text(printed)}", frame.file, field="body"))
        previous = frame
    return figures, problems


HAN = r"[\u3400-\u9fff\U00020000-\U0003ffff]"
HAN_SPACE_HAN = re.compile(rf"{HAN}\s+{HAN}")
BUCKET = 4.0  # pt: glyphs are bucketed by height so each line's are found at once


def _measure_line(printed: list[Glyph], frame: Frame, previous: Frame | None, t: Typography) -> str:
    """Update `t` with one line; return what is wrong with it, if anything."""
    t.lines += 1
    text = _text(printed)
    t.spaces_added += max(
        0, len(HAN_SPACE_HAN.findall(text)) - len(HAN_SPACE_HAN.findall(frame.text))
    )
    # a space where a line breaks is not drawn: it is the line break
    if text.rstrip() != frame.text.rstrip():
        t.mismatched += 1
        return f"line printed differs from the line set ({frame.text!r})"
    visible = [g for g in printed if not g.text.isspace()]
    if not visible:
        return ""
    faults = []
    if visible[0].text[0] in NO_LINE_START or visible[-1].text[-1] in OPENING:
        t.prohibited += 1
        faults.append("prohibited line start or end")
    same_paragraph = previous is not None and previous.label == frame.label and not previous.final
    if same_paragraph and previous is not None and _splits_run(previous.text, frame.text):
        t.split += 1
        faults.append("dash or ellipsis split across lines")
    gap = _widest_gap(printed, frame.em)
    t.widest_gap = max(t.widest_gap, gap)
    if gap > MAX_GAP_EM + 0.005:
        faults.append(f"a gap of {gap:.2f} em between characters (limit {MAX_GAP_EM} em)")
    if frame.crosshead:
        return "; ".join(faults)
    if frame.final:
        words = sum(1 for g in visible for c in g.text if kind_of(c) in (Kind.HAN, Kind.LATIN))
        if same_paragraph and words < 2:
            t.orphans += 1
            faults.append("orphan")
        return "; ".join(faults)
    t.justified += 1
    end = visible[-1]
    right = end.left + frame.em / 2 if end.text in HALF_AT_LINE_END else end.right
    start = frame.left + frame.indent * frame.em
    if (
        abs(right - frame.right) <= FLUSH_TOLERANCE
        and abs(visible[0].left - start) <= FLUSH_TOLERANCE
    ):
        t.flush += 1
    else:
        faults.append(f"line ends {frame.right - right:+.2f} pt from the column edge")
    return "; ".join(faults)


def _splits_run(before: str, after: str) -> bool:
    """`——` or `……` broken between two lines: an odd run at the end of the first."""
    if not before or not after or before[-1] not in "—…" or after[0] != before[-1]:
        return False
    run = len(before) - len(before.rstrip(before[-1]))
    return run % 2 == 1


def _widest_gap(printed: list[Glyph], em: float) -> float:
    """The widest space between two adjacent characters of a line, in em.

    A half-width closing mark advances half an em; the space after a Latin
    word (a real space character) is a word space, not a gap.
    """
    widest = 0.0
    for a, b in itertools.pairwise(printed):
        if a.text.isspace() or b.text.isspace():
            continue
        advance = a.right - a.left
        if a.text[-1] in HALF_AT_LINE_END and b.left - a.left < advance - 0.01:
            advance /= 2
        widest = max(widest, (b.left - a.left - advance) / em)
    return widest


def _text(glyphs: list[Glyph]) -> str:
    return "".join(g.text for g in glyphs)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_text_present(page: Page, glyphs: list[Glyph], report: Report) -> None:
    """Display text (banner, headlines, lede, credits) appears whole in the text layer."""
    printed = _squeeze("".join(g.text for g in glyphs))
    for copy in page_copy(page):
        if copy.display and _squeeze(copy.text) not in printed:
            report.problems.append(copy.problem(f"{copy.text!r} is missing from the text layer"))


def _check_ads_clear(layout: Layout, report: Report) -> None:
    """No line of copy is set where an ad is: an ad's box is sold whole."""
    frames = list(_frames(layout)) if layout.ads else []
    for placed in layout.ads:
        x, y, width, height = placed.frame
        inside = [
            f
            for f in frames
            if f.left < x + width and x < f.right and f.top < y + height and y < f.bottom
        ]
        if inside:
            report.problems.append(
                Problem(
                    f"{len(inside)} lines of copy are set inside {placed.ad.name}",
                    file=inside[0].file,
                )
            )


def _check_inside(glyphs: list[Glyph], size: tuple[float, float], report: Report) -> None:
    outside = [
        g for g in glyphs if g.left < 0 or g.top < 0 or g.right > size[0] or g.bottom > size[1]
    ]
    if outside:
        report.problems.append(
            Problem(f"{len(outside)} characters fall outside the page: {_text(outside)[:40]!r}")
        )
