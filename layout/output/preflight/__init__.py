"""Preflight a print PDF the way the print plant does, by reading it back.

A plant takes a newspaper page only as PDF/X with every font embedded, in
CMYK, under the ink limit of newsprint.  `preflight` walks every page's
content stream with pikepdf, following the graphics state (q/Q, cm, line
width, text state and matrices, fill and stroke colour spaces) into Form
XObjects and tiling patterns with the CTM they are drawn with, and returns
every finding; the build fails on any error.  Nothing is rendered.

The walk (`walker`) says what each page draws, and knows nothing of a
plant; the plant's rules (`rules`) judge what it says; `report` holds the
findings, and `geometry` and `colour` the matrices and colour spaces both
read.

A form the page draws directly may be given a name (`preflight`'s `ads`): an
ad's artwork, stamped as the form /Ad1 (render/adart.py), is then reported as
"ad 1 (bank.pdf, …)" in every finding inside it, a font's included.

The checks (`Finding.check`):

- font-not-embedded: a font shown with Tf (or set by an ExtGState), in a form
  too, has no FontFile/FontFile2/FontFile3 (for Type0, on its descendant);
  Type3 fonts are their own glyph programs and count as embedded.
- rgb-colour (PDF/X-1a: RGB or Lab of any kind; PDF/X-4: DeviceRGB used
  directly, i.e. with no DefaultRGB) and spot-colour (a Separation or DeviceN
  with a colorant other than Cyan, Magenta, Yellow, Black, None or All): in
  colour operators, images, shadings and transparency groups; once per page,
  element and colour space.  Without a target these are not looked at.
- total-ink (with a target): a CMYK fill or stroke colour, an axial or radial
  shading's end colours, and every pixel of a CMYK image, against `ink_limit`.
- image-resolution: pixels over the placed size (from the CTM at Do), the
  lower of the two axes; stencil masks, soft masks and images under 16 px
  on a side (rules, dots, gradient strips: decoration, never a photo) are
  not measured.
- small-text: Tf size times the vertical scale of text matrix and CTM, under
  6 pt; invisible (Tr 3) and clip-only (Tr 7) text and empty strings skipped.
- hairline: a stroke whose line width times the CTM's smallest scale is under
  0.1 pt, width 0 (the device's thinnest line) included; and, since WeasyPrint
  draws every CSS border and rule as a filled shape, never a stroke, a filled
  rectangle or rectangle frame (the `re re f*` of a border) thinner than that.

- draft-overlay (whatever the target): a colour operator or a shading's end in
  RGB #FF00FF, the overlay colour of a draft proof (styles/draft.css), which
  draws a page that does not fit with its overset and holes; a draft never passes.

Not looked for: overset itself.  The composer finds it before a PDF exists and
the build refuses overset copy (`compose.FitError`), writing at most a draft
proof, which the draft-overlay check rejects.  Also not covered: annotations, soft-mask groups
(they are not printed), Type3 glyph procedures, the ink of mesh shadings and
of Indexed images, and whether a transparency group is allowed (PDF/X-1a has
none).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pikepdf

from ...options import INK_LIMIT, SCREEN, Target
from .colour import Space
from .report import MESSAGES, Finding, Preflight
from .rules import GOOD_PPI, MIN_PPI, MIN_TEXT, PlantRules
from .walker import ColourUsed, Event, FormEntered, ImageDrawn, PageBegun, ShadingPainted, walk

__all__ = [
    "GOOD_PPI",
    "MESSAGES",
    "MIN_PPI",
    "MIN_TEXT",
    "Finding",
    "Preflight",
    "device_families",
    "preflight",
]


def preflight(
    pdf: bytes,
    target: Target = SCREEN,
    *,
    ink_limit: float = INK_LIMIT,
    ads: Mapping[str, str] | None = None,
) -> Preflight:
    """Every finding on every page of `pdf`; a target that is not printed gets no colour rules.

    `ads` names the forms a page draws directly (render/adart.py's `ad_names`: "Ad1" →
    "ad 1 (bank.pdf, …)"), so a finding inside an ad's artwork says which ad it is.
    """
    plant = target if target.printing else None
    rules = PlantRules(plant, ink_limit)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        walk(document, rules.see, ads)
        pages = len(document.pages)
    name = plant.name if plant is not None else None
    return Preflight(rules.findings.sorted(), name, ink_limit, pages)


def device_families(document: pikepdf.Pdf) -> set[str]:
    """The device colour families ("gray", "rgb", "cmyk") `document` paints in as such.

    A device space a Default space stands in for is not one: that says what its
    numbers mean, which an output intent of another family does not (PDF/A, PDF/X-4).
    """
    found: set[str] = set()

    def see(event: Event) -> None:
        space: Space | None = None
        if isinstance(event, ColourUsed | ShadingPainted | ImageDrawn):
            space = event.space
        elif isinstance(event, PageBegun | FormEntered):
            space = event.group
        while space is not None:
            if space.device:
                found.add(space.family)
            space = space.base

    walk(document, see)
    return found
