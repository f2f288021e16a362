"""Load & validate an edition: `edition.yaml` and what ties its pages together."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import Problem, SourceError
from ..model.document import Edition
from .explain import in_reading_order, read_model, validate
from .jumps import resolve_jumps
from .located import Yaml
from .models import EditionSource, PageSource
from .page import PAGE_FILE, open_page_yaml

EDITION_FILE = "edition.yaml"


def load_edition(directory: Path) -> Edition:
    """Load and validate an edition directory; raise `SourceError` listing every problem.

    Each page's own sources are validated when the page is built; here only what
    ties the pages together: they exist, none twice, each page.yaml agrees
    with the edition on paper and date and has a page number of its own, and
    each jump (`continues:`) names another page of the edition (`jumps.py`).
    """
    path = Path(directory) / EDITION_FILE
    if path.is_file() and not path.resolve().is_relative_to(path.parent.resolve()):
        message = f"{EDITION_FILE} links to a file outside the edition directory"
        raise SourceError([Problem(message, path, hint="replace the link with a copy of the file")])
    missing = Problem(f"{EDITION_FILE} not found", path, hint="write paper, date and pages")
    doc, source = read_model(path, EditionSource, missing)
    problems: list[Problem] = []
    pages = [path.parent / entry for entry in source.pages]
    _check_edition_pages(source, pages, doc, problems)
    edition = Edition(path, source.paper, source.date, tuple(pages), source.title)
    links, unresolved = resolve_jumps(edition)
    problems += unresolved
    if problems:
        raise SourceError(in_reading_order(problems))
    return replace(edition, links=links)


def edition_pages(directory: Path) -> tuple[Path, ...]:
    """The page directories edition.yaml lists, read from it alone (no page is opened):
    where only the list is wanted, as in checking the output paths."""
    path = Path(directory) / EDITION_FILE
    missing = Problem(f"{EDITION_FILE} not found", path, hint="write paper, date and pages")
    _, source = read_model(path, EditionSource, missing)
    return tuple(path.parent / entry for entry in source.pages)


def page_directories(target: Path) -> list[Path]:
    """The pages of an edition directory, or a page directory itself."""
    return list(edition_pages(target)) if (target / EDITION_FILE).is_file() else [target]


def _check_edition_pages(
    source: EditionSource, pages: list[Path], doc: Yaml, problems: list[Problem]
) -> None:
    seen_dirs: set[Path] = set()
    numbers: dict[int, str] = {}
    for index, page in enumerate(pages):
        loc = ("pages", index)
        if not (page / PAGE_FILE).is_file():
            problems.append(
                doc.problem(
                    f"{source.pages[index]} is not a page directory (no {PAGE_FILE} in it)",
                    loc,
                    "give a directory holding page.yaml, relative to edition.yaml",
                )
            )
            continue
        if page.resolve() in seen_dirs:
            problems.append(doc.problem("this page is listed twice", loc, "list each page once"))
            continue
        seen_dirs.add(page.resolve())
        page_doc = open_page_yaml(page, [])
        header = validate(PageSource, page_doc, []) if page_doc else None
        if header is None or page_doc is None:
            continue  # its own build reports what is wrong with it
        for name in ("paper", "date"):
            if getattr(header, name) != getattr(source, name):
                problems.append(
                    page_doc.problem(
                        f"{name} is {getattr(header, name)}; edition.yaml says "
                        f"{getattr(source, name)}",
                        (name,),
                        f"make `{name}` the same in the page and the edition",
                    )
                )
        if header.page in numbers:
            problems.append(
                page_doc.problem(
                    f"page {header.page} is also the number of {numbers[header.page]}",
                    ("page",),
                    "give each page of the edition its own number (版次)",
                )
            )
        numbers.setdefault(header.page, source.pages[index])
