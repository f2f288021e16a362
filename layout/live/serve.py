"""`build_pdf.py serve DIR`: a live proof of a page or an edition in the browser.

Layout editors fit a page by looking at it, again and again.  This app
builds every page once, then rebuilds a page whenever one of its sources or
a style is saved (watchfiles) or an editor's make-up edit asks
(makeup_api.py), and tells open browsers by server-sent events;
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
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import watchfiles
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..options import DEFAULT, OutputOptions
from ..production.watch import watch_options
from .makeup_api import makeup_routes
from .preview import PageView, Preview

ASSETS = Path(__file__).resolve().parent / "assets"
ASSET_TYPES = {"app.js": "text/javascript", "makeup.js": "text/javascript", "app.css": "text/css"}
LOOPBACK = ("localhost", "127.0.0.1", "[::1]")


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


class Builds:
    """The builds the app runs, and the open browsers it tells of them (event streams)."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.listeners: set[asyncio.Queue] = set()

    def tell(self, page: PageView, said: dict | None, shown: asyncio.Event | None) -> None:
        for queue in self.listeners:
            queue.put_nowait({"id": page.id, "version": page.version, **(said or {})})
        if shown is not None:
            shown.set()

    async def rebuild(
        self, pages: list[PageView], said: dict | None = None, shown: asyncio.Event | None = None
    ) -> None:
        """Build `pages` in turn, telling every open browser of each new proof and of each
        build's end; `said` tells them which editor's edit it was, and `shown` is set once
        the first page's proof is shown or its build has ended without one."""
        loop = asyncio.get_running_loop()
        for page in pages:

            def proof(page: PageView = page, shown: asyncio.Event | None = shown) -> None:
                loop.call_soon_threadsafe(self.tell, page, said, shown)  # from the build's thread

            await asyncio.to_thread(self.preview.rebuild, page, proof)
            self.tell(page, said, shown)
            shown = None


def create_app(
    target: Path,
    *,
    output: OutputOptions = DEFAULT,
    watch: bool = True,
    host: str = "127.0.0.1",
    layout_file: Path | None = None,
) -> Starlette:
    """The live proof of `target`, answering requests addressed to `host` (as it listens);
    a page's make-up goes to `layout_file` if given, else to makeup.yaml beside it."""
    preview = Preview(target, output, layout_file)
    builds = Builds(preview)
    listeners, rebuild = builds.listeners, builds.rebuild

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
            data = getattr(page.proof, attribute) if page and page.proof else None
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
