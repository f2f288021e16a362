"""PNG previews of a rendered page, for layout editors and the README."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium

from .write import write_atomically


def png_bytes(pdf: bytes, *, dpi: int = 100) -> bytes:
    """The first page of `pdf` as PNG at `dpi`."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def write_png(pdf: bytes, path: Path, *, dpi: int = 100) -> None:
    write_atomically(path, png_bytes(pdf, dpi=dpi))
