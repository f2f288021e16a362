"""What the live preview draws over a proof: the grid, each module's box, every finding.

Layout editors fit a page by looking at it, so everything the build knows
is given a place on the page, in points from the top-left of the trim:
the columns and baseline grid, each module with its article's figures
(characters, lines used and available), and the findings — typography
figures past zero, characters only a fallback font has, photos under print
resolution — on the module or photo they concern.  Pure: a `Build` in, a
JSON-able dict out.
"""

from __future__ import annotations

from ..model.layout import Box, Layout, Module
from ..output.preflight import GOOD_PPI, MIN_PPI  # what a plant rejects, and warns of
from ..pipeline import Build
from ..typeset import fonts

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


def overlay(result: Build, roles: dict[str, fonts.Role]) -> dict:
    layout = result.layout
    grid = layout.grid
    width, height = grid.page_size
    modules, findings = [], []
    for module in layout.modules:
        info = _module_info(layout, module)
        modules.append(info)
        findings += _typography_findings(result, module, info["box"])
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
        },
        "modules": modules,
        "findings": findings,
    }


def _module_info(layout: Layout, module: Module) -> dict:
    article = module.article
    body_rows = module.box.rows - (module.body_row - module.box.row)
    return {
        "file": article.file.name,
        "path": str(article.file),
        "headline": article.headline,
        "characters": sum(len(block.text) for block in article.blocks),
        "lines_used": sum(len(column) for column in module.columns),
        "lines_available": body_rows * len(module.columns),
        "box": box_pt(layout, module.box),
    }


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
        width = grid.span_width(module.box.columns)
        ppi = placed.image.width_px / (width / 72)
        if ppi >= GOOD_PPI:
            continue
        box = box_pt(layout, Box(module.box.column, module.box.columns, placed.row, placed.rows))
        severity = (
            f"under {MIN_PPI:g} ppi: too coarse to print"
            if ppi < MIN_PPI
            else f"under {GOOD_PPI:g} ppi"
        )
        message = f"{placed.image.path.name}: {ppi:.0f} ppi at this size, {severity}"
        found.append({"kind": "photo", "box": box, "message": message})
    return found
