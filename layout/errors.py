"""Diagnostics: every problem names where it is, how bad it is and how to fix it.

The command line turns a `LayoutError` (the content cannot be typeset as
asked) into one message and exit code 1, and a `SetupError` (this machine
lacks something every build needs) into another and exit code 3; nothing
else should ever reach the user as a traceback.  Warnings travel with a
build that succeeded and are printed and reported the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

# C0 and C1 control characters, shown as \x1b: a file name cannot recolour, move or
# clear the terminal it is printed to, or forge a line of the message.
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}
# A message keeps its own line breaks and tabs.
_MESSAGE_CONTROLS = {**_CONTROLS, ord("\n"): "\n", ord("\t"): "\t"}


def shown(text: object) -> str:
    """`text` (a path, a field, a name) with every control character escaped."""
    return str(text).translate(_CONTROLS)


def _shown_message(text: str) -> str:
    return text.translate(_MESSAGE_CONTROLS)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the sources, located as precisely as we know."""

    message: str
    file: Path | None = None
    line: int | None = None
    field: str | None = None
    hint: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = shown(self.file)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        what = f"{shown(self.field)}: " if self.field else ""
        warning = "warning: " if self.severity == "warning" else ""
        text = f"{where}{warning}{what}{_shown_message(self.message)}"
        if self.hint:
            text += f"\n    fix: {_shown_message(self.hint)}"
        return text


class ProblemsError(Exception):
    """Carries every problem found, so one run reports them all."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # rebuilt from its problems when it crosses a process boundary
        return type(self), (self.problems,)


class LayoutError(ProblemsError):
    """The page cannot be typeset as asked: the author or editor can fix it."""


class SourceError(LayoutError):
    """The sources are invalid: bad YAML, missing fields or files."""


class FontError(LayoutError):
    """A character no font of its role can draw, or fonts missing."""


class FitError(LayoutError):
    """The copy does not fit the page (overset) or leaves it too empty.

    `draft` is the best arrangement found (a `model.layout.Layout` marked draft),
    for the draft proof; None where no arrangement could be drawn at all.
    """

    draft: object | None = None


class OversetError(FitError):
    """More copy than the page holds."""


class UnderfillError(FitError):
    """Too little copy to fill the page."""


class CheckError(LayoutError):
    """The rendered PDF fails a print check read back from it."""


class RenderError(CheckError):
    """WeasyPrint could not draw something the page asks for (it logged an error)."""


class PreflightError(CheckError):
    """The PDF breaks a print plant's rule (fonts, colour, resolution, ink, sizes)."""


class TimeLimitError(LayoutError):
    """The page took longer to build than it is allowed."""


class SetupError(ProblemsError):
    """The machine lacks something every build needs (fonts, fontconfig, the subsetter).

    Not a content problem: no page can build until the machine is fixed, so an
    edition stops at the first one instead of failing every page with it.
    """
