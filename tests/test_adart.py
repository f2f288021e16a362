"""PDF ads stamped on the rendered page: where they land, what they keep, what print refuses.

The artwork is written by tests/adart.py and the page is WeasyPrint's, from a
tiny HTML page; every figure is read back from the PDF: the forms' boxes with
pikepdf (BBox through the form's Matrix and the CTM of its Do), text and the
ad's corner marker with pdfplumber.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image

from layout.errors import PreflightError
from layout.model.document import Ad
from layout.model.layout import PlacedAd
from layout.options import PDFA, PDFX_1A, PDFX_4, SCREEN, Target
from layout.output.pdfx import cmyk_photo
from layout.output.preflight import preflight
from layout.render.adart import ad_names, place_pdf_ads
from layout.render.html_to_pdf import render_pdf
from layout.sources.page import load_page
from tests.adart import CLIENT, MARKER, ad_boxes, pdf_ad, png_ad, svg_ad
from tests.conftest import SEED

MM = 72 / 25.4
PAGE = (400.0, 500.0)  # pt
HTML = (  # dated as the page template dates a page: else the PDF says when it was made
    '<html lang="zh"><head><meta name="dcterms.created" content="2024-03-26">'
    '<meta name="dcterms.modified" content="2024-03-26">'
    "<style>@page {{ size: {}pt {}pt; margin: 0 }}</style></head>"
    "<body><p>page</p>{}</body></html>"
)
ART = (30.0, 250.0, 90 * MM, 45 * MM)  # x, y, width, height from the page's top left
TOLERANCE = 0.5  # pt


def booked(file: Path, *, art=ART, index: int = 1, kind="pdf", client=CLIENT) -> PlacedAd:
    """`file` booked at `art` (the booking is the art rectangle), as the composer places it;
    its entry is on line 10 + `index` of page.yaml."""
    width_mm, height_mm = art[2] / MM, art[3] / MM
    ad = Ad(file, kind, "2栏", 2, width_mm, height_mm, "bottom", client, 10 + index, index)
    return PlacedAd(ad=ad, box=None, frame=art, art=art, label_top=art[1])


def rendered(directory: Path, ads=(), target: Target = SCREEN, body: str = "", page=None) -> bytes:
    return render_pdf(HTML.format(*PAGE, body), directory, page=page, target=target, ads=ads).pdf


def errors(measured, expected) -> list[float]:
    return [abs(m - e) for m, e in zip(measured, expected, strict=True)]


def marker(pdf: bytes) -> tuple[float, float]:
    """The top left of the ad's cyan corner marker, as pdfplumber finds it, from the trim box's."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        rects = [r for r in page.rects if r["non_stroking_color"] == MARKER[0]]
        assert len(rects) == 1
        return rects[0]["x0"] - page.trimbox[0], rects[0]["top"] - page.trimbox[1]


@pytest.mark.parametrize(
    ("rotate", "bleed_mm", "target"),
    [(0, 0, SCREEN), (90, 3, PDFX_4), (180, 0, SCREEN), (270, 3, PDFX_4)],
)
def test_a_pdf_ad_fills_its_art_rectangle_upright(tmp_path, rotate, bleed_mm, target):
    art = pdf_ad(tmp_path / "bank.pdf", ART[2] / MM, ART[3] / MM, rotate=rotate, bleed_mm=bleed_mm)
    pdf = rendered(tmp_path, [booked(art)], target)  # PDF/X: the page has bleed round its trim
    assert max(errors(ad_boxes(pdf)["Ad1"], ART)) < TOLERANCE
    # the corner marker is at the art's top left: the ad is the right way up
    assert max(errors(marker(pdf), ART[:2])) < TOLERANCE


def test_the_ads_text_stays_text_in_its_embedded_font_inside_the_art(tmp_path):
    pdf = rendered(tmp_path, [booked(pdf_ad(tmp_path / "bank.pdf", ART[2] / MM, ART[3] / MM))])
    x, y, width, height = ART
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        inside = page.within_bbox((x, y, x + width, y + height))
        assert CLIENT in inside.extract_text()
        assert CLIENT not in page.outside_bbox((x, y, x + width, y + height)).extract_text()
        assert {c["fontname"].split("+")[-1] for c in inside.chars} == {"LXGWWenKai-Regular"}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fonts = document.pages[0].Resources.XObject.Ad1.Resources.Font.values()
        assert all("/FontFile2" in font.FontDescriptor for font in fonts)


@pytest.mark.parametrize("wider", [1.015, 1 / 1.015])
def test_artwork_off_the_booked_ratio_is_scaled_uniformly_inside_and_centred(tmp_path, wider):
    x, y, width, height = ART
    file = pdf_ad(tmp_path / "bank.pdf", width * wider / MM, height / MM)
    left, top, placed_width, placed_height = ad_boxes(rendered(tmp_path, [booked(file)]))["Ad1"]
    # the box keeps the artwork's ratio, fills one side of the art and is centred on the other
    assert abs(placed_width / placed_height - wider * width / height) < 1e-3
    assert abs(min(width - placed_width, height - placed_height)) < TOLERANCE
    assert placed_width < width + TOLERANCE and placed_height < height + TOLERANCE
    assert abs((left - x) - (x + width - left - placed_width)) < TOLERANCE
    assert abs((top - y) - (y + height - top - placed_height)) < TOLERANCE


def test_stamping_is_reproducible_and_a_page_without_pdf_ads_is_untouched(tmp_path):
    plain = rendered(tmp_path)
    ads = [
        booked(pdf_ad(tmp_path / "bank.pdf", ART[2] / MM, ART[3] / MM)),
        booked(png_ad(tmp_path / "shop.png", 400, 200), index=2, kind="png"),
    ]
    assert place_pdf_ads(plain, []) is plain
    assert place_pdf_ads(plain, ads[1:]) is plain
    stamped = place_pdf_ads(plain, ads)
    assert stamped != plain and place_pdf_ads(plain, ads) == stamped
    assert set(ad_boxes(stamped)) == {"Ad1"}
    page = load_page(SEED)  # its date and number make PDF/X's document id
    assert rendered(tmp_path, ads, PDFX_4, page=page) == rendered(tmp_path, ads, PDFX_4, page=page)


def test_pdfx_1a_refuses_an_rgb_pdf_ad_naming_it_and_takes_a_cmyk_one(tmp_path):
    cmyk = booked(pdf_ad(tmp_path / "bank.pdf", ART[2] / MM, ART[3] / MM))
    file = pdf_ad(tmp_path / "shop.pdf", 40, 20, cmyk=False)
    rgb = booked(file, art=(30, 30, 40 * MM, 20 * MM), index=2, client="某商场")
    with pytest.raises(PreflightError) as raised:
        rendered(tmp_path, [cmyk, rgb], PDFX_1A)
    [problem] = raised.value.problems
    assert problem.message.startswith("ad 2 (shop.pdf, 某商场): ")
    assert "DeviceRGB" in problem.message and "PDF/X-1a" in problem.message
    assert (problem.file, problem.line, problem.field) == (
        tmp_path / "page.yaml",
        12,
        "ads[1].file",
    )
    assert "CMYK" in problem.hint
    pdf = rendered(tmp_path, [cmyk], PDFX_1A)
    assert preflight(pdf, PDFX_1A, ads=ad_names([cmyk])).findings == []


def test_preflight_names_the_ad_whose_font_is_not_embedded(tmp_path):
    ads = [booked(pdf_ad(tmp_path / "bank.pdf", ART[2] / MM, ART[3] / MM, embed=False))]
    found = preflight(rendered(tmp_path, ads), SCREEN, ads=ad_names(ads)).findings
    assert [(f.check, f.severity, f.element) for f in found] == [
        ("font-not-embedded", "error", "font Helvetica (Type1) in ad 1 (bank.pdf, 河套农商银行)")
    ]


def test_the_ink_limit_applies_inside_an_ad(tmp_path):
    file = pdf_ad(tmp_path / "bank.pdf", ART[2] / MM, ART[3] / MM, background=(1, 1, 1, 1))
    ads = [booked(file)]
    found = preflight(rendered(tmp_path, ads, PDFX_4), PDFX_4, ads=ad_names(ads)).findings
    [ink] = [f for f in found if f.check == "total-ink"]
    assert (ink.element, ink.value) == (
        "fill colour DeviceCMYK 1 1 1 1 (k) in ad 1 (bank.pdf, 河套农商银行)",
        "400 %",
    )


def image_spaces(pdf: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        images = document.pages[0].get_images().values()
        return [str(image.ColorSpace) for image in images]


def test_a_png_ad_is_separated_to_cmyk_under_pdfx_like_a_photo(tmp_path):
    png_ad(tmp_path / "shop.png", 600, 300)
    img = f'<img src="shop.png" style="width: {ART[2]}pt; height: {ART[3]}pt">'
    assert image_spaces(rendered(tmp_path, body=img)) == ["/DeviceRGB"]
    assert image_spaces(rendered(tmp_path, target=PDFX_4, body=img)) == ["/DeviceCMYK"]


def test_a_transparent_png_prints_white_where_it_is_transparent():
    logo = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    logo.paste((200, 30, 30, 255), (10, 10, 30, 30))
    source = io.BytesIO()
    logo.save(source, format="PNG")
    with Image.open(io.BytesIO(cmyk_photo(source.getvalue()))) as separated:
        corner, middle = separated.getpixel((2, 2)), separated.getpixel((20, 20))
    assert sum(corner) / 255 * 100 < 2  # % ink: paper, not the black hidden under alpha
    assert sum(middle) / 255 * 100 > 150


def colour_spaces(pdf: bytes) -> dict[str, int]:
    """The Ad1 form's colour spaces → the components of their ICC profile."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        spaces = document.pages[0].Resources.XObject.Ad1.Resources.get("/ColorSpace") or {}
        return {str(key): int(space[1].N) for key, space in spaces.items()}


def document_parts(pdf: bytes) -> tuple[bytes, bytes, bool]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        intent = document.Root.OutputIntents[0].DestOutputProfile.read_bytes()
        return intent, document.Root.Metadata.read_bytes(), "/StructTreeRoot" in document.Root


def test_the_ad_keeps_the_archive_and_print_intent_and_its_colours_are_characterised(tmp_path):
    cmyk = [booked(pdf_ad(tmp_path / "bank.pdf", ART[2] / MM, ART[3] / MM))]
    rgb = [booked(pdf_ad(tmp_path / "shop.pdf", ART[2] / MM, ART[3] / MM, cmyk=False))]
    archive = rendered(tmp_path, target=PDFA, page=load_page(SEED))
    for ads, default in ((cmyk, {"/DefaultCMYK": 4}), (rgb, {})):
        stamped = place_pdf_ads(archive, ads)
        assert document_parts(stamped) == document_parts(archive)
        assert colour_spaces(stamped) == default  # PDF/A's intent is RGB: CMYK says its profile
    printed = rendered(tmp_path, target=PDFX_4)
    for ads, default in ((cmyk, {}), (rgb, {"/DefaultRGB": 3})):
        stamped = place_pdf_ads(printed, ads)
        assert document_parts(stamped) == document_parts(printed)
        assert colour_spaces(stamped) == default  # PDF/X's intent is CMYK: RGB is calibrated
        assert preflight(stamped, PDFX_4, ads=ad_names(ads)).findings == []


def test_the_artwork_helpers_write_what_they_say(tmp_path):
    file = pdf_ad(tmp_path / "a.pdf", 80, 40, pages=2, rotate=90, bleed_mm=3, embed=False)
    with pikepdf.open(file) as document:
        assert len(document.pages) == 2
        page = document.pages[0]
        x0, y0, x1, y1 = (float(v) for v in page.trimbox)
        stored = (round((x1 - x0) / MM, 3), round((y1 - y0) / MM, 3))
        assert (int(page.Rotate), stored) == (90, (40, 80))  # turned: 80 × 40 as displayed
        assert page.mediabox[2] > x1 and page.mediabox[3] > y1  # the bleed
        [font] = page.Resources.Font.values()
        assert (str(font.BaseFont), "/FontDescriptor" in font) == ("/Helvetica", False)
    with pikepdf.open(pdf_ad(tmp_path / "b.pdf", 80, 40, cmyk=False)) as document:
        operators = {str(i.operator) for i in pikepdf.parse_content_stream(document.pages[0])}
        assert "rg" in operators and "k" not in operators
    with Image.open(png_ad(tmp_path / "c.png", 300, 100, rgb=False)) as image:
        assert (image.size, image.mode) == ((300, 100), "L")
    assert 'width="80mm" height="40mm"' in svg_ad(tmp_path / "d.svg", 80, 40).read_text()
