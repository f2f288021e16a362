"""`--watch`: rebuild as soon as a source or style file is saved, for layout editors.

Editors save often and editors' tools save oddly (temporary files, several
events per save), so changes are gathered for a moment and filtered: hidden
files (our own atomic writes and the cache among them) and anything under
the output never trigger a build.  An edition rebuild goes through the cache,
so only the page that changed is typeset again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import watchfiles

DEBOUNCE_MS = 150  # one save often arrives as several events


def is_source_change(path: Path, ignore: tuple[Path, ...]) -> bool:
    if any(part.startswith(".") for part in path.parts) or path.name.endswith("~"):
        return False
    return not any(path.is_relative_to(place) for place in ignore)


def watch_options(ignore: tuple[Path, ...] = ()) -> dict[str, Any]:
    """How `watch` and the live proof's server listen: the filter and the debounce."""
    ignore = tuple(place.resolve() for place in ignore)
    return {
        "watch_filter": lambda change, name: is_source_change(Path(name), ignore),
        "debounce": DEBOUNCE_MS,
        "step": 50,
    }


def watch(
    paths: list[Path],
    rebuild: Callable[[set[Path]], object],
    *,
    ignore: tuple[Path, ...] = (),
    stop: threading.Event | None = None,
) -> None:
    """Call `rebuild` with the changed files after each save, until `stop` is set."""
    for changes in watchfiles.watch(*paths, **watch_options(ignore), stop_event=stop):
        rebuild({Path(name) for _, name in changes})
