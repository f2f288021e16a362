"""Typed errors: every content problem names where it is and how to fix it.

The command line turns any `LayoutError` into one message and exit code 1;
nothing else about a content problem should ever reach the user as a
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the sources, located as precisely as we know."""

    message: str
    file: Path | None = None
    line: int | None = None
    field: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        what = f"{self.field}: " if self.field else ""
        text = f"{where}{what}{self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class LayoutError(Exception):
    """The page cannot be typeset as asked; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SourceError(LayoutError):
    """The sources are invalid: bad YAML, missing fields or files."""


class FontError(LayoutError):
    """A character no font of its role can draw, or fonts missing."""


class FitError(LayoutError):
    """The copy does not fit the page (overset) or leaves it too empty."""


class OversetError(FitError):
    """More copy than the page holds."""


class UnderfillError(FitError):
    """Too little copy to fill the page."""


class CheckError(LayoutError):
    """The rendered PDF fails a print check read back from it."""


class PreflightError(CheckError):
    """The PDF breaks a print plant's rule (fonts, colour, resolution, ink, sizes)."""


class TimeLimitError(LayoutError):
    """The page took longer to build than it is allowed."""


class SetupError(LayoutError):
    """The machine lacks something the build needs to run (fast)."""
