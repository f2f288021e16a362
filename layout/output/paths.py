"""Check every output path before a build: never over a source, never found unwritable late.

A build takes seconds, an edition minutes; an output that cannot be written
must be said before that work, not as a traceback after it.  And an output
must never replace a file the build reads: `-o PAGE/01-story.md` would put a
PDF where the article was.  Each check returns the reason as a usage message
naming the command-line option, or None.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from ..errors import LayoutError, shown
from ..model.copy import PAGE_FILE, page_files
from ..sources.edition import EDITION_FILE, edition_pages
from ..sources.page import load_page
from .write import written_path

Outputs = Mapping[str, Path | None]  # option → the path it names, if given


def draft_path(path: Path) -> Path:
    """Where the draft proof of a page that does not fit goes: `page.pdf` → `page.draft.pdf`."""
    return path.with_name(f"{path.stem}.draft{path.suffix}")


def with_drafts(outputs: Outputs) -> dict[str, Path | None]:
    """`outputs` and the draft beside the PDF (-o) and the PNG (--png), checked like any."""
    drafts = {
        f"the draft of {option}": draft_path(path)
        for option in ("-o", "--png")
        if (path := outputs.get(option)) is not None
    }
    return {**outputs, **drafts}


def page_sources(directory: Path, layout: Path | None = None) -> frozenset[Path]:
    """The files a page build reads, through links: page.yaml, its articles and fillers
    and their photos, the layout file.  A page that does not load names only page.yaml:
    its build stops at loading, before anything is written."""
    files = {directory / PAGE_FILE, *([layout] if layout else [])}
    try:
        page = load_page(directory)
    except LayoutError:
        page = None
    files |= page_files(page) if page else set()
    return frozenset(written_path(f) for f in files)


def edition_refusal(directory: Path, out: Path, report: Path | None) -> str | None:
    """Why an edition's output directory or report cannot be as named, or None.

    Neither may be inside a page directory (the page's cache key hashes it) nor
    replace edition.yaml.  An edition that does not load is built no further than
    that, and only the report is written.
    """
    try:
        pages: tuple[Path, ...] = edition_pages(directory)
    except LayoutError:
        pages = ()
    edition = {written_path(directory / EDITION_FILE)}
    return directory_refusal("-o", out, pages) or file_refusal({"--report": report}, edition, pages)


def file_refusal(
    outputs: Outputs, sources: Collection[Path], fenced: Iterable[Path] = ()
) -> str | None:
    """Why the output files cannot be written as named, or None.

    `sources` are the files the build reads (resolved); no output may be inside a
    `fenced` directory (an edition's pages: their outputs would change their cache key).
    """
    fences = [written_path(d) for d in fenced]
    given = {option: path for option, path in outputs.items() if path is not None}
    for option, path in given.items():
        target = written_path(path)
        said = f"{option} {shown(path)}"
        if target in sources:
            return f"{said} is a source the build reads; name a new file for the output"
        reason = _fenced(target, fences) or _kind(target, "file") or _unwritable(target.parent)
        if reason:
            return f"{said} {reason}"
    return _clash(given)


def directory_refusal(option: str, path: Path, fenced: Iterable[Path] = ()) -> str | None:
    """Why `path` cannot be an output directory, or None."""
    target = written_path(path)
    fences = [written_path(d) for d in fenced]
    reason = _fenced(target, fences) or _kind(target, "directory") or _unwritable(target)
    return f"{option} {shown(path)} {reason}" if reason else None


def _fenced(target: Path, fences: list[Path]) -> str | None:
    inside = next((d for d in fences if target.is_relative_to(d)), None)
    if inside is None:
        return None
    return (
        f"is inside the page directory {shown(inside)}, which would then change with every"
        " build; write outside the page directories"
    )


def _kind(target: Path, wanted: str) -> str | None:
    """Whether an existing `target` is what the option needs."""
    if not target.exists():
        return None
    if wanted == "file" and target.is_dir():
        return "is a directory; name a file"
    if wanted == "directory" and not target.is_dir():
        return "is not a directory; name a directory for the edition's files"
    if wanted == "file" and not target.is_file():
        return "is not a regular file; name a file"
    return None


def _unwritable(folder: Path) -> str | None:
    """Whether a file can be made in `folder` (or the nearest that exists: the rest is made)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"cannot be made: {shown(folder)} is a file, not a directory"
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return f"cannot be written: {shown(folder)}: {error.strerror}"
    return None


def _clash(given: Mapping[str, Path]) -> str | None:
    """Two options naming one file would have one output overwrite the other."""
    seen: dict[Path, str] = {}
    for option, path in given.items():
        target = written_path(path)
        if target in seen:
            return f"{seen[target]} and {option} name the same file {shown(path)}"
        seen[target] = option
    return None
