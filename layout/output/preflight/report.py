"""What a preflight found, as the build prints it and `--report` writes it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ...errors import Problem, Severity
from ...options import INK_LIMIT, TARGETS

MESSAGES = {
    "font-not-embedded": "{element}: {value}, needs {limit}",
    "rgb-colour": "{element} in {value}: not allowed in {limit}",
    "spot-colour": "{element} in {value}: not allowed on {limit}",
    "image-resolution": "{element} at {value}: under {limit}",
    "total-ink": "{element} at {value}: over {limit}",
    "small-text": "{element} at {value}: under {limit}",
    "hairline": "{element} of width {value}: under {limit}",
    "draft-overlay": "{element} in {value}: draft overlay on the page, a draft proof is {limit}",
}


@dataclass(frozen=True)
class Finding:
    severity: Severity
    check: str  # a key of MESSAGES
    page: int  # 1-based
    element: str  # what it is: font, image and its pixels, operator, with the form it is in
    value: str  # what was found, with its unit
    limit: str

    def __str__(self) -> str:
        return f"{self.described()} ({self.severity})"

    def described(self) -> str:
        what = MESSAGES[self.check].format(element=self.element, value=self.value, limit=self.limit)
        return f"page {self.page}: {what}"

    def problem(self, file: Path, hint: str) -> Problem:
        """The finding as the build reports every problem, at the PDF's page directory."""
        return Problem(self.described(), file, field="preflight", hint=hint, severity=self.severity)


@dataclass
class Preflight:
    findings: list[Finding] = field(default_factory=list)
    target: str | None = None
    ink_limit: float = INK_LIMIT
    pages: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def summary(self) -> str:
        what = TARGETS[self.target].label if self.target else "plain PDF"
        head = f"preflight ({what}) of {self.pages} page{'s' if self.pages != 1 else ''}"
        if not self.findings:
            return f"{head}: no findings"
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.check] = counts.get(finding.check, 0) + 1
        checks = ", ".join(f"{check} {count}" for check, count in counts.items())
        return (
            f"{head}: {_plural(len(self.errors), 'error')}, "
            f"{_plural(len(self.warnings), 'warning')} ({checks})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "ink_limit": self.ink_limit,
            "pages": self.pages,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [{**asdict(f), "message": str(f)} for f in self.findings],
        }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def num(x: float) -> str:
    """A measurement as a report prints it: at most two decimals, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class Findings:
    """Findings keyed by (page, check, element[, value]); the worst of each kept."""

    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[float, int, Finding]] = {}

    def add(self, finding: Finding, *, badness: float = 0.0, per_value: bool = False) -> None:
        key = (finding.page, finding.check, finding.element) + (
            (finding.value,) if per_value else ()
        )
        kept = self._kept.get(key)
        if kept is None or badness > kept[0]:
            order = kept[1] if kept else len(self._kept)
            self._kept[key] = (badness, order, finding)

    def sorted(self) -> list[Finding]:
        return [f for _, _, f in sorted(self._kept.values(), key=lambda k: (k[2].page, k[1]))]
