"""The masthead's bar code and QR code, drawn with reportlab as inline SVG in K only.

Both symbols are vectors, never a raster, and painted in black ink alone
(`device-cmyk(0 0 0 1)`), so that WeasyPrint puts them on the K plate: a
bar printed in four inks would blur with the slightest misregister.
reportlab takes 0.2 s to import, so only a front page's build loads this.
"""

from __future__ import annotations

import math
import re
from itertools import groupby

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from .masthead import ean13, require_two_digits

MAGNIFICATION = 0.85
"""The EAN-13 is printed at 85 %: newspapers print it small (80 % is the least
GS1 allows), and at 85 % its digits are 6.2 pt, over the 6 pt a plant's
preflight accepts.  X = 0.2805 mm; the main symbol 31.70 × 22.04 mm
(37.29 × 25.93 mm at 100 %)."""

MODULE_MM = 0.33 * MAGNIFICATION  # X, the narrowest bar or space
SYMBOL_HEIGHT_MM = 25.93 * MAGNIFICATION  # bars and the digits under them
BAR_HEIGHT_MM = 22.85 * MAGNIFICATION  # the bars between the guards

# Quiet zones and the add-on gap in modules (ISO/IEC 15420, GS1 General
# Specifications): 11 X left of the EAN-13, a gap of 7 to 12 X before the
# add-on (9 here), 5 X right of it.
LEFT_QUIET = 11
ADDON_GAP = 9
ADDON_RIGHT_QUIET = 5

DIGITS_FONT = "Noto Sans CJK SC"
"""The human-readable digits are SVG text in the `sans` role's family
(fonts/roles.yaml), which setup.sh installs. reportlab centres them with
Helvetica's widths; this family's figures are 0.555 em wide, Helvetica's
0.556 em, so they sit where reportlab put them."""

# reportlab's renderSVG writes the viewBox and the text positions with %d, so the
# symbols are drawn in hundredths of a millimetre to keep that rounding invisible.
UNIT_MM = 0.01

_BLACK = "device-cmyk(0 0 0 1)"

# EAN-2 (ISO/IEC 15420, two-digit add-on symbol): left guard 1011, the first
# digit, the separator 01 and the second digit, each digit in number set A or B
# as the add-on's value mod 4 says: 0 AA, 1 AB, 2 BA, 3 BB.
_EAN2_GUARD = "1011"
_EAN2_SEPARATOR = "01"
_EAN2_SETS = ((0, 0), (0, 1), (1, 0), (1, 1))
_EAN2_MODULES = len(_EAN2_GUARD) + 7 + len(_EAN2_SEPARATOR) + 7


def barcode_svg(issn: str, variant: str, addon: str) -> str:
    """Inline `<svg>` of the EAN-13 of `ean13(issn, variant)` with the two-digit
    add-on `addon` (GB/T 16827 puts the issue's number there), at
    `MAGNIFICATION`, sized in mm.

    reportlab has an EAN-13 widget but only an EAN-5 add-on, so the EAN-2 is
    drawn here as rectangles in the same Drawing. Its bars stand level with the
    feet of the guard bars and its digits sit above them, as on ISSN symbols.
    """
    code = ean13(issn, variant)
    require_two_digits(addon, "add-on")
    module = MODULE_MM / UNIT_MM
    height = SYMBOL_HEIGHT_MM / UNIT_MM
    digit_row = (SYMBOL_HEIGHT_MM - BAR_HEIGHT_MM) / UNIT_MM
    font_size = digit_row / 1.2  # reportlab shortens the bars by 1.2 × the font size
    main = Ean13BarcodeWidget(
        code[:12],  # the widget adds the check digit itself
        barWidth=module,
        barHeight=height,
        fontSize=font_size,
        quiet=False,  # the quiet zones are laid out here, in whole modules
        x=LEFT_QUIET * module,
    )
    start = main.x + main.width + ADDON_GAP * module
    width = start + (_EAN2_MODULES + ADDON_RIGHT_QUIET) * module
    drawing = Drawing(math.ceil(width), math.ceil(height))
    drawing.add(main)
    column = 0
    for dark, run in groupby(_ean2_pattern(addon)):
        count = len(list(run))
        if dark == "1":
            drawing.add(
                Rect(
                    start + column * module,
                    0,
                    count * module,
                    height - digit_row,
                    fillColor=colors.black,
                    strokeColor=None,
                    strokeWidth=0,
                )
            )
        column += count
    drawing.add(
        String(
            start + _EAN2_MODULES * module / 2,
            height - 0.8 * digit_row,
            addon,
            fontName=main.fontName,
            fontSize=font_size,
            fillColor=colors.black,
            textAnchor="middle",
        )
    )
    return _inline(drawing, drawing.width * UNIT_MM, drawing.height * UNIT_MM)


def qr_svg(url: str, size_mm: float) -> str:
    """Inline `<svg>` of a QR code for `url`, `size_mm` square including its
    quiet zone of four modules.

    Error correction level M (15 %) rather than reportlab's L: newsprint
    spreads ink and gets creased. The symbol is drawn one unit per module, so
    adjacent modules share exact edges and print without hairline gaps.
    """
    widget = QrCodeWidget(url, barLevel="M")
    widget.qr.make()
    side = widget.qr.getModuleCount() + 2 * widget.barBorder
    widget.barWidth = widget.barHeight = side
    drawing = Drawing(side, side)
    drawing.add(widget)
    return _inline(drawing, size_mm, size_mm)


def _ean2_pattern(addon: str) -> str:
    """The add-on's modules, 1 a bar and 0 a space."""
    # reportlab's EAN-13 tables: _left[0] is number set A, _left[1] number set B.
    first, second = (
        Ean13BarcodeWidget._left[number_set][int(digit)]
        for number_set, digit in zip(_EAN2_SETS[int(addon) % 4], addon, strict=True)
    )
    return _EAN2_GUARD + first + _EAN2_SEPARATOR + second


def _inline(drawing: Drawing, width_mm: float, height_mm: float) -> str:
    """The drawing as an `<svg>` element for HTML, sized in mm, in black ink only.

    reportlab paints in RGB; every paint it uses here is black, which becomes
    the K plate's `device-cmyk(0 0 0 1)`. It paints no white: the widgets'
    backgrounds are `fill: none`, so the paper shows through.
    """
    svg = renderSVG.drawToString(
        drawing,
        useClip=True,  # no clipPath: the drawing holds nothing outside its box
        fontHacks={Ean13BarcodeWidget.fontName: {"family": f"'{DIGITS_FONT}'"}},
        svgAttrs={"width": f"{width_mm:g}mm", "height": f"{height_mm:g}mm"},
    )
    svg = svg[svg.index("<svg") :].rstrip()  # no XML declaration or doctype inside HTML
    svg = re.sub(r"\s*<title>\.\.\.</title>\s*<desc>\.\.\.</desc>", "", svg)
    svg = svg.replace(' id="group"', "", 1)  # ids would repeat across the page's symbols
    # Inside HTML, WeasyPrint reads `style` with its CSS parser, which knows no SVG
    # properties and warns of each; as attributes only the SVG renderer reads them.
    svg = re.sub(r' style="([^"]*)"', _presentation_attributes, svg)
    return re.sub(r"rgb\((\d+)%,(\d+)%,(\d+)%\)", _black_ink, svg)


def _presentation_attributes(match: re.Match[str]) -> str:
    declarations = (d.split(":", 1) for d in match.group(1).split(";") if d.strip())
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


def _black_ink(match: re.Match[str]) -> str:
    if match.groups() != ("0", "0", "0"):
        raise ValueError(f"the masthead's symbols are black only, not {match.group()}")
    return _BLACK
