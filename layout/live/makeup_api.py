"""The make-up over HTTP: edits, undo and redo, and how a module sets in a slot being tried.

    POST /api/layout/<page id>             one edit (`makeup.parse_edit`), then the page rebuilt
    POST /api/layout/<page id>/undo|redo   the layout file's previous or next version, rebuilt
    GET  /api/fit/<page id>?article=&columns=&lines=
                                           the module in such a slot (`compose/probe.py`)

An edit refused gets 400 with the reason and writes nothing.  Every open
browser hears of an edit through the event stream, with the editor who made
it (the `X-Editor` name each tab sends), so that the others can say the page
changed under them: the last edit wins.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Coroutine
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..compose.probe import slot_fit
from ..typeset import fonts
from .makeup import MAX_EDIT_BYTES, Edit, EditError, file_name, parse_edit

if TYPE_CHECKING:
    from .preview import PageView, Preview

Rebuild = Callable[
    ["list[PageView]", "dict | None", "asyncio.Event | None"], Coroutine[Any, Any, None]
]
EDITOR = re.compile(r"[A-Za-z0-9-]{1,40}")  # a tab's name for itself: nothing else is echoed


def makeup_routes(preview: Preview, rebuild: Rebuild) -> list[Route]:
    building: set[asyncio.Task] = set()  # rebuilds whose checks go on after the answer

    async def edit(request: Request) -> Response:
        page = preview.pages.get(request.path_params["id"])
        step = request.path_params.get("step")
        if page is None or page.proof is None or page.desk is None:
            return Response("not found", 404)
        if step not in (None, "undo", "redo"):
            return Response("not found", 404)
        page.desk.changed_outside()  # a hand edit the watcher did not see is a version too
        try:
            if step is None:
                change = parse_edit(await _limited_body(request))
                page.desk.apply(change, page.proof.layout)
                said = _said(change)
            else:
                page.desk.step(back=step == "undo")
                said = step
        except EditError as error:
            return Response(str(error), 400, media_type="text/plain")
        # answered once the new proof is shown: its check, and the pages it jumps to, go on
        shown = asyncio.Event()
        said_by = {"editor": _editor(request), "edit": said}
        task = asyncio.create_task(rebuild(preview.in_order([page]), said_by, shown))
        building.add(task)
        task.add_done_callback(building.discard)
        await shown.wait()
        return JSONResponse(next(s for s in preview.summaries() if s["id"] == page.id))

    async def fit(request: Request) -> Response:
        page = preview.pages.get(request.path_params["id"])
        if page is None or page.proof is None:
            return Response("not found", 404)
        grid = page.proof.layout.grid
        query = request.query_params
        try:
            name = file_name(query.get("article"), "article")
            columns = _whole(query.get("columns"), "columns", grid.columns)
            rows = _whole(query.get("lines"), "lines", grid.rows)
            if name is None:
                raise EditError("article is an article's file name, e.g. 03-kejiju.md")
        except EditError as error:
            return Response(str(error), 400, media_type="text/plain")

        composed = page.proof.page

        def measure() -> dict | None:
            with preview.lock:  # the typesetters are the builds'
                ts = page.typesetter(fonts.load_roles(), grid)
                try:
                    found = slot_fit(composed, ts, name, columns, rows)
                except KeyError:
                    return None
                return {**asdict(found), "fits": found.fits}

        measured = await asyncio.to_thread(measure)
        if measured is None:
            return Response(f"{name} is not a module of this page", 400, media_type="text/plain")
        return JSONResponse(measured)

    return [
        Route("/api/layout/{id}", edit, methods=["POST"]),
        Route("/api/layout/{id}/{step:str}", edit, methods=["POST"]),
        Route("/api/fit/{id}", fit),
    ]


def _whole(value: str | None, key: str, most: int) -> int:
    if value is None or not value.isdigit() or not 1 <= int(value) <= most:
        raise EditError(f"{key} is a whole number from 1 to {most}")
    return int(value)


def _said(edit: Edit) -> str:
    """An edit as the other editors are told of it."""
    if edit.action == "swap":
        return f"swap {edit.article} ⇄ {edit.other}"
    return " ".join(filter(None, (edit.action, edit.article)))


def _editor(request: Request) -> str | None:
    name = request.headers.get("X-Editor", "")
    return name if EDITOR.fullmatch(name) else None


async def _limited_body(request: Request) -> bytes:
    """The request's body, read no further than an edit may be long."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_EDIT_BYTES:
            raise EditError(f"an edit is at most {MAX_EDIT_BYTES} bytes")
    return body
