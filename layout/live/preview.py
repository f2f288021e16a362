"""The pages the live proof serves, and what their last builds made (see serve.py).

Each page is built again whenever one of its sources, its layout file or a
style is saved, or an editor's make-up edit asks; its proof is shown as soon
as it is rendered and completed once the check has read it.  An edition's
pages are built in jump order, each after the pages jumping into it, with
the rests they sent on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

from ..errors import FitError, LayoutError, Problem, SetupError, SourceError
from ..model.copy import MAKEUP_FILE
from ..model.document import Continuation, Link, Page
from ..model.grid import Grid
from ..model.layout import Layout
from ..options import OutputOptions
from ..output.preview import png_bytes
from ..pipeline import build, draft_of, prepared_page
from ..production import report as build_report
from ..production.edition import page_name
from ..render.html_to_pdf import STYLES
from ..sources.edition import EDITION_FILE, load_edition, page_directories
from ..typeset import fonts
from ..typeset.measure import Typesetter
from .makeup import Desk
from .overlay import draft_overlay, layout_overlay, linked, overlay

PROOF_DPI = 110


@dataclass(frozen=True)
class Proof:
    """What the browser is shown of a page: the proof image, its PDF and overlay, and the
    page and layout they were made from (a make-up edit acts on them)."""

    png: bytes
    pdf: bytes
    overlay: dict
    page: Page  # as the composer took it: its edition's jumps and its layout file applied
    layout: Layout
    report: bytes | None = None  # None while the check reads the PDF
    draft: bool = False  # the page does not fit: the draft proof of its best arrangement


@dataclass
class PageView:
    """One page as the browser sees it: the last proof, and the last error if newer.

    The proof is the last good build's, or the draft proof of a page that does not fit.
    A build shows its proof as soon as it is rendered, while the check reads it; if
    the check then fails, the proof before it is shown again.
    """

    id: str
    directory: Path
    number: int | None = None  # 版次, once a build has read it
    version: int = 0  # builds ended, good or not
    shown: int = 0  # proofs made, good or draft: the proof's version
    proof: Proof | None = None
    error: str | None = None
    problems: list[dict] = field(default_factory=list)
    desk: Desk | None = None  # its make-up: the layout file it is built with, and its versions
    # kept between builds: an edit of the make-up sets no line again (cleared on a source's save)
    typesetters: dict[Grid, Typesetter] = field(default_factory=dict)

    def summary(self) -> dict:
        proof = self.proof
        return {
            "id": self.id,
            "directory": str(self.directory),
            "version": self.version,
            "proof": f"/proof/{self.id}.png?v={self.shown}" if proof else None,
            "pdf": f"/pdf/{self.id}.pdf" if proof else None,
            "report": f"/report/{self.id}.json" if proof and proof.report else None,
            "checking": bool(proof and proof.report is None),
            "overlay": proof.overlay if proof else None,
            "error": self.error,
            "problems": self.problems,
            "draft": bool(proof and proof.draft),
            "pinned": sorted(self.desk.pins) if self.desk else [],
            "undo": bool(self.desk and self.desk.history.can_undo),
            "redo": bool(self.desk and self.desk.history.can_redo),
            "layout_file": self.desk.file.name if self.desk else None,
        }

    def typesetter(self, roles: dict[str, fonts.Role], grid: Grid) -> Typesetter:
        if grid not in self.typesetters:
            self.typesetters[grid] = Typesetter(roles, grid)
        return self.typesetters[grid]

    @property
    def name(self) -> str:
        """The file name a download of the proof gets, less its suffix."""
        return f"{self.id}.draft" if self.proof and self.proof.draft else self.id


class Preview:
    """The pages being watched and what their last builds made."""

    def __init__(
        self, target: Path, output: OutputOptions, layout_file: Path | None = None
    ) -> None:
        self.target = target
        self.output = output
        directories = list(enumerate(page_directories(target), start=1))
        if layout_file is not None and len(directories) > 1:
            problem = Problem(
                f"{target} is an edition; a layout file is one page's",
                layout_file,
                hint="serve one page of it with --layout, or the edition without",
            )
            raise SourceError([problem])
        views = [
            PageView(
                page_name(n, directory),
                directory,
                desk=Desk(layout_file or directory / MAKEUP_FILE, directory),
            )
            for n, directory in directories
        ]
        self.pages = {view.id: view for view in views}
        self.lock = threading.Lock()  # one build at a time: they share fonts and caches
        self.rests: dict[Path, tuple[Continuation, ...]] = {}  # the rests each page sent on

    def anchors(self) -> dict[int, str]:
        """Where each page is shown, by its 版次."""
        return {
            page.number: f"#page-{quote(page.id)}"
            for page in self.pages.values()
            if page.number is not None
        }

    def summaries(self) -> list[dict]:
        """What the browser draws of each page, its jumps linked to the pages shown."""
        anchors = self.anchors()
        summaries = [page.summary() for page in self.pages.values()]
        return [
            {**shown, "overlay": linked(shown["overlay"], anchors)} if shown["overlay"] else shown
            for shown in summaries
        ]

    def watched(self) -> list[Path]:
        """The target, the styles and every page directory (with its makeup.yaml); a
        layout file given elsewhere is not watched (its folder could be any size): a hand
        edit of it is taken up by the next make-up edit."""
        return [self.target, STYLES, *(page.directory for page in self.pages.values())]

    def affected(self, changed: set[Path]) -> list[PageView]:
        """The pages a change concerns: a style concerns all of them, a page the pages
        its jumps run on; each after the pages that jump into it."""
        if any(path.resolve().is_relative_to(STYLES) for path in changed):
            for page in self.pages.values():
                page.typesetters.clear()
            return self.in_order(list(self.pages.values()))
        return self.in_order([page for page in self.pages.values() if self._changes(page, changed)])

    def _changes(self, page: PageView, changed: set[Path]) -> bool:
        """`changed` concerns `page`: a source of it, or its layout file changed by hand
        (the make-up's own writes are built already); a source clears its measures."""
        here = page.directory.resolve()
        layout = page.desk.file.resolve() if page.desk else None
        sources = {p for p in changed if p.resolve() != layout and p.resolve().is_relative_to(here)}
        if sources:
            page.typesetters.clear()
        return bool(sources) or (
            page.desk is not None
            and any(p.resolve() == layout for p in changed)
            and page.desk.changed_outside()
        )

    def links(self) -> tuple[Link, ...]:
        """The edition's jumps as they resolve now: none for a page, or while they do not
        (each page's own build then sets its articles whole and says why)."""
        if not (self.target / EDITION_FILE).is_file():
            return ()
        try:
            return load_edition(self.target).links
        except LayoutError:
            return ()

    def in_order(self, pages: list[PageView]) -> list[PageView]:
        """`pages` and the pages their jumps run on, each after the pages jumping into it."""
        links = [(link.sender.resolve(), link.receiver.resolve()) for link in self.links()]
        views = {view.directory.resolve(): view for view in self.pages.values()}
        wanted = {page.directory.resolve() for page in pages}
        while grown := {r for s, r in links if s in wanted and r in views} - wanted:
            wanted |= grown
        ordered: list[PageView] = []
        waiting = [d for d in views if d in wanted]
        while waiting:  # a loop of jumps is refused at load: then edition order is kept
            ready = [d for d in waiting if not any(r == d and s in waiting for s, r in links)]
            ordered += [views[d] for d in ready or waiting]
            waiting = [d for d in waiting if d not in (ready or waiting)]
        return ordered

    def rebuild(self, page: PageView, shown: Callable[[], None] = lambda: None) -> None:
        """Build `page` again; `shown` is called (from this thread) once its new proof is
        shown, which is before the check has read it, or not at all if none is made."""
        with self.lock:
            here = page.directory.resolve()
            links = self.links()
            jumps = {link.slug: link.to for link in links if link.sender.resolve() == here}
            continued = tuple(
                rest
                for link in links
                if link.receiver.resolve() == here
                for rest in self.rests.get(link.sender.resolve(), ())
                if rest.slug == link.slug
            )
            made_up = page.desk.file if page.desk and page.desk.file.is_file() else None
            inputs: dict = {"jumps": jumps, "continued": continued, "layout_in": made_up}
            before = page.proof
            roles = fonts.load_roles()

            def rendered(pdf: bytes, composed: Page, layout: Layout) -> None:
                png = png_bytes(pdf, dpi=PROOF_DPI)
                page.proof = Proof(png, pdf, layout_overlay(layout, roles), composed, layout)
                page.error, page.problems = None, []
                page.shown += 1
                shown()

            try:
                result = build(
                    page.directory,
                    options=self.output,
                    typesetter=page.typesetter,
                    rendered=rendered,
                    **inputs,
                )
            except (LayoutError, SetupError) as error:
                if page.proof is not None and page.proof.report is None:
                    page.proof = before  # rendered, then refused by the check
                    page.shown += 1
                page.error = str(error)
                page.problems = [
                    {"file": p.file.name if p.file else None, "message": str(p)}
                    for p in error.problems
                ]
                if isinstance(error, FitError) and isinstance(error.draft, Layout):
                    self.show_draft(page, error, error.draft, inputs)
            else:
                entry = build_report.built_entry(page.directory, result, [])
                assert page.proof is not None, "a build that ends has rendered its page"
                page.proof = replace(
                    page.proof,
                    layout=result.layout,
                    overlay=overlay(result, roles),
                    report=build_report.report_bytes([entry]),
                )
                page.number = result.page.number
                self.rests[here] = result.continuations
            page.version += 1

    def show_draft(self, page: PageView, error: FitError, layout: Layout, inputs: dict) -> None:
        """Show the draft proof of a page that does not fit; if it cannot be drawn, the last.
        `inputs` are what its build was given besides the page."""
        try:
            composed = prepared_page(page.directory, **inputs)
            draft = draft_of(page.directory, layout)
        except LayoutError:
            return  # the error already says what is wrong with the page
        page.proof = Proof(
            png_bytes(draft.pdf, dpi=PROOF_DPI),
            draft.pdf,
            draft_overlay(draft, fonts.load_roles()),
            composed,
            layout,
            build_report.report_bytes([build_report.failed_entry(page.directory, error)]),
            draft=True,
        )
        page.number = composed.number
        page.shown += 1
