"""Colour spaces as a content stream names them, and the ink a colour puts on paper.

`resolve_space` follows a name through the resources' /ColorSpace (and a
device space to the Default space they map it to) down to a `Space` that
says what family it is, and `total_ink`, `image_ink` and `function_ends`
measure the ink of a colour, an image's pixels and a shading's ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pikepdf

from .geometry import as_numbers

MAX_DEPTH = 24  # nested colour spaces, functions, forms and patterns
PROCESS_COLORANTS = frozenset({"Cyan", "Magenta", "Yellow", "Black"})
NO_INK = "None"
EVERY_INK = "All"  # registration: every plate of the press


@dataclass(frozen=True)
class Space:
    name: str  # as the report names it
    family: str  # gray rgb cmyk lab separation devicen indexed pattern other
    device: bool = False  # DeviceGray/RGB/CMYK used as such
    colorants: tuple[str, ...] = ()
    base: Space | None = None  # of Indexed and uncoloured Pattern spaces
    palette: bytes = b""  # Indexed


GRAY = Space("DeviceGray", "gray", device=True)
DEVICE = {
    "/DeviceGray": GRAY,
    "/G": GRAY,
    "/DeviceRGB": Space("DeviceRGB", "rgb", device=True),
    "/RGB": Space("DeviceRGB", "rgb", device=True),
    "/DeviceCMYK": Space("DeviceCMYK", "cmyk", device=True),
    "/CMYK": Space("DeviceCMYK", "cmyk", device=True),
}
DEFAULTS = {"gray": "/DefaultGray", "rgb": "/DefaultRGB", "cmyk": "/DefaultCMYK"}
ICC_FAMILIES = {1: "gray", 3: "rgb", 4: "cmyk"}
CALIBRATED = {"/CalGray": "gray", "/CalRGB": "rgb", "/CalCMYK": "cmyk", "/Lab": "lab"}


def entry(obj: Any, key: str) -> Any:
    """`obj`'s `key`, or None where a malformed file has no dictionary to look in."""
    if obj is None:
        return None
    try:
        return obj.get(key)
    except (AttributeError, TypeError, ValueError):
        return None


def resolve_space(obj: Any, resources: Any, depth: int = 0) -> Space:
    """The colour space `obj` names or is, through the resources' /ColorSpace."""
    if depth <= MAX_DEPTH and isinstance(obj, pikepdf.Name):
        return _named_space(str(obj), resources, depth)
    if depth <= MAX_DEPTH and isinstance(obj, pikepdf.Array) and len(obj) > 0:
        return _array_space(obj, resources, depth)
    return Space(str(obj), "other")


def _named_space(key: str, resources: Any, depth: int) -> Space:
    if key in DEVICE:
        return device_space(DEVICE[key], resources)
    if key == "/Pattern":
        return Space("Pattern", "pattern")
    named = entry(entry(resources, "/ColorSpace"), key)
    return Space(key[1:], "other") if named is None else resolve_space(named, resources, depth + 1)


def device_space(space: Space, resources: Any) -> Space:
    """A device space, or the Default space the resources map it to (PDF 8.6.5.6)."""
    default = entry(entry(resources, "/ColorSpace"), DEFAULTS[space.family])
    if not isinstance(default, pikepdf.Array) or len(default) < 2:
        return space
    return _array_space(default, None, MAX_DEPTH)


def _array_space(obj: Any, resources: Any, depth: int) -> Space:
    kind = str(obj[0])
    if len(obj) == 1:
        return resolve_space(obj[0], resources, depth + 1)
    if kind in CALIBRATED:
        return Space(kind[1:], CALIBRATED[kind])
    make = ARRAY_SPACES.get(kind)
    return Space(kind[1:], "other") if make is None else make(obj, resources, depth + 1)


def _icc_space(obj: Any, resources: Any, depth: int) -> Space:
    family = ICC_FAMILIES.get(int(obj[1].get("/N", 0)), "other")
    return Space(f"ICCBased {family.upper() if family != 'gray' else 'Gray'}", family)


def _indexed_space(obj: Any, resources: Any, depth: int) -> Space:
    base = resolve_space(obj[1], resources, depth)
    lookup = obj[3] if len(obj) >= 4 else b""
    table = lookup.read_bytes() if isinstance(lookup, pikepdf.Stream) else bytes(lookup)
    return Space(f"Indexed {base.name}", "indexed", base=base, palette=table)


def _separation_space(obj: Any, resources: Any, depth: int) -> Space:
    colorant = str(obj[1])[1:]
    return Space(f"Separation {colorant}", "separation", colorants=(colorant,))


def _devicen_space(obj: Any, resources: Any, depth: int) -> Space:
    colorants = tuple(str(name)[1:] for name in obj[1])
    return Space(f"DeviceN ({', '.join(colorants)})", "devicen", colorants=colorants)


def _pattern_space(obj: Any, resources: Any, depth: int) -> Space:
    return Space("Pattern", "pattern", base=resolve_space(obj[1], resources, depth))


ARRAY_SPACES = {
    "/ICCBased": _icc_space,
    "/Indexed": _indexed_space,
    "/I": _indexed_space,
    "/Separation": _separation_space,
    "/DeviceN": _devicen_space,
    "/Pattern": _pattern_space,
}


def image_space(info: Any, source: Any, resources: Any) -> Space | None:
    """An image's colour space: its own entry, or what a JPEG 2000 codestream says."""
    space = info.get("/ColorSpace")
    if space is not None:
        return resolve_space(space, resources)
    if isinstance(source, pikepdf.Stream) and "/JPXDecode" in str(info.get("/Filter", "")):
        try:  # the JPEG 2000 codestream carries its own, almost always sRGB or CMYK
            mode = pikepdf.PdfImage(source).mode
        except (pikepdf.PdfError, NotImplementedError, ValueError):
            return None
        family = {"RGB": "rgb", "CMYK": "cmyk", "L": "gray"}.get(mode)
        return Space(f"JPX {mode}", family) if family else None
    return None


def total_ink(space: Space, values: Sequence[float]) -> float | None:
    """Total ink of a colour in %, or None if `space` is not printed in inks."""
    if space.family == "cmyk" and len(values) >= 4:
        return sum(min(max(v, 0.0), 1.0) for v in values[:4]) * 100
    if space.family in ("separation", "devicen"):
        weights = [0 if c == NO_INK else 4 if c == EVERY_INK else 1 for c in space.colorants]
        return sum(w * min(max(v, 0.0), 1.0) for w, v in zip(weights, values, strict=False)) * 100
    if space.family == "indexed" and space.base is not None and values:
        n = {"cmyk": 4, "separation": 1, "devicen": len(space.base.colorants)}.get(
            space.base.family
        )
        if n is None:
            return None
        index = int(values[0])
        sample = space.palette[index * n : (index + 1) * n]
        return total_ink(space.base, [b / 255 for b in sample]) if len(sample) == n else None
    if space.family == "pattern" and space.base is not None:
        return total_ink(space.base, values)
    return None


def image_ink(image: Any, limit: float) -> tuple[float, float] | None:
    """(highest total ink %, share of pixels over `limit` in %) of a CMYK image.

    Pillow reads every CMYK JPEG with Adobe's inverted polarity; the PDF means
    the stored samples, mapped by /Decode (Adobe's inverted JPEGs carry
    [1 0 1 0 1 0 1 0]), so a DCT image is inverted back before /Decode applies.
    """
    try:
        pim = image if isinstance(image, pikepdf.PdfInlineImage) else pikepdf.PdfImage(image)
        pil = pim.as_pil_image(apply_decode_array=False, apply_mask=False)
    except (
        pikepdf.PdfError,
        pikepdf.UnsupportedImageTypeError,
        pikepdf.DecompressionBombError,
        NotImplementedError,
        ValueError,
        OSError,
    ):
        return None  # a stream that cannot be decoded has no ink to measure here
    try:
        if pil.mode != "CMYK":
            return None
        samples = np.asarray(pil)
    finally:
        pil.close()
    decode = as_numbers(pim.obj.get("/Decode") or [])
    ranges = [
        (decode[2 * i], decode[2 * i + 1]) if len(decode) >= 8 else (0.0, 1.0) for i in range(4)
    ]
    if "/DCTDecode" in [str(f) for f in pim.filters]:
        ranges = [(high, low) for low, high in ranges]
    total = np.zeros(samples.shape[:2], dtype=np.float32)
    for channel, (low, high) in enumerate(ranges):
        total += np.clip(low + (high - low) * samples[..., channel] / np.float32(255), 0, 1)
    total *= 100
    highest = float(total.max()) if total.size else 0.0
    over = float(np.count_nonzero(total > limit + 0.5) / total.size * 100) if total.size else 0.0
    return highest, over


def function_ends(function: Any, depth: int = 0) -> list[list[float]]:
    """The colours at the ends of a shading's type 2 (or type 3 of type 2) function.

    A type 2 function is C0 + x^N (C1 − C0): each component, and so the total
    ink, is monotonic in x, so the extremes are at the ends of the domain.
    """
    if depth > MAX_DEPTH or not isinstance(function, (pikepdf.Dictionary, pikepdf.Stream)):
        return []
    kind = int(function.get("/FunctionType", -1))
    if kind == 3:
        ends: list[list[float]] = []
        for part in function.get("/Functions", []):
            ends += function_ends(part, depth + 1)
        return ends
    if kind != 2:
        return []
    c0 = as_numbers(function.get("/C0", [0]))
    c1 = as_numbers(function.get("/C1", [1]))
    exponent = float(function.get("/N", 1))
    domain = as_numbers(function.get("/Domain", [0, 1])) or [0.0, 1.0]
    out = []
    for x in (domain[0], domain[-1]):
        try:
            t = max(x, 0.0) ** exponent
        except (OverflowError, ZeroDivisionError):
            continue
        out.append([a + t * (b - a) for a, b in zip(c0, c1, strict=False)])
    return out
