"""The layout file: a composed page's modules as slots an editor can read and edit.

`--layout-out` writes it after a good build (`dump_layout`); `--layout` reads it
back (`load_layout`) so the same page comes out again, or the editor's changed
slots are honoured and the rest fitted around them.  Both live here so the
format is defined in one place.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ..errors import Problem, SourceError
from ..model.copy import page_articles
from ..model.document import PHOTO_STORY, Article, Page, Slot
from ..model.grid import FORMATS
from ..model.layout import Box, Layout
from .explain import in_reading_order, read_model, suggest
from .models import LayoutSource, SlotSource


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
        f"  {json.dumps(module.article.file.name, ensure_ascii=False)}: "
        + (_slot(module.box)[:-1] + ", vertical: true}" if module.vertical else _slot(module.box))
        for module in layout.modules
    )
    return "\n".join(lines) + "\n"


def load_layout(path: Path, page: Page) -> Page:
    """`page` with the slots and body size of a layout file; SourceError for all that is wrong.

    A slot in the layout file wins over one in the article's front matter; a
    filler it places is pinned there.  It records the format the page was
    composed in, which an `auto` page takes.
    """
    missing = Problem("layout file not found", path, hint="give a file written by --layout-out")
    doc, source = read_model(path, LayoutSource, missing)
    problems: list[Problem] = []
    if page.format == "auto":
        page = replace(page, format=source.format)
    bodies = [em for em, _ in FORMATS[page.format].bodies]
    if source.format != page.format:
        problems.append(
            doc.problem(
                f"the layout is for a {source.format} page; page.yaml says {page.format}",
                ("format",),
                "write a new layout with --layout-out, or fix the format",
            )
        )
    elif source.body not in bodies:
        problems.append(
            doc.problem(
                f"a {page.format} page is set in " + " or ".join(f"{b:g}" for b in bodies) + " pt",
                ("body",),
                f"write `body: {bodies[0]:g}`",
            )
        )
    by_name = {article.file.name: article for article in page_articles(page)}
    for name in source.modules:
        if name not in by_name:
            problems.append(
                doc.problem(
                    f"{name} is not an article of this page",
                    ("modules", name),
                    suggest(name, list(by_name)),
                )
            )
    if source.lede and not page.lede:
        problems.append(doc.problem("the page has no lede", ("lede",), "remove `lede:`"))
    for name, module in source.modules.items():
        if module.vertical and name in by_name and by_name[name].kind == PHOTO_STORY:
            problems.append(
                doc.problem(
                    f"{name} is a photo story: its headline is set under its photo",
                    ("modules", name, "vertical"),
                    "remove `vertical: true`",
                )
            )
    if problems:
        raise SourceError(in_reading_order(problems))

    def slot(loc: tuple[str, ...], value: SlotSource) -> Slot:
        return value.at(path, doc.line(loc))

    def pinned(article: Article) -> Article:
        name = article.file.name
        if name not in source.modules:
            return article
        module = source.modules[name]
        vertical = article.headline_vertical if module.vertical is None else module.vertical
        return replace(article, slot=slot(("modules", name), module), headline_vertical=vertical)

    return replace(
        page,
        articles=tuple(map(pinned, page.articles)),
        fillers=tuple(map(pinned, page.fillers)),
        lede_slot=slot(("lede",), source.lede) if source.lede else page.lede_slot,
        body_pt=source.body,
        layout_file=path,
    )
