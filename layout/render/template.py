"""Turn a composed layout into HTML: every element absolutely placed on the grid.

The composer has already decided every line break and every gap, so the HTML
is a drawing, not a flow: each line is a non-wrapping block and the space
between characters is CSS `letter-spacing` (or `margin-right` after a Latin
word, `——` or `……`, which must not be spaced inside).  The PDF text layer
therefore holds exactly the article's characters.  Jinja2 autoescapes, so
whatever an author typed prints as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2

from ..model.copy import (
    BODY_ROLES,
    CREDITS_ROLE,
    HEAD_ROLES,
    LEDE_ROLE,
    MASTHEAD_ROLES,
    NOTE_LABEL_ROLE,
    NOTE_ROLE,
    PAGE_FILE,
    RUNNING_HEAD_ROLES,
    Copy,
)
from ..model.document import Page
from ..model.grid import MM
from ..model.layout import Box, Layout
from ..typeset.fonts import Role
from ..typeset.linebreak import Kind, Line, Piece
from ..typeset.measure import phrase_parts
from . import masthead
from .fetch import page_url

TEMPLATES = Path(__file__).resolve().parent / "templates"
QR_MM = 18.0  # the masthead QR code: scannable from newsprint at arm's length
# The role class of each element the template styles itself, from the table font
# coverage reads: so the faces checked are the faces that print.
ROLE_OF = {
    **{f"masthead_{name}": role for name, role in MASTHEAD_ROLES.items()},
    **{f"head_{name}": role for name, role in RUNNING_HEAD_ROLES.items()},
    **BODY_ROLES,
    "lede": LEDE_ROLE,
    "credits": CREDITS_ROLE,
    "note": NOTE_ROLE,
    "note_label": NOTE_LABEL_ROLE,
    "column_logo": HEAD_ROLES["column_logo"],
}


@dataclass(frozen=True)
class Segment:
    """A run of a line drawn with one style: what a `<span>` of the template holds."""

    text: str
    bold: bool
    feature: str | None  # OpenType feature, also the CSS class: "halt" (half-width), "fwid"
    spacing: float  # letter-spacing in pt, added after every character
    after: float  # margin-right in pt, after the whole run
    solo: bool = False  # a Latin word or number: never shares a span (see fonts.width)


def segments(line: Line, em: float) -> tuple[Segment, ...]:
    """Group a line's pieces into as few uniformly spaced runs as possible."""
    result: list[Segment] = []
    carried, carried_gap = "", 0.0  # spaces after `——` or `……`, for the next run to start
    for index, piece in enumerate(line.pieces):
        gap = round(piece.gap * em, 3)
        if piece.kind is Kind.SPACE and result:
            # WeasyPrint draws no glyph for a span holding only a space, which would
            # drop it from the text layer: the space joins the run before it, and
            # the gaps on either side of it are set after it instead.  After `——`
            # or `……` it starts the next run: `fwid` would set it a full em wide.
            run = result[-1]
            if run.feature == "fwid" and _plain_run_follows(line.pieces[index + 1 :]):
                carried, carried_gap = carried + piece.text, carried_gap + gap
                continue
            after = round(run.after + gap - run.spacing, 3)
            result[-1] = Segment(
                run.text + piece.text, run.bold, run.feature, run.spacing, after, run.solo
            )
            continue
        feature = "halt" if piece.halt else ("fwid" if piece.kind is Kind.RUN else None)
        if _kept_together(piece):
            segment = Segment(piece.text, piece.bold, feature, 0.0, gap, solo=True)
        else:
            segment = Segment(piece.text, piece.bold, feature, gap, 0.0)
        if carried:
            # the gaps after the carried spaces are set before them, less the
            # letter-spacing they now get from this run
            run = result[-1]
            after = round(run.after + carried_gap - len(carried) * segment.spacing, 3)
            result[-1] = Segment(run.text, run.bold, run.feature, run.spacing, after, run.solo)
            segment = Segment(
                carried + segment.text,
                segment.bold,
                segment.feature,
                segment.spacing,
                segment.after,
                segment.solo,
            )
            carried, carried_gap = "", 0.0
        last = result[-1] if result else None
        if (
            last is not None
            and not (last.solo or segment.solo)
            and last.feature is segment.feature is None
            and last.after == segment.after == 0.0
            and last.spacing == segment.spacing
            and last.bold == segment.bold
        ):
            result[-1] = Segment(last.text + segment.text, last.bold, None, last.spacing, 0.0)
        else:
            result.append(segment)
    return tuple(result)


def _plain_run_follows(pieces: tuple[Piece, ...]) -> bool:
    """Whether a run other than `——` or `……` comes after these spaces, to take them."""
    following = next((p for p in pieces if p.kind is not Kind.SPACE), None)
    return following is not None and following.kind is not Kind.RUN


def _kept_together(piece: Piece) -> bool:
    """Runs whose characters must not be spaced apart: Latin words, numbers, —— and ……."""
    return piece.kind in (Kind.LATIN, Kind.RUN, Kind.SPACE)


def _box_style(layout: Layout, box: Box) -> str:
    grid = layout.grid
    return (
        f"left:{grid.x(box.column):.3f}pt;top:{grid.y(box.row):.3f}pt;"
        f"width:{grid.span_width(box.columns):.3f}pt;height:{box.rows * grid.line:.3f}pt"
    )


def _rule_style(layout: Layout, kind: str, box: Box) -> str:
    grid = layout.grid
    if kind == "h":
        middle = grid.y(box.row) + grid.line / 2
        return (
            f"left:{grid.x(box.column):.3f}pt;top:{middle:.3f}pt;"
            f"width:{grid.span_width(box.columns):.3f}pt"
        )
    x = grid.x(box.column) - grid.gutter / 2
    return f"left:{x:.3f}pt;top:{grid.y(box.row):.3f}pt;height:{box.rows * grid.line:.3f}pt"


def running_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日 {masthead.weekday(day)}"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["segments"] = segments
    env.filters["phrase_parts"] = phrase_parts
    env.globals["role_of"] = ROLE_OF
    return env


def masthead_lines(page: Page) -> dict[str, str] | None:
    """The lines the masthead prints beside the paper's name, if the page has one."""
    if page.masthead is None:
        return None
    m = page.masthead
    return {
        "date": running_date(page.date),
        "lunar": masthead.lunar(page.date),
        "issue": f"总第{m.issue}期",
        "cn": f"国内统一连续出版物号 CN {m.cn}",
        "issn": f"国际标准连续出版物号 ISSN {m.issn}",
    }


def masthead_copy(page: Page) -> list[Copy]:
    """The masthead's text as copy, so that font coverage sees what it prints."""
    lines = masthead_lines(page)
    if lines is None:
        return []
    where = page.directory / PAGE_FILE
    return [
        Copy(page.paper, MASTHEAD_ROLES["paper"], where, "masthead"),
        Copy("".join(lines.values()), MASTHEAD_ROLES["lines"], where, "masthead"),
    ]


def _masthead_parts(page: Page) -> dict[str, str] | None:
    """The masthead's lines with its barcode and QR code as inline SVG."""
    lines = masthead_lines(page)
    if lines is None or page.masthead is None:
        return None
    from . import barcodes  # noqa: PLC0415 (reportlab: 0.2 s to import; front pages only)

    m = page.masthead
    return {
        **lines,
        "barcode": barcodes.barcode_svg(m.issn, m.variant, m.addon_digits),
        "qr": barcodes.qr_svg(m.url, QR_MM) if m.url else "",
    }


def _rect_style(
    rect: tuple[float, float, float, float], within: tuple[float, ...] = (0.0, 0.0)
) -> str:
    """An absolutely placed box, in pt from the page's top left or from `within`'s."""
    x, y, width, height = rect
    return (
        f"left:{x - within[0]:.3f}pt;top:{y - within[1]:.3f}pt;"
        f"width:{width:.3f}pt;height:{height:.3f}pt"
    )


def render_html(page: Page, layout: Layout, roles: dict[str, Role]) -> str:
    """The page as an HTML document for WeasyPrint."""
    grid = layout.grid
    width, height = grid.page_size
    env = environment()
    env.filters["file_url"] = lambda path: page_url(path, page.directory)
    return env.get_template("page.html.j2").render(
        page=page,
        layout=layout,
        grid=grid,
        roles=roles,
        page_width=width,
        page_height=height,
        running_date=running_date(page.date),
        masthead=_masthead_parts(page),
        margin_top=grid.format.margin_top_mm * MM,
        box=lambda b: _box_style(layout, b),
        rule=lambda kind, b: _rule_style(layout, kind, b),
        column_x=lambda index: index * (grid.column_width + grid.gutter),
        span=grid.span_width,
        rect=_rect_style,
    )
