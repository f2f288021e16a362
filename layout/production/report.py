"""The machine-readable account of a build, for CI: `--report report.json`.

One entry per page: whether it built, how long each stage took, what the
check measured (fonts, typography per article, the page's display lines),
where every module went (1-based slots, as in a layout file) and the outputs
with their SHA-256; or, for a page that failed, every problem with its file,
line, field and fix.
Paths are written as given.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LayoutError, Problem
from ..sources.layout_file import slot_of

if TYPE_CHECKING:  # the pipeline imports WeasyPrint, which a report of cached pages needs not
    from ..pipeline import Build

FORMAT_VERSION = 1
CRASH_HINT = "this is a bug in the typesetter; please report it with the page"


def _problem(problem: Problem) -> dict:
    fields = dataclasses.asdict(problem)
    fields["file"] = None if problem.file is None else str(problem.file)
    fields["text"] = str(problem)  # as the command line prints it
    return fields


def built_entry(directory: Path, result: Build, outputs: list[Path]) -> dict:
    report, grid = result.report, result.layout.grid
    return {
        "page": str(directory),
        "status": "built",
        "seconds": {stage: round(value, 4) for stage, value in result.timings.items()},
        "grid": {
            "format": grid.format.name,
            "columns": grid.columns,
            "characters": grid.chars,
            "body_pt": grid.em,
            "lines": grid.rows,
        },
        "modules": {
            m.article.file.name: slot_of(m.box)
            for m in result.layout.modules
            if m.article.continued_from is None
        },
        "continued": [  # the rests of other pages' articles (上接), by their files there
            {"file": str(m.article.file), "from": m.article.continued_from, **slot_of(m.box)}
            for m in result.layout.modules
            if m.article.continued_from is not None
        ],
        "levers": list(result.layout.levers),  # how the composer fitted the copy
        "fillers": [m.article.file.name for m in result.layout.modules if m.filler],
        "fonts": [dataclasses.asdict(font) for font in report.fonts],
        "typography": {
            name: dataclasses.asdict(figures) for name, figures in report.typography.items()
        },
        "display_lines": {  # banner, headlines, captions, pull quotes: each line printed
            "page": report.total.display_lines,
            "banner": report.banner.display_lines,
            "prohibited": report.total.display_prohibited,
        },
        "problems": [_problem(p) for p in report.problems],
        "warnings": [_problem(p) for p in result.warnings],
        "preflight": result.preflight.to_json() if result.preflight else None,
        "outputs": outputs_of(outputs),
    }


def outputs_of(paths: list[Path]) -> list[dict]:
    """Each written file with its SHA-256, so CI can tell what changed."""
    return [
        {"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        for path in paths
    ]


def failed_entry(directory: Path, error: BaseException) -> dict:
    """A page that failed: its content problems, or a crash reported as a bug at the page."""
    problems = (
        error.problems
        if isinstance(error, LayoutError)
        else [Problem(f"internal error: {error}", directory, hint=CRASH_HINT)]
    )
    return {
        "page": str(directory),
        "status": "failed",
        "error": type(error).__name__,
        "problems": [_problem(p) for p in problems],
        "outputs": [],
    }


def report_bytes(
    entries: list[dict], edition: dict | None = None, *, editions: list[dict] | None = None
) -> bytes:
    """The report file: every page's entry, and for an edition (or a batch's editions) what
    was made of them."""
    document: dict = {"format": FORMAT_VERSION, "pages": entries}
    if edition is not None:
        document["edition"] = edition
    if editions is not None:
        document["editions"] = editions
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
