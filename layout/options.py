"""What kind of PDF a build makes, as one value from the command line down to render.

The same `OutputOptions` travels unchanged through a page build, an edition,
a batch, the live proof and the cache key, so an option added here reaches
all of them.  The targets are one registry: the command line's spellings, the
WeasyPrint variant each asks for and what the preflight holds it to.
"""

from __future__ import annotations

from dataclasses import dataclass

INK_LIMIT = 240.0  # % total area coverage: newsprint presses take 220–260 %
TIME_LIMIT = 120.0  # s a page may take to build


@dataclass(frozen=True)
class Target:
    """A kind of PDF: plain, archival, or one a print plant takes."""

    name: str  # as the command line spells it
    label: str  # as a person reads it
    weasyprint_variant: str | None  # WeasyPrint's pdf_variant
    printing: bool = False  # CMYK, bleed and marks; always preflighted
    rgb: str = "any"  # "any", "calibrated" (X-4: with an output intent) or "none" (X-1a)


SCREEN = Target("screen", "plain PDF", None)
PDFA = Target("pdfa", "PDF/A-3b", "pdf/a-3b")
PDFX_4 = Target("x-4", "PDF/X-4", "pdf/x-4", printing=True, rgb="calibrated")
PDFX_1A = Target("x-1a", "PDF/X-1a", "pdf/x-1a", printing=True, rgb="none")
TARGETS = {target.name: target for target in (SCREEN, PDFA, PDFX_4, PDFX_1A)}
PRINT_TARGETS = tuple(name for name, target in TARGETS.items() if target.printing)


@dataclass(frozen=True)
class OutputOptions:
    """How one page is written; the same for every page of an edition or batch."""

    target: Target = SCREEN
    preflight: bool = False  # asked for; a printing target is preflighted regardless
    ink_limit: float = INK_LIMIT
    time_limit: float | None = TIME_LIMIT

    @classmethod
    def from_flags(
        cls,
        *,
        pdfa: bool = False,
        pdfx: str | None = None,
        preflight: bool = False,
        time_limit: float | None = TIME_LIMIT,
    ) -> OutputOptions:
        """The options the command line's `--pdfa`, `--pdfx [x-4|x-1a]` and `--preflight` say."""
        target = PDFA if pdfa else TARGETS[pdfx] if pdfx else SCREEN
        return cls(target, preflight, time_limit=time_limit)

    @property
    def preflighted(self) -> bool:
        return self.preflight or self.target.printing

    def cache_key(self) -> dict[str, object]:
        """What changes the PDF's bytes (the time limit only decides whether there is one)."""
        return {"target": self.target.name, "preflight": self.preflighted, "ink": self.ink_limit}


DEFAULT = OutputOptions()
