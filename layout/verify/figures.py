"""What the check measures of a page: clreq figures per article, and the report they make.

Kept apart from the measuring (`check.py`) so the figures, their limits and
the table the command line prints are read in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from ..errors import Problem
from .pdfread import FontInfo

BANNER = "banner"  # the label of the banner's display lines

# The thresholds of the typography report: past any of them the build fails.
MAX_GAP_EM = 0.5


@dataclass
class Typography:
    """clreq figures for one article's body, measured from glyph positions."""

    lines: int = 0
    justified: int = 0  # non-final lines
    flush: int = 0  # ... ending on both column edges within FLUSH_TOLERANCE
    prohibited: int = 0  # lines starting with a closing mark or ending with an opening one
    split: int = 0  # —— or …… broken across lines
    orphans: int = 0  # a paragraph's last line holding a single character
    widest_gap: float = 0.0  # em between two characters of a line
    spaces_added: int = 0  # spaces between Chinese characters that the source lacks
    mismatched: int = 0  # lines whose text is not the text set there
    display_lines: int = 0  # headings, captions, pull quotes, banner: each line printed
    display_prohibited: int = 0  # ... starting with a closing mark or ending with an opening one

    def failures(self) -> list[str]:
        checks = [
            (self.mismatched, "lines that differ from the source"),
            (self.justified - self.flush, "justified lines not flush"),
            (self.prohibited, "prohibited line starts or ends"),
            (self.display_prohibited, "prohibited display line starts or ends"),
            (self.split, "split dashes or ellipses"),
            (self.orphans, "orphans"),
            (self.spaces_added, "spaces added between Chinese characters"),
        ]
        found = [f"{count} {what}" for count, what in checks if count]
        if self.widest_gap > MAX_GAP_EM + 0.005:
            found.append(f"a gap of {self.widest_gap:.2f} em (limit {MAX_GAP_EM} em)")
        return found

    def add(self, other: Typography) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.widest_gap = max(self.widest_gap, other.widest_gap)


COUNTS = [f.name for f in fields(Typography) if f.name != "widest_gap"]


@dataclass
class Report:
    """What was measured on the page; `problems` are what fails the build."""

    page_size: tuple[float, float]
    fonts: list[FontInfo]
    typography: dict[str, Typography] = field(default_factory=dict)  # per article
    banner: Typography = field(default_factory=Typography)  # its display lines only
    problems: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> Typography:
        total = Typography()
        for figures in (*self.typography.values(), self.banner):
            total.add(figures)
        return total

    def summary(self) -> str:
        width, height = (v * 25.4 / 72 for v in self.page_size)
        embedded = sum(f.embedded and f.subset for f in self.fonts)
        total = self.total
        return (
            f"page {width:.0f}×{height:.0f} mm; {total.lines} body lines, "
            f"{total.flush}/{total.justified} justified lines flush; "
            f"{total.display_lines} display lines, {total.display_prohibited} prohibited; "
            f"{embedded}/{len(self.fonts)} fonts embedded as subsets; "
            f"{len(self.problems)} problems"
        )

    def table(self) -> str:
        """The typography report, one row an article, as the command line prints it."""
        rows: list[tuple[str, ...]] = [
            ("article", "lines", "flush", "prohibited", "split", "orphans", "widest gap",
             "spaces", "display", "display prohibited")
        ]  # fmt: skip
        for label, t in [*self.typography.items(), ("page", self.total)]:
            rows.append(
                (
                    label,
                    str(t.lines),
                    f"{t.flush}/{t.justified}",
                    str(t.prohibited),
                    str(t.split),
                    str(t.orphans),
                    f"{t.widest_gap:.2f} em",
                    str(t.spaces_added),
                    str(t.display_lines),
                    str(t.display_prohibited),
                )
            )
        if self.banner.display_lines:  # the banner has display lines only
            banner = (str(self.banner.display_lines), str(self.banner.display_prohibited))
            rows.insert(1, (BANNER, *["-"] * 7, *banner))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        return "\n".join(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in rows
        )
