"""PDF/X for the print plant: CMYK output intent, photos in CMYK under the ink limit, fixed ids.

A plant takes a newspaper page only as PDF/X: WeasyPrint makes the variant
(X-4 by default, X-1a on request); this module supplies what it lacks for a
newspaper: the output intent's ICC profile (ghostscript's SWOP CMYK profile,
installed from Debian's libgs-common by setup.sh, the one CMYK profile the
distribution ships), photos separated to CMYK with a total ink limit for
newsprint, and an XMP DocumentID derived from the page instead of a random
one, so the same sources still give the same bytes.  The print stylesheet
(styles/print.css) turns every colour into CMYK and adds bleed and marks.
"""

from __future__ import annotations

import functools
import io
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import pikepdf
from pikepdf.models import ContentStreamInstructions
from PIL import Image, ImageCms, ImageOps
from weasyprint.pdf.metadata import DocumentMetadata

from ..model.document import Page
from ..options import Target

if TYPE_CHECKING:
    import numpy as np

PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
# sRGB from the same package: what an ad's DeviceRGB means on a CMYK page (render/adart.py)
RGB_PROFILE = PROFILE.with_name("srgb.icc")
# Photos are separated a little under the limit: JPEG's quantisation moves pixels
# by several per cent, and the preflight measures every pixel of the JPEG.
SEPARATION_LIMIT = 225
JPEG_QUALITY = 92
XMP_MM = "{http://ns.adobe.com/xap/1.0/mm/}"


def colour_profile_css() -> str:
    """The @color-profile rule WeasyPrint turns into the output intent.

    `components` is required by WeasyPrint 70 (it fails without it).
    """
    return (
        "@color-profile device-cmyk { src: url(" + PROFILE.as_uri() + "); "
        "components: cyan, magenta, yellow, black }"
    )


def pdf_options(target: Target) -> dict[str, Any]:
    return {"pdf_variant": target.weasyprint_variant, "output_intent": "device-cmyk"}


def stable_document_id(metadata: DocumentMetadata, page: Page) -> None:
    """Replace the random xmpMM:DocumentID that WeasyPrint writes for PDF/X-4.

    The id names the page (paper, date, 版次), which is what it identifies.
    """
    generate = metadata.generate_rdf_metadata
    name = f"{page.paper}/{page.date.isoformat()}/{page.number}"
    document_id = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"

    def stable(*args: object) -> bytes:
        rdf = ET.fromstring(generate(*args))  # WeasyPrint's own output
        for element in rdf.iter(f"{XMP_MM}DocumentID"):
            element.text = document_id
        return ET.tostring(rdf, encoding="utf-8")

    metadata.generate_rdf_metadata = stable


def black_to_k(pdf: bytes) -> bytes:
    """`pdf` with WeasyPrint's own RGB black (crop marks, SVG defaults) painted as K only.

    WeasyPrint draws the marks from an SVG with `stroke="black"` and starts
    every SVG with a black RGB fill; on a CMYK press that is four-colour
    black.  Only exactly 0 0 0 rg/RG is rewritten; any other RGB stays for
    the preflight to report.
    """
    with pikepdf.open(io.BytesIO(pdf)) as document:
        changed = False
        for page in document.pages:
            contents: tuple[pikepdf.Page | pikepdf.Object, ...] = (page, *_forms(page.Resources))
            for content in contents:
                changed |= _rewrite_black(document, content)
        if not changed:
            return pdf
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
        return out.getvalue()


def _forms(resources: pikepdf.Object | None) -> list[pikepdf.Object]:
    found = []
    for xobject in (resources.get("/XObject") or {}).values() if resources else ():
        if xobject.get("/Subtype") == "/Form":
            found += [xobject, *_forms(xobject.get("/Resources"))]
    return found


_K = {"rg": "k", "RG": "K"}


def _rewrite_black(document: pikepdf.Pdf, content: pikepdf.Page | pikepdf.Object) -> bool:
    instructions = pikepdf.parse_content_stream(content)
    rewritten: list[ContentStreamInstructions] = []
    changed = False
    for instruction in instructions:
        name = str(instruction.operator)
        if name in _K and [float(v) for v in instruction.operands] == [0, 0, 0]:
            rewritten.append(
                pikepdf.ContentStreamInstruction([0, 0, 0, 1], pikepdf.Operator(_K[name]))
            )
            changed = True
        else:
            rewritten.append(instruction)
    if changed:
        data = pikepdf.unparse_content_stream(rewritten)
        if isinstance(content, pikepdf.Page):
            content.obj.Contents = document.make_stream(data)
        else:
            content.write(data)
    return changed


def cmyk_photo(data: bytes) -> bytes:
    """A photo separated to CMYK (perceptual, SWOP profile), ink limited, as JPEG.

    Where C+M+Y+K exceeds the limit, cyan, magenta and yellow are scaled down
    and black kept, so shadows stay neutral and detail stays in the K plate.
    """
    import numpy as np  # noqa: PLC0415 (0.2 s to import; only print pages with photos need it)

    with Image.open(io.BytesIO(data)) as source:
        # Turned upright as WeasyPrint turns an RGB photo: the CMYK copy has no EXIF left.
        upright = ImageOps.exif_transpose(source) if "exif" in source.info else source
        rgb = _on_paper(upright)
    transform = _transform()
    cmyk = ImageCms.applyTransform(rgb, transform)
    ink = np.asarray(cmyk, dtype=np.float64) / 255 * 100
    limited = _limit_ink(ink, SEPARATION_LIMIT)
    pixels = np.clip(np.rint(limited / 100 * 255), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels, mode="CMYK").save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def _on_paper(image: Image.Image) -> Image.Image:
    """`image` in RGB, its transparent pixels white as the paper they leave bare.

    A PNG (an ad's logo) is often transparent around its artwork, and what colour
    hides under alpha 0 is anyone's guess: dropped, it is mostly black.
    """
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")


def _limit_ink(ink: np.ndarray, limit: float) -> np.ndarray:
    """Scale C, M, Y of pixels over `limit` (%) so their total is at most the limit."""
    import numpy as np  # noqa: PLC0415 (as in cmyk_photo)

    colour = ink[..., :3].sum(axis=-1)
    black = ink[..., 3]
    room = np.maximum(limit - black, 0)
    over = colour + black > limit
    scale = np.ones_like(colour)
    scale[over] = room[over] / np.maximum(colour[over], 1e-9)
    result = ink.copy()
    result[..., :3] *= scale[..., None]
    return result


@functools.cache
def _transform() -> ImageCms.ImageCmsTransform:
    """sRGB → SWOP CMYK, built once per process (building it costs more than a photo)."""
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"),
        ImageCms.getOpenProfile(str(PROFILE)),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.PERCEPTUAL,
    )
