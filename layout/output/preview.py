"""PNG previews of a rendered page, for layout editors and the README."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from ..typeset import fonts
from .write import write_atomically


def png_bytes(pdf: bytes, *, dpi: int = 100) -> bytes:
    """The first page of `pdf` as PNG at `dpi`."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    # Fast compression: `optimize` took 0.7 s a page (the render 0.08 s) for a file
    # 30 % larger; proofs are looked at, not archived.
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def write_png(pdf: bytes, path: Path, *, dpi: int = 100) -> None:
    write_atomically(path, png_bytes(pdf, dpi=dpi))


SHEET_COLUMNS = 4
THUMB_HEIGHT = 480  # px: a page's columns and headlines are still told apart
LABEL_HEIGHT = 36
MARGIN = 24


def contact_sheet(proofs: list[tuple[bytes, str]]) -> bytes:
    """One PNG of every page's proof (PNG bytes, label), in order, four to a row.

    An editor checks an edition's rhythm (where the photos and big headlines
    fall) at a glance; each page is labelled with its 版次.
    """
    thumbs = []
    for png, label in proofs:
        image = Image.open(io.BytesIO(png)).convert("RGB")
        width = round(image.width * THUMB_HEIGHT / image.height)
        thumbs.append((image.resize((width, THUMB_HEIGHT), Image.Resampling.LANCZOS), label))
    cell = max(t.width for t, _ in thumbs) + MARGIN
    columns = min(SHEET_COLUMNS, len(thumbs))
    rows = -(-len(thumbs) // columns)
    sheet = Image.new(
        "RGB",
        (MARGIN + columns * cell, MARGIN + rows * (THUMB_HEIGHT + LABEL_HEIGHT + MARGIN)),
        "#d8d8d8",
    )
    draw = ImageDraw.Draw(sheet)
    face = fonts.load_roles()["sans"].faces[0]
    font = ImageFont.truetype(str(face.file), 22, index=face.index)
    for number, (thumb, label) in enumerate(thumbs):
        x = MARGIN + (number % columns) * cell
        y = MARGIN + (number // columns) * (THUMB_HEIGHT + LABEL_HEIGHT + MARGIN)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + thumb.width, y + THUMB_HEIGHT), outline="#808080")
        draw.text((x, y + THUMB_HEIGHT + 6), label, fill="black", font=font)
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
