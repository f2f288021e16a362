"""Ad artwork written on demand for tests: PDF, PNG and SVG files of a given booked size.

Nothing here is committed as a binary: each helper writes its file where the
test asks, the same bytes every time.  The PDF ad has what a placed ad must
keep and what the readers check: a CMYK (or RGB) background over its trim and
bleed, a cyan marker in its top-left corner (to tell its orientation on the
page) and the client's name as real text in an embedded CJK TrueType font
(or, `embed=False`, in Helvetica left unembedded, which a plant refuses).
"""

from __future__ import annotations

import functools
import io
import subprocess
from pathlib import Path

import pikepdf
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

MM = 72 / 25.4
CLIENT = "河套农商银行"
LATIN_CLIENT = "Hetao Bank"
CJK_FONT = "AdCJK"
# colours as (C, M, Y, K) and the RGB the RGB variant draws instead
BACKGROUND = ((0.0, 0.05, 0.2, 0.0), (1.0, 0.95, 0.8))
TEXT = ((0.0, 0.9, 0.85, 0.1), (0.85, 0.1, 0.1))
MARKER = ((1.0, 0.0, 0.0, 0.0), (0.0, 0.6, 0.9))  # the top-left corner: cyan
MARKER_SHARE = 0.1  # of the ad's shorter side


def pdf_ad(
    path: Path,
    width_mm: float,
    height_mm: float,
    text: str | None = None,
    *,
    cmyk: bool = True,
    pages: int = 1,
    embed: bool = True,
    rotate: int = 0,
    bleed_mm: float = 0.0,
    background: tuple[float, float, float, float] | None = None,
) -> Path:
    """A PDF ad whose trim box is `width_mm` × `height_mm` as displayed.

    `text` (default: a Chinese client's name, or a Latin one with `embed=False`)
    is centred in an embedded CJK TrueType font, or in unembedded Helvetica.
    `cmyk=False` paints in DeviceRGB.  `rotate` (a multiple of 90) stores the
    page turned by that much with /Rotate saying so, as some exports do, so it
    displays upright; `bleed_mm` extends the background past the trim box;
    `background` overrides the background's CMYK (an ink test's rich black; CMYK only).
    """
    text = text if text is not None else (CLIENT if embed else LATIN_CLIENT)
    width, height, bleed = width_mm * MM, height_mm * MM, bleed_mm * MM
    media = (width + 2 * bleed, height + 2 * bleed)
    stored = media if rotate % 180 == 0 else media[::-1]
    font = _cjk_font() if embed else "Helvetica"
    out = io.BytesIO()
    # reportlab selects its initial font on every page: it must be the font drawn with
    canvas = Canvas(out, pagesize=stored, invariant=True, initialFontName=font)
    for _ in range(pages):
        canvas.saveState()
        canvas.transform(*_upright(rotate % 360, *stored))
        _draw(canvas, (width, height, bleed), text, font, cmyk=cmyk, background=background)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    with pikepdf.open(io.BytesIO(out.getvalue())) as document:
        for page in document.pages:
            # in the stored page's space, as every box is
            page.obj.TrimBox = pikepdf.Array([bleed, bleed, stored[0] - bleed, stored[1] - bleed])
            page.obj.BleedBox = pikepdf.Array([0, 0, *stored])
            if rotate % 360:
                page.obj.Rotate = rotate % 360
        document.save(path, deterministic_id=True)
    return path


def png_ad(path: Path, width_px: int, height_px: int, rgb: bool = True) -> Path:
    """A PNG ad: a coloured background with a darker band, RGB or greyscale."""
    mode, background, band = ("RGB", (250, 235, 200), (200, 30, 30)) if rgb else ("L", 235, 60)
    image = Image.new(mode, (width_px, height_px), background)
    image.paste(band, (0, height_px // 3, width_px, 2 * height_px // 3))
    image.save(path, format="PNG")
    return path


def svg_ad(path: Path, width_mm: float, height_mm: float, text: str = LATIN_CLIENT) -> Path:
    """An SVG ad of `width_mm` × `height_mm`: a rectangle and a line of text, sized in mm."""
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_mm}mm" height="{height_mm}mm"'
        f' viewBox="0 0 {width_mm} {height_mm}">'
        f'<rect width="{width_mm}" height="{height_mm}" fill="#fbe9c8"/>'
        f'<text x="{width_mm / 2}" y="{height_mm / 2}" font-size="{height_mm / 5}"'
        f' text-anchor="middle" fill="#c81e1e">{text}</text></svg>',
        encoding="utf-8",
    )
    return path


def _upright(rotate: int, width: float, height: float) -> tuple[float, ...]:
    """The matrix that draws upright artwork on a page stored turned by `rotate`.

    A viewer turns the stored page clockwise by /Rotate; this turns the drawing
    the other way, so the two cancel.
    """
    return {
        0: (1, 0, 0, 1, 0, 0),
        90: (0, 1, -1, 0, width, 0),
        180: (-1, 0, 0, -1, width, height),
        270: (0, -1, 1, 0, 0, height),
    }[rotate]


def _draw(
    canvas: Canvas,
    size: tuple[float, float, float],
    text: str,
    font: str,
    *,
    cmyk: bool,
    background: tuple[float, float, float, float] | None,
) -> None:
    width, height, bleed = size

    def fill(colour: tuple[tuple[float, ...], tuple[float, ...]]) -> None:
        if cmyk:
            canvas.setFillColorCMYK(*colour[0])
        else:
            canvas.setFillColorRGB(*colour[1])

    fill(BACKGROUND if background is None else (background, BACKGROUND[1]))
    canvas.rect(0, 0, width + 2 * bleed, height + 2 * bleed, stroke=0, fill=1)
    side = min(width, height) * MARKER_SHARE
    fill(MARKER)
    canvas.rect(bleed, bleed + height - side, side, side, stroke=0, fill=1)
    fill(TEXT)
    size_pt = min(height * 0.3, width * 0.8 / max(len(text), 1))
    canvas.setFont(font, size_pt)
    canvas.drawCentredString(bleed + width / 2, bleed + height / 2 - size_pt * 0.35, text)


@functools.cache
def _cjk_font() -> str:
    """A CJK TrueType font on this machine, registered with reportlab (which embeds it).

    LXGW WenKai (fonts-lxgw-wenkai, installed by setup.sh) if present: reportlab
    reads .ttf, not the .ttc collections Noto CJK comes in.
    """
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=True
    ).stdout
    files = sorted(line.split(":")[0] for line in listed.splitlines())
    fonts = [f for f in files if f.lower().endswith(".ttf")]
    preferred = [f for f in fonts if "LXGWWenKai-Regular" in f]
    if not (preferred or fonts):
        raise RuntimeError("no CJK TrueType font installed (run setup.sh: fonts-lxgw-wenkai)")
    pdfmetrics.registerFont(TTFont(CJK_FONT, (preferred or fonts)[0]))
    return CJK_FONT


def ad_boxes(pdf: bytes) -> dict[str, tuple[float, float, float, float]]:
    """Each /Ad form's box on page 1 as x, y, width, height in pt from the trim box's top left."""
    boxes = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        trim = page.trimbox
        ctm, saved = pikepdf.Matrix(), []
        for instruction in pikepdf.parse_content_stream(page):
            op, operands = str(instruction.operator), instruction.operands
            if op == "q":
                saved.append(ctm)
            elif op == "Q":
                ctm = saved.pop()
            elif op == "cm":
                ctm = pikepdf.Matrix(*(float(v) for v in operands)) @ ctm
            elif op == "Do" and str(operands[0]).startswith("/Ad"):
                form = page.Resources.XObject[operands[0]]
                box = (pikepdf.Matrix(form.Matrix) @ ctm).transform(
                    pikepdf.Rectangle(*(float(v) for v in form.BBox))
                )
                top = float(trim[3]) - box.ury
                boxes[str(operands[0])[1:]] = (box.llx - float(trim[0]), top, box.width, box.height)
    return boxes
