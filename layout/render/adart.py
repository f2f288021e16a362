"""PDF ads stamped on the rendered page, as form XObjects, after WeasyPrint.

WeasyPrint cannot place a PDF, so the template leaves a PDF ad's artwork
rectangle empty and this draws the ad's page there: imported whole as a form
XObject, so its vectors, images and embedded fonts are the ad desk's own and
its text stays text.  The form is the page's trim box (bleed and slug are
cut off) turned by its /Rotate, scaled uniformly to fit the booked artwork
rectangle and centred in it.  Load has already held the artwork to within 2 %
of the booking's width:height, so one axis is exact and the other at most
2 % short; scaling each axis to the booking instead would fill the last
points by distorting type and logos, and scaling to the width alone could
overflow the booking's height onto the copy around it.

Each form is the resource /Ad<index> (`form_name`), so the preflight can say
which ad a finding is in (`ad_names`).  The host's output intent must hold
for the ad too: PDF/A's is RGB and PDF/X's CMYK, so an ad painting in the
other device family gets a Default colour space (PDF 8.6.5.6) that says what
its numbers mean, as PDF/A and PDF/X-4 require.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from pathlib import Path

import pikepdf

from ..model.document import Ad
from ..model.layout import PlacedAd
from ..options import PDFX_1A
from ..output.pdfx import PROFILE, RGB_PROFILE

FORM_PREFIX = "Ad"
# a device family an output intent of the other family leaves uncharacterised → its
# Default space and the profile that characterises it
DEFAULT_SPACES = {
    "cmyk": ("/DefaultRGB", "rgb", RGB_PROFILE, 3),
    "rgb": ("/DefaultCMYK", "cmyk", PROFILE, 4),
}
ICC_FAMILIES = {3: "rgb", 4: "cmyk"}


def form_name(ad: Ad) -> str:
    """The ad's form XObject resource on the page, without the slash."""
    return f"{FORM_PREFIX}{ad.index}"


def ad_names(ads: Sequence[PlacedAd]) -> dict[str, str]:
    """Form resource name → the ad's name, for the preflight's findings inside an ad."""
    return {form_name(placed.ad): placed.ad.name for placed in ads if placed.ad.kind == "pdf"}


def rgb_colours(path: Path) -> list[str]:
    """What in the PDF ad at `path` paints in RGB or Lab, as the preflight names it.

    Every colour operator, image, shading and transparency group of its page and
    of the forms and patterns in it: what PDF/X-1a, CMYK only, refuses.
    """
    # the walker (and numpy) cost 0.2 s to import: only PDF/X-1a builds with ads need them
    from ..output.preflight import preflight  # noqa: PLC0415

    found = preflight(path.read_bytes(), PDFX_1A).findings
    return [f"{f.element} in {f.value}" for f in found if f.check == "rgb-colour"]


def place_pdf_ads(pdf: bytes, ads: Sequence[PlacedAd]) -> bytes:
    """`pdf` with each PDF ad of `ads` drawn on its first page at its `art` rectangle.

    Without PDF ads, `pdf` itself.  The bytes depend only on the inputs.
    """
    placed = [ad for ad in ads if ad.ad.kind == "pdf"]
    if not placed:
        return pdf
    with contextlib.ExitStack() as open_files, pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        # WeasyPrint's coordinates start at the trim box's top left (PDF/X adds bleed
        # around it); a plain PDF's trim box is its media box.
        trim = [float(v) for v in page.trimbox]
        default = _default_space(document)  # one profile however many ads need it
        drawn = []
        for ad in placed:
            source = open_files.enter_context(pikepdf.open(ad.ad.file))
            # the source stays open until saved: copied streams read their data from it
            form = document.copy_foreign(source.pages[0].as_form_xobject())
            if default is not None and default[1] in _device_families(source):
                _characterise(form, default[0], default[2])
            name = page.add_resource(
                form, pikepdf.Name.XObject, pikepdf.Name("/" + form_name(ad.ad))
            )
            placement = _placement(form, ad.art, trim).encode().decode("ascii")
            drawn.append(f"q {placement} cm {name} Do Q")
        # WeasyPrint leaves its flipped CTM set: its content is wrapped to draw in user space
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(("Q\n" + "\n".join(drawn) + "\n").encode("ascii"))
        out = io.BytesIO()
        # the version is WeasyPrint's still: its XMP (PDF/A's, PDF/X's) is kept byte for byte
        document.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def _placement(
    form: pikepdf.Object, art: tuple[float, float, float, float], trim: list[float]
) -> pikepdf.Matrix:
    """The cm that fits the form's box (its BBox through its Matrix) into `art`, centred.

    `art` is in pt from the trim box's top left, y down; the result in user space, y up.
    """
    matrix = pikepdf.Matrix(form.Matrix) if "/Matrix" in form else pikepdf.Matrix()
    box = matrix.transform(pikepdf.Rectangle(*(float(v) for v in form.BBox)))
    left, top, width, height = art
    scale = min(width / box.width, height / box.height)
    bottom = trim[3] - top - height
    return pikepdf.Matrix(
        scale,
        0,
        0,
        scale,
        trim[0] + left + (width - box.width * scale) / 2 - box.llx * scale,
        bottom + (height - box.height * scale) / 2 - box.lly * scale,
    )


def _default_space(document: pikepdf.Pdf) -> tuple[str, str, pikepdf.Array] | None:
    """(key, device family, colour space) of the Default space that the device family
    the output intent is not needs here; None without an output intent (a plain PDF).

    Made whether or not an ad uses it: an object nothing refers to is not written.
    """
    intents = document.Root.get("/OutputIntents")
    profile = intents[0].get("/DestOutputProfile") if intents else None
    intent = None if profile is None else ICC_FAMILIES.get(int(profile.get("/N", 0)))
    if intent is None:
        return None
    key, family, path, components = DEFAULT_SPACES[intent]
    icc = document.make_stream(path.read_bytes(), N=components)
    return key, family, pikepdf.Array([pikepdf.Name.ICCBased, icc])


def _device_families(source: pikepdf.Pdf) -> set[str]:
    """The device colour families the ad paints in with no Default space standing in."""
    # the walker (and numpy) cost 0.2 s to import: only PDF/A and PDF/X builds need them
    from ..output.preflight import device_families  # noqa: PLC0415

    return device_families(source)


def _characterise(form: pikepdf.Object, key: str, space: pikepdf.Array) -> None:
    """`space` as the Default space `key` in every resource dictionary the ad draws with."""
    if "/Resources" not in form:
        form.Resources = pikepdf.Dictionary()
    for scope in pikepdf.Page(form).content_scopes():
        resources = scope.resources
        if resources is None:
            continue
        if "/ColorSpace" not in resources:
            resources.ColorSpace = pikepdf.Dictionary()
        if key not in resources.ColorSpace:
            resources.ColorSpace[key] = space
