"""A one-line progress display for edition builds on a terminal; silent anywhere else.

CI logs want the final summary, not carriage returns, so the display is on
only when the stream is a terminal (and the user did not ask for --quiet).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from .page_job import PageOutcome


class Progress:
    def __init__(
        self,
        total: int,
        stream: TextIO,
        *,
        quiet: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.enabled = not quiet and stream.isatty()
        self.clock = clock
        self.started = clock()

    def line(self, outcome: PageOutcome) -> str:
        return (
            f"[{self.done}/{self.total}] {outcome.directory.name}: {outcome.status}"
            f" · {self.clock() - self.started:.1f} s elapsed"
        )

    def page_done(self, outcome: PageOutcome) -> None:
        self.done += 1
        if self.enabled:
            self.stream.write("\r\033[K" + self.line(outcome))
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()
