"""The layout file: a composed page's modules as slots an editor can read and edit.

`--layout-out` writes it after a good build; `--layout` reads it back
(validated by `sources.load_layout`) so the same page comes out again, or the
editor's changed slots are honoured and the rest fitted around them.
"""

from __future__ import annotations

import json

from ..model.layout import Box, Layout


def slot_of(box: Box) -> dict[str, int]:
    """A box as the editor writes it: 1-based column and line."""
    return {
        "column": box.column + 1,
        "columns": box.columns,
        "line": box.row + 1,
        "lines": box.rows,
    }


def _slot(box: Box) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in slot_of(box).items()) + "}"


def dump_layout(layout: Layout) -> str:
    """YAML text of `layout`: format, body size, and each module's 1-based slot."""
    grid = layout.grid
    lines = [
        "# Modules of the page: columns and lines count from 1 at the type area's top left.",
        "# Edit a slot and build with --layout FILE; articles left out are placed around it.",
        f"format: {grid.format.name}",
        f"body: {grid.em:g}  # pt; {grid.columns} columns of {grid.chars}, {grid.rows} lines",
    ]
    if layout.lede:
        lines.append(f"lede: {_slot(layout.lede.box)}")
    lines.append("modules:")
    lines.extend(
        f"  {json.dumps(module.article.file.name, ensure_ascii=False)}: {_slot(module.box)}"
        for module in layout.modules
    )
    return "\n".join(lines) + "\n"
