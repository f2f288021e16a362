"""`build_pdf.py serve DIR`: a live proof of a page or an edition in the browser.

Layout editors fit a page by looking at it, again and again.  This app
builds every page once, then rebuilds a page whenever one of its sources or
a style is saved (watchfiles) and tells open browsers by server-sent events;
the browser swaps the proof and its overlay in place, so zoom and scroll
stay.  A build that fails keeps the last good proof and reports the error;
a page that does not fit shows its draft proof instead, the overset and the
holes drawn on it, and its problems on the modules they name.  An edition's
pages are shown one under another, so an article's jump (下转, 上接) links to
the page it names by its anchor, `#page-<id>`; a page not served is named,
not linked.

It serves only its own four assets and, by page id, the proofs, PDFs and
reports it made: no file system path ever comes from a request, so there is
nothing to list and nothing to traverse.  It answers only requests addressed
to the name it listens on (`allowed_hosts`): a web page whose own name an
attacker re-points at this machine (DNS rebinding) gets 400, not the proofs.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import socket
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import watchfiles
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..errors import FitError, LayoutError, Problem, SetupError, SourceError
from ..model.document import Continuation, Link
from ..model.grid import Grid
from ..model.layout import Layout
from ..options import DEFAULT, OutputOptions
from ..output.preview import png_bytes
from ..pipeline import build, draft_of
from ..production import report as build_report
from ..production.edition import page_name
from ..production.watch import watch_options
from ..render.html_to_pdf import STYLES
from ..sources.edition import EDITION_FILE, load_edition, page_directories
from ..sources.page import load_page
from ..typeset import fonts
from ..typeset.measure import Typesetter
from .makeup import LAYOUT_FILE, Desk
from .makeup_api import makeup_routes
from .overlay import draft_overlay, linked, overlay

ASSETS = Path(__file__).resolve().parent / "assets"
ASSET_TYPES = {"app.js": "text/javascript", "makeup.js": "text/javascript", "app.css": "text/css"}
PROOF_DPI = 110
LOOPBACK = ("localhost", "127.0.0.1", "[::1]")


@dataclass
class PageView:
    """One page as the browser sees it: the last proof, and the last error if newer.

    The proof is the last good build's, or the draft proof of a page that does not fit.
    """

    id: str
    directory: Path
    number: int | None = None  # 版次, once a build has read it
    version: int = 0  # builds, good or not
    shown: int = 0  # proofs made, good or draft: the proof's version
    draft: bool = False  # the proof is a draft: the page does not fit
    png: bytes | None = None
    pdf: bytes | None = None
    report: bytes | None = None
    overlay: dict | None = None
    error: str | None = None
    problems: list[dict] = field(default_factory=list)
    layout: Layout | None = None  # as last composed (a draft's, if it did not fit): edits act on it
    desk: Desk | None = None  # its make-up: the layout file it is built with, and its versions
    # kept between builds: an edit of the make-up sets no line again (cleared on a source's save)
    typesetters: dict[Grid, Typesetter] = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)  # what its last build was given besides the page

    def summary(self) -> dict:
        return {
            "id": self.id,
            "directory": str(self.directory),
            "version": self.version,
            "proof": f"/proof/{self.id}.png?v={self.shown}" if self.png else None,
            "pdf": f"/pdf/{self.id}.pdf" if self.pdf else None,
            "report": f"/report/{self.id}.json" if self.report else None,
            "overlay": self.overlay,
            "error": self.error,
            "problems": self.problems,
            "draft": self.draft,
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
        return f"{self.id}.draft" if self.draft else self.id


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
                desk=Desk(layout_file or directory / LAYOUT_FILE, directory),
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
        pages = self.pages.values()
        desks = [page.desk.file.parent for page in pages if page.desk]
        return list(dict.fromkeys([self.target, STYLES, *(p.directory for p in pages), *desks]))

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

    def rebuild(self, page: PageView) -> None:
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
            page.inputs = {"jumps": jumps, "continued": continued, "layout_in": made_up}
            try:
                result = build(
                    page.directory, options=self.output, typesetter=page.typesetter, **page.inputs
                )
            except (LayoutError, SetupError) as error:
                page.error = str(error)
                page.problems = [
                    {"file": p.file.name if p.file else None, "message": str(p)}
                    for p in error.problems
                ]
                if isinstance(error, FitError) and isinstance(error.draft, Layout):
                    self.show_draft(page, error, error.draft)
            else:
                entry = build_report.built_entry(page.directory, result, [])
                page.png = png_bytes(result.pdf, dpi=PROOF_DPI)
                page.pdf = result.pdf
                page.report = build_report.report_bytes([entry])
                page.overlay = overlay(result, fonts.load_roles())
                page.number = result.page.number
                page.layout = result.layout
                self.rests[here] = result.continuations
                page.error, page.problems, page.draft = None, [], False
                page.shown += 1
            page.version += 1

    def show_draft(self, page: PageView, error: FitError, layout: Layout) -> None:
        """Show the draft proof of a page that does not fit; if it cannot be drawn, the last."""
        try:
            number = load_page(page.directory).number
            draft = draft_of(page.directory, layout)
        except LayoutError:
            return  # the error already says what is wrong with the page
        page.png = png_bytes(draft.pdf, dpi=PROOF_DPI)
        page.pdf = draft.pdf
        page.report = build_report.report_bytes([build_report.failed_entry(page.directory, error)])
        page.overlay = draft_overlay(draft, fonts.load_roles())
        page.draft, page.number, page.layout = True, number, layout
        page.shown += 1


def allowed_hosts(host: str) -> list[str]:
    """The host names a request may be addressed to when the server listens on `host`.

    On a loopback address, the loopback names; on every address (0.0.0.0, ::),
    those and this machine's names; else only `host` itself.
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # a name
        return [host, *LOOPBACK] if host == "localhost" else [host]
    if address.is_unspecified:
        return [*LOOPBACK, socket.gethostname(), socket.getfqdn()]
    named = f"[{address}]" if address.version == 6 else str(address)
    return [named, *LOOPBACK] if address.is_loopback else [named]


def create_app(
    target: Path,
    *,
    output: OutputOptions = DEFAULT,
    watch: bool = True,
    host: str = "127.0.0.1",
    layout_file: Path | None = None,
) -> Starlette:
    """The live proof of `target`, answering requests addressed to `host` (as it listens);
    a page's make-up goes to `layout_file` if given, else to layout.yaml beside it."""
    preview = Preview(target, output, layout_file)
    listeners: set[asyncio.Queue] = set()

    async def rebuild(pages: list[PageView], said: dict | None = None) -> None:
        """Build `pages` in turn, telling every open browser of each; `said` tells them
        which editor's edit it was."""
        for page in pages:
            await asyncio.to_thread(preview.rebuild, page)
            for queue in listeners:
                queue.put_nowait({"id": page.id, "version": page.version, **(said or {})})

    async def watch_sources(stop: asyncio.Event) -> None:
        async for changes in watchfiles.awatch(
            *preview.watched(), **watch_options(), stop_event=stop
        ):
            await rebuild(preview.affected({Path(name) for _, name in changes}))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()

        def end_streams() -> None:
            for queue in listeners:
                queue.put_nowait(None)

        # The server calls this on Ctrl-C: open event streams end, so it can stop.
        app.state.end_streams = lambda: loop.call_soon_threadsafe(end_streams)
        await rebuild(preview.in_order(list(preview.pages.values())))
        stop = asyncio.Event()
        task = asyncio.create_task(watch_sources(stop)) if watch else None
        yield
        stop.set()
        if task is not None:
            await task

    def page_of(request: Request) -> PageView | None:
        return preview.pages.get(request.path_params["id"])

    def served(kind: str, media: str, attribute: str) -> Callable:
        async def endpoint(request: Request) -> Response:
            page = page_of(request)
            data = getattr(page, attribute) if page else None
            if page is None or data is None:
                return Response("not found", 404)
            headers = {"Cache-Control": "no-store"}
            if kind != "proof":
                headers["Content-Disposition"] = f'attachment; filename="{page.name}.{kind}"'
            return Response(data, media_type=media, headers=headers)

        return endpoint

    async def index(request: Request) -> Response:
        return Response((ASSETS / "index.html").read_bytes(), media_type="text/html")

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSET_TYPES:
            return Response("not found", 404)
        return Response((ASSETS / name).read_bytes(), media_type=ASSET_TYPES[name])

    async def pages(request: Request) -> JSONResponse:
        return JSONResponse(preview.summaries())

    async def events(request: Request) -> StreamingResponse:
        queue: asyncio.Queue = asyncio.Queue()
        listeners.add(queue)

        async def stream() -> AsyncIterator[str]:
            try:
                yield ": connected\n\n"
                while (message := await queue.get()) is not None:
                    yield f"event: page\ndata: {json.dumps(message)}\n\n"
            finally:
                listeners.discard(queue)

        return StreamingResponse(stream(), media_type="text/event-stream")

    routes = [
        Route("/", index),
        Route("/assets/{name}", asset),
        Route("/api/pages", pages),
        Route("/events", events),
        *makeup_routes(preview, rebuild),
        Route("/proof/{id}.png", served("proof", "image/png", "png")),
        Route("/pdf/{id}.pdf", served("pdf", "application/pdf", "pdf")),
        Route("/report/{id}.json", served("json", "application/json", "report")),
    ]
    hosts = Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(host))
    return Starlette(routes=routes, lifespan=lifespan, middleware=[hosts])
