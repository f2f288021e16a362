"""What the live preview draws over a proof: the grid, each module's box, every finding.

Layout editors fit a page by looking at it, so everything the build knows
is given a place on the page, in points from the top-left of the trim:
the columns and baseline grid, each module with its article's figures
(characters, lines used and available) and its jumps (下转, 上接) to other
pages, each ad with its client, size and booked millimetres, and the
findings — typography figures past zero, characters only a fallback font
has, photos under print resolution — on the module or photo they concern.
A page that does not fit is drawn from its draft proof: its overset and its
holes past the make-up rule are the findings.  Pure: a `Build` (or a
`Draft`) in, a JSON-able dict out.
"""

from __future__ import annotations

import io

import pikepdf

from ..compose import MAX_HOLE_ROWS
from ..model.grid import MM
from ..model.layout import Box, Layout, Module, Overset, PlacedAd
from ..output.preflight import GOOD_PPI, MIN_PPI  # what a plant rejects, and warns of
from ..pipeline import Build, Draft
from ..typeset import fonts
from .makeup import free_rows

TYPOGRAPHY = {  # figure: what it means, as the editor reads it
    "prohibited": "lines breaking a 禁则 rule",
    "split": "—— or …… split across lines",
    "orphans": "orphans (a last line of one character)",
    "spaces_added": "spaces the source does not have",
    "mismatched": "lines that differ from the source",
}


def box_pt(layout: Layout, box: Box) -> list[float]:
    grid = layout.grid
    return [
        round(grid.x(box.column), 2),
        round(grid.y(box.row), 2),
        round(grid.span_width(box.columns), 2),
        round(box.rows * grid.line, 2),
    ]


def layout_overlay(layout: Layout, roles: dict[str, fonts.Role]) -> dict:
    """What is drawn before the check has read the page: all but its typography figures."""
    return _drawn(layout, layout.grid.page_size, roles)


def overlay(result: Build, roles: dict[str, fonts.Role]) -> dict:
    drawn = layout_overlay(result.layout, roles)
    for module, info in zip(result.layout.modules, drawn["modules"], strict=True):
        drawn["findings"] += _typography_findings(result, module, info["box"])
    return drawn


def draft_overlay(draft: Draft, roles: dict[str, fonts.Role]) -> dict:
    """The overlay of a draft proof, whose page is longer than the trim (see draft.html.j2)."""
    layout = draft.layout
    with pikepdf.open(io.BytesIO(draft.pdf)) as pdf:
        left, bottom, right, top = (float(v) for v in pdf.pages[0].mediabox)
    drawn = _drawn(layout, (right - left, top - bottom), roles)
    for overset, below in overset_boxes(layout):
        message = f"{len(overset.lines)} lines overset ({overset.key})"
        drawn["findings"].append(
            {"kind": "overset", "box": box_pt(layout, below), "message": message}
        )
    for hole in layout.holes:
        if hole.box.rows > MAX_HOLE_ROWS:
            message = f"{hole.box.rows} empty lines (over {MAX_HOLE_ROWS}) after {hole.after}"
            drawn["findings"].append(
                {"kind": "underfill", "box": box_pt(layout, hole.box), "message": message}
            )
    return drawn


def overset_boxes(layout: Layout) -> list[tuple[Overset, Box]]:
    """Where a draft proof draws each overset: below its module, or below the last overset
    box drawn in its columns, a line apart (as render/templates/draft.html.j2 does)."""
    floor: dict[int, int] = {}  # column → the first line free below the boxes drawn
    placed = []
    for overset in layout.overset:
        box = overset.box
        rows = -(-len(overset.lines) // box.columns)
        columns = range(box.column, box.column + box.columns)
        top = max([box.row + box.rows, *(floor.get(c, 0) for c in columns)])
        floor.update(dict.fromkeys(columns, top + rows + 1))
        placed.append((overset, Box(box.column, box.columns, top, rows)))
    return placed


def _drawn(layout: Layout, size: tuple[float, float], roles: dict[str, fonts.Role]) -> dict:
    """The grid, the modules and what the layout alone shows wrong, on a page of `size` pt."""
    grid = layout.grid
    width, height = size
    modules, findings = [], []
    for module in layout.modules:
        info = _module_info(layout, module)
        modules.append(info)
        findings += _fallback_findings(module, roles, info["box"])
        findings += _photo_findings(layout, module)
    return {
        "page": [round(width, 2), round(height, 2)],
        "grid": {
            "columns": [
                [round(grid.x(c), 2), round(grid.column_width, 2)] for c in range(grid.columns)
            ],
            "top": round(grid.top, 2),
            "line": round(grid.line, 2),
            "rows": grid.rows,
            "free": free_rows(layout),  # the lines a module may take, [first, end)
        },
        "modules": modules,
        "ads": [_ad_info(placed) for placed in layout.ads],
        "findings": findings,
    }


def linked(drawn: dict, anchors: dict[int, str]) -> dict:
    """`drawn` with each jump given the address of the page it names, where one is shown:
    `anchors` maps a 版次 to its address."""
    modules = [
        {
            **info,
            "jumps": [{**jump, "href": anchors.get(jump["page"])} for jump in info["jumps"]],
        }
        for info in drawn["modules"]
    ]
    return {**drawn, "modules": modules}


def _module_info(layout: Layout, module: Module) -> dict:
    article = module.article
    return {
        "file": article.file.name,
        "path": str(article.file),
        "headline": article.headline,
        "characters": sum(len(block.text) for block in article.blocks),
        "characters_continued": sum(len(block.text) for block in module.rest),
        "lines_used": module.lines_used,
        "lines_available": module.lines_available,
        "box": box_pt(layout, module.box),
        "slot": [module.box.column, module.box.columns, module.box.row, module.box.rows],
        "rest": article.continued_from is not None,  # another page's article: not made up here
        "jumps": _jumps(module),
    }


def _jumps(module: Module) -> list[dict]:
    """Where the article comes from and goes to, as its printed jump lines say: a jump
    is made only in an edition, where the rest has a page to run on."""
    article = module.article
    jumps = []
    if article.continued_from is not None:
        page = article.continued_from
        jumps.append({"kind": "from", "page": page, "label": f"上接第{page}版"})
    if module.rest and article.jump is not None and article.jump.to is not None:
        to = article.jump.to
        jumps.append({"kind": "to", "page": to, "label": f"下转第{to}版"})
    return jumps


def _ad_info(placed: PlacedAd) -> dict:
    """An ad as the ad desk books it: whose, what size, how many millimetres."""
    ad = placed.ad
    return {
        "file": ad.file.name,
        "name": ad.client or ad.file.name,
        "booked": f"{ad.size} · {_mm(ad.width_mm)} × {_mm(ad.height_mm)} mm",
        "box": [round(v, 2) for v in placed.frame],  # the ear's too, in the masthead band
        "slot": [placed.box.column, placed.box.columns, placed.box.row, placed.box.rows]
        if placed.box
        else None,  # the ear has none: it stands in the masthead band
        "box_mm": f"{_mm(placed.frame[2] / MM)} × {_mm(placed.frame[3] / MM)} mm",
    }


def _mm(value: float) -> str:
    return f"{round(value, 1):g}"


def _typography_findings(result: Build, module: Module, box: list[float]) -> list[dict]:
    figures = result.report.typography.get(module.article.file.name)
    if figures is None:
        return []
    found = [
        {"kind": "typography", "box": box, "message": f"{value} {meaning}"}
        for name, meaning in TYPOGRAPHY.items()
        if (value := getattr(figures, name))
    ]
    ragged = figures.justified - figures.flush
    if ragged:
        found.append({"kind": "typography", "box": box, "message": f"{ragged} ragged lines"})
    return found


def _fallback_findings(
    module: Module, roles: dict[str, fonts.Role], box: list[float]
) -> list[dict]:
    """Characters the body face lacks: set in a fallback face, they look foreign in print."""
    role = roles["body"]
    text = "".join(block.text for block in module.article.blocks)
    faces = {c: fonts.face_for(role, c) for c in set(text) if not c.isspace()}
    foreign = sorted(c for c, face in faces.items() if face != role.faces[0])
    if not foreign:
        return []
    families = sorted({face.family for c in foreign if (face := faces[c]) is not None})
    message = (
        f"{len(foreign)} characters in a fallback font ({', '.join(families)}): {''.join(foreign)}"
    )
    return [{"kind": "font", "box": box, "message": message}]


def _photo_findings(layout: Layout, module: Module) -> list[dict]:
    grid = layout.grid
    found = []
    for placed in module.images:
        column, columns = (  # a photo narrower than its module says where it is
            (placed.column, placed.columns)
            if placed.columns
            else (module.box.column, module.box.columns)
        )
        ppi = placed.image.width_px / (grid.span_width(columns) / 72)
        if ppi >= GOOD_PPI:
            continue
        box = box_pt(layout, Box(column, columns, placed.row, placed.rows))
        severity = (
            f"under {MIN_PPI:g} ppi: too coarse to print"
            if ppi < MIN_PPI
            else f"under {GOOD_PPI:g} ppi"
        )
        message = f"{placed.image.path.name}: {ppi:.0f} ppi at this size, {severity}"
        found.append({"kind": "photo", "box": box, "message": message})
    return found
