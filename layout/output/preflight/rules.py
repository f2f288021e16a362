"""A print plant's rules over what the walker reports, each one broken a `Finding`.

The limits are the plant's (`MIN_PPI`, `MIN_TEXT` and the rest, and the
target's colour rules in `_colour_problem`); what a page draws, and with what
size, width, colour and pixels, is the walker's to say.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pikepdf

from ...errors import Severity
from ...options import Target
from ...verify.pdfread import has_font_file
from .colour import (
    EVERY_INK,
    NO_INK,
    PROCESS_COLORANTS,
    Space,
    function_ends,
    image_ink,
    total_ink,
)
from .geometry import bands, min_scale, x_scale, y_scale
from .report import Finding, Findings, num
from .walker import (
    ColourUsed,
    Event,
    FontSelected,
    FormEntered,
    ImageDrawn,
    PageBegun,
    PathPainted,
    ShadingPainted,
    TextShown,
)

MIN_PPI = 150.0  # error under
GOOD_PPI = 200.0  # warning under
MIN_TEXT = 6.0  # pt
MIN_LINE = 0.1  # pt
DECORATION_PX = 16  # images narrower or shorter than this are not photos
# styles/draft.css's overlay colour, #FF00FF: only a draft proof draws it, never a page
DRAFT_OVERLAY = (1.0, 0.0, 1.0)
DRAFT_FINDING = ("#FF00FF", "never printed")  # value, limit
SET_BY_SPACE = {"sc": "cs", "scn": "cs", "SC": "CS", "SCN": "CS"}  # cs then scn: one colour


class PlantRules:
    """The plant's rules, told what each page draws (a walker's `Listener`)."""

    def __init__(self, target: Target | None, ink_limit: float) -> None:
        self.target = target
        self.ink_limit = ink_limit
        self.findings = Findings()
        self.page = 0
        self.fonts_seen: set = set()  # on this page: each font looked at once
        self.inks: dict = {}  # image (objid, gen) → its ink, decoded once per document

    def see(self, event: Event) -> None:
        match event:
            case PageBegun():
                self.page, self.fonts_seen = event.number, set()
                if event.group is not None:
                    self.colour("page transparency group", event.group)
            case FontSelected():
                self.font(event.font, event.owner)
            case TextShown():
                self.text(event)
            case PathPainted():
                if event.stroked:
                    self.hairline_stroke(event)
                if event.filled and event.rects:
                    self.thin_fill(event)
            case ColourUsed():
                self.colour_used(event)
            case ShadingPainted():
                self.shading(event)
            case FormEntered():
                if event.group is not None:
                    where = f"transparency group of {event.label}{event.where}"
                    self.colour(where, event.group)
            case ImageDrawn():
                self.image(event)

    def add(
        self,
        check: str,
        element: str,
        value: str,
        limit: str,
        *,
        badness: float = 0.0,
        severity: Severity = "error",
        per_value: bool = False,
    ) -> None:
        finding = Finding(severity, check, self.page, element, value, limit)
        self.findings.add(finding, badness=badness, per_value=per_value)

    def colour(self, element: str, space: Space) -> None:
        problem = _colour_problem(space, self.target)
        if problem is not None:
            self.add(problem[0], element, space.name, problem[1], per_value=True)

    def ink(self, element: str, total: float | None, detail: str = "") -> None:
        if self.target is None or total is None or total <= self.ink_limit + 0.5:
            return
        self.add(
            "total-ink",
            element,
            f"{num(total)} %{detail}",
            f"{num(self.ink_limit)} %",
            badness=total,
        )

    def font(self, font: Any, owner: str) -> None:
        key = font.objgen if font.is_indirect else id(font)
        if key in self.fonts_seen:
            return
        self.fonts_seen.add(key)
        if not _embedded(font):
            self.add(
                "font-not-embedded",
                f"font {_font_name(font)}" + (f" in {owner}" if owner else ""),
                "not embedded",
                "FontFile, FontFile2 or FontFile3",
            )

    def text(self, shown: TextShown) -> None:
        if shown.size < MIN_TEXT - 0.005:
            font = _font_name(shown.font) if shown.font is not None else "no font"
            self.add(
                "small-text",
                f"text in font {font}{shown.where}",
                f"{num(shown.size)} pt",
                f"{num(MIN_TEXT)} pt",
                badness=-shown.size,
            )

    def hairline_stroke(self, path: PathPainted) -> None:
        width = abs(path.line_width) * min_scale(path.ctm)
        if width >= MIN_LINE - 1e-6:
            return
        value = f"{num(width)} pt" if width > 0 else "0 pt (the device's thinnest line)"
        self.add(
            "hairline",
            f"stroke ({path.op}){path.where}",
            value,
            f"{num(MIN_LINE)} pt",
            badness=-width,
        )

    def thin_fill(self, path: PathPainted) -> None:
        """A filled rectangle, or the frame between two (a CSS border), under 0.1 pt.

        WeasyPrint draws every CSS border and rule as a filled shape, never a stroke.
        """
        ctm = path.ctm
        det = abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])
        if det == 0:
            return
        # a distance across horizontal edges scales by det / |x axis|, across vertical ones
        # by det / |y axis|
        heights, widths, framed = bands(path.rects, even_odd=path.even_odd)
        across = [h * det / x_scale(ctm) for h in heights] + [
            w * det / y_scale(ctm) for w in widths
        ]
        thin = [w for w in across if 1e-6 < w < MIN_LINE - 1e-6]
        if thin:
            shape = "frame" if framed else "rectangle"
            self.add(
                "hairline",
                f"filled {shape} (re … {path.op}){path.where}",
                f"{num(min(thin))} pt",
                f"{num(MIN_LINE)} pt",
                badness=-min(thin),
            )

    def colour_used(self, used: ColourUsed) -> None:
        side = "stroke" if used.stroke else "fill"
        self.colour(f"{side} colour ({SET_BY_SPACE.get(used.op, used.op)}){used.where}", used.space)
        if used.values is None:
            return
        if _draft_overlay(used.space, used.values):
            self.add("draft-overlay", f"{side} colour ({used.op}){used.where}", *DRAFT_FINDING)
        ink = total_ink(used.space, used.values)
        if ink is not None:
            shown = " ".join(num(v) for v in used.values)
            self.ink(f"{side} colour {used.space.name} {shown} ({used.op}){used.where}", ink)

    def shading(self, shading: ShadingPainted) -> None:
        label = (
            f"shading pattern {shading.name}" if shading.pattern else f"shading {shading.name} (sh)"
        )
        element = label + shading.where
        self.colour(element, shading.space)
        ends = function_ends(shading.function) if shading.function is not None else []
        if any(_draft_overlay(shading.space, end) for end in ends):
            self.add("draft-overlay", element, *DRAFT_FINDING)
        if shading.function is not None and self.target is not None:
            inks = [total_ink(shading.space, end) for end in function_ends(shading.function)]
            self.ink(element, max((i for i in inks if i is not None), default=None))

    def image(self, image: ImageDrawn) -> None:
        label = "inline image" if image.name is None else f"image {image.name}"
        element = f"{label} ({image.width}×{image.height} px){image.where}"
        if image.space is not None and not image.uncoloured:
            self.colour(element, image.space)
        if min(image.width, image.height) >= DECORATION_PX:
            self.resolution(element, image)
        if self.target is not None and image.space is not None and image.space.family == "cmyk":
            self.image_ink(element, image.source)

    def resolution(self, element: str, image: ImageDrawn) -> None:
        placed_x, placed_y = image.placed
        if placed_x <= 0 or placed_y <= 0:
            return
        ppi = min(image.width * 72 / placed_x, image.height * 72 / placed_y)
        if ppi >= GOOD_PPI - 0.5:
            return
        severity: Severity
        severity, limit = ("error", MIN_PPI) if ppi < MIN_PPI - 0.5 else ("warning", GOOD_PPI)
        self.add(
            "image-resolution",
            element,
            f"{ppi:.0f} ppi",
            f"{limit:.0f} ppi",
            badness=-ppi,
            severity=severity,
        )

    def image_ink(self, element: str, source: Any) -> None:
        if isinstance(source, pikepdf.PdfInlineImage):
            found = image_ink(source, self.ink_limit)
        else:
            key = source.objgen
            if key not in self.inks:
                self.inks[key] = image_ink(source, self.ink_limit)
            found = self.inks[key]
        if found is not None:
            highest, share = found
            shown = num(share) if share >= 0.01 else "<0.01"  # a few JPEG-noise pixels
            self.ink(element, highest, f" on {shown} % of pixels")


def _draft_overlay(space: Space, values: Sequence[float]) -> bool:
    """Whether a colour is the draft proof's overlay, in whichever target: never printed."""
    return (
        space.family == "rgb"
        and len(values) == 3
        and all(abs(v - d) < 0.002 for v, d in zip(values, DRAFT_OVERLAY, strict=True))
    )


def _colour_problem(space: Space, target: Target | None) -> tuple[str, str] | None:
    """(check, limit) if `space` may not be printed for `target`."""
    if target is None:
        return None
    if space.base is not None:
        return _colour_problem(space.base, target)
    if space.family in ("separation", "devicen"):
        spot = not set(space.colorants) <= PROCESS_COLORANTS | {NO_INK, EVERY_INK}
        return ("spot-colour", "a 4-colour (CMYK) press") if spot else None
    if target.rgb == "none":
        forbidden = space.family in ("rgb", "lab")
    else:  # PDF/X-4 takes calibrated RGB and Lab: the output intent says how to separate them
        forbidden = space.family == "rgb" and space.device
    return ("rgb-colour", target.label) if forbidden else None


def _font_name(font: Any) -> str:
    subtype = str(font.get("/Subtype", "/Font"))[1:]
    descendants = font.get("/DescendantFonts")
    if descendants is not None and len(descendants):
        subtype += "/" + str(descendants[0].get("/Subtype", "/Font"))[1:]
    return f"{str(font.get('/BaseFont', '/unnamed'))[1:]} ({subtype})"


def _embedded(font: Any) -> bool:
    """Type3 glyphs are content streams of the PDF itself; other fonts need their program."""
    return font.get("/Subtype") == "/Type3" or has_font_file(font)
