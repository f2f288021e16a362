"""The preflight must find each fault a print plant rejects, and nothing on a clean page.

Each case is a small PDF that breaks one rule: made by WeasyPrint from a
snippet of HTML where it can make the fault, by hand with pikepdf where it
cannot (a font left out, a spot colour, a line of width 0, an image's ink).
"""

from __future__ import annotations

import io
import time
import zlib
from collections.abc import Callable

import numpy as np
import pikepdf
import pytest
import weasyprint
from PIL import Image

from layout.options import PDFX_1A, PDFX_4, SCREEN
from layout.output import preflight as pf
from layout.output.preflight import Finding, Preflight, preflight, rules
from layout.output.preflight.report import num
from tests.conftest import SEED

CMYK_PAGE = "<style>html { color: device-cmyk(0 0 0 1) } @page { size: 400pt 400pt }</style>"


def weasy(html: str, base=None) -> bytes:
    return weasyprint.HTML(string=CMYK_PAGE + html, base_url=str(base or ".")).write_pdf()


def hand_made(content: bytes, resources: dict | None = None, size=(200, 200)) -> bytes:
    """One page drawing `content`; `resources` values may be callables of the Pdf."""
    document = pikepdf.new()
    document.add_blank_page(page_size=size)
    page = document.pages[0]
    page.obj.Contents = document.make_stream(content)
    page.obj.Resources = made_resources(document, resources or {})
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def made_resources(document: pikepdf.Pdf, resources: dict) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(
        {
            category: pikepdf.Dictionary(
                {n: (v(document) if callable(v) else v) for n, v in entries.items()}
            )
            for category, entries in resources.items()
        }
    )


def helvetica(document: pikepdf.Pdf) -> pikepdf.Object:
    """Base-14 Helvetica, as a PDF may name it without embedding it."""
    return document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )


def xobject(data: bytes, subtype: str, **keys) -> Callable:
    def make(document: pikepdf.Pdf) -> pikepdf.Stream:
        stream = pikepdf.Stream(document, data)
        stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name(subtype)
        for key, value in keys.items():
            stream[f"/{key}"] = value(document) if callable(value) else value
        return stream

    return make


def image(pixels: np.ndarray, space, **keys) -> Callable:
    """An 8-bit Flate image XObject of `pixels` (rows × columns × components)."""
    data = zlib.compress(np.ascontiguousarray(pixels, np.uint8).tobytes())
    return xobject(
        data,
        "/Image",
        Width=pixels.shape[1],
        Height=pixels.shape[0],
        ColorSpace=pikepdf.Name(space) if isinstance(space, str) else space,
        BitsPerComponent=8,
        Filter=pikepdf.Name.FlateDecode,
        **keys,
    )


def jpeg_xobject(data: bytes, width: int, height: int, **keys) -> Callable:
    return xobject(
        data,
        "/Image",
        Width=width,
        Height=height,
        ColorSpace=pikepdf.Name.DeviceCMYK,
        BitsPerComponent=8,
        Filter=pikepdf.Name.DCTDecode,
        **keys,
    )


def form(content: bytes, resources: dict, matrix=(1, 0, 0, 1, 0, 0)) -> Callable:
    return xobject(
        content,
        "/Form",
        BBox=[0, 0, 1000, 1000],
        Matrix=list(matrix),
        Resources=lambda document: made_resources(document, resources),
    )


def only(result: Preflight, check: str | None = None) -> Finding:
    found = [f for f in result.findings if check is None or f.check == check]
    assert len(found) == 1, [str(f) for f in result.findings]
    return found[0]


def cmyk_jpeg(colour: tuple[int, int, int, int], size=(64, 64)) -> bytes:
    """A flat CMYK JPEG as Pillow writes it: Adobe APP14, samples stored inverted."""
    out = io.BytesIO()
    Image.new("CMYK", size, colour).save(out, format="JPEG", quality=100)
    return out.getvalue()


# --- colour ---------------------------------------------------------------------


def test_rgb_text_is_an_error_for_both_targets_and_not_looked_at_without_one():
    pdf = weasy('<p style="color: rgb(255, 0, 0)">x</p>')
    for target, name in ((PDFX_4, "PDF/X-4"), (PDFX_1A, "PDF/X-1a")):
        finding = only(preflight(pdf, target=target))
        assert (finding.severity, finding.check, finding.page) == ("error", "rgb-colour", 1)
        assert (finding.element, finding.value, finding.limit) == (
            "fill colour (rg)",
            "DeviceRGB",
            name,
        )
    assert preflight(pdf, target=SCREEN).findings == []


def test_a_clean_cmyk_page_has_no_findings(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(cmyk_jpeg((60, 40, 40, 60), size=(300, 150)))
    pdf = weasy(
        '<h1 style="font-size: 14pt; color: device-cmyk(0 1 1 0)">标题 Title</h1>'
        '<p style="font-size: 9pt; border-top: 0.5pt solid device-cmyk(0 0 0 1);'
        ' background: device-cmyk(0.1 0 0 0)">正文 body</p>'
        '<img src="photo.jpg" style="width: 72pt">',  # 300 px to the inch
        tmp_path,
    )
    for target in (SCREEN, PDFX_4, PDFX_1A):
        result = preflight(pdf, target=target)
        assert result.findings == [], [str(f) for f in result.findings]
        assert result.errors == result.warnings == []
        assert result.summary().endswith("1 page: no findings")


def test_a_spot_colour_is_an_error_and_process_separations_are_not():
    spot = pikepdf.Array(
        [pikepdf.Name.Separation, pikepdf.Name("/PANTONE 185 C"), pikepdf.Name.DeviceCMYK, 0]
    )
    process = pikepdf.Array(
        [pikepdf.Name.DeviceN, [pikepdf.Name.Cyan, pikepdf.Name.Black], pikepdf.Name.DeviceCMYK, 0]
    )
    mixed = pikepdf.Array(
        [
            pikepdf.Name.DeviceN,
            [pikepdf.Name.Cyan, pikepdf.Name("/Gold")],
            pikepdf.Name.DeviceCMYK,
            0,
        ]
    )
    body = b"0 0 50 50 re f"
    pdf = hand_made(b"/Spot cs 0.5 scn " + body, {"/ColorSpace": {"/Spot": spot}})
    for target in (PDFX_4, PDFX_1A):
        finding = only(preflight(pdf, target=target))
        assert (finding.check, finding.page, finding.value) == (
            "spot-colour",
            1,
            "Separation PANTONE 185 C",
        )
        assert finding.element == "fill colour (cs)"  # cs then scn: one colour, reported once
    assert preflight(pdf, target=SCREEN).findings == []
    pdf = hand_made(b"/P CS 0.5 0.5 SCN " + body, {"/ColorSpace": {"/P": process}})
    assert preflight(pdf, target=PDFX_1A).findings == []
    pdf = hand_made(b"/M cs 0.5 0.5 scn " + body, {"/ColorSpace": {"/M": mixed}})
    assert only(preflight(pdf, target=PDFX_4)).value == "DeviceN (Cyan, Gold)"


def test_icc_rgb_is_allowed_in_x4_but_not_in_x1a_nor_is_lab():
    def icc_rgb(document):
        return pikepdf.Array([pikepdf.Name.ICCBased, pikepdf.Stream(document, b"profile", N=3)])

    pdf = hand_made(
        b"q 5 0 0 5 0 0 cm /Im0 Do Q",
        {"/XObject": {"/Im0": image(np.zeros((20, 20, 3)), icc_rgb)}},
    )
    assert preflight(pdf, target=PDFX_4).findings == []
    finding = only(preflight(pdf, target=PDFX_1A))
    assert (finding.check, finding.element, finding.value) == (
        "rgb-colour",
        "image Im0 (20×20 px)",
        "ICCBased RGB",
    )
    lab = pikepdf.Array([pikepdf.Name.Lab, pikepdf.Dictionary(WhitePoint=[0.9505, 1, 1.089])])
    pdf = hand_made(b"/L cs 50 0 0 sc 0 0 9 9 re f", {"/ColorSpace": {"/L": lab}})
    assert preflight(pdf, target=PDFX_4).findings == []
    assert only(preflight(pdf, target=PDFX_1A)).value == "Lab"


def test_a_default_rgb_space_makes_device_rgb_calibrated():
    def default_rgb(document):
        return pikepdf.Array([pikepdf.Name.ICCBased, pikepdf.Stream(document, b"profile", N=3)])

    pdf = hand_made(b"1 0 0 rg 0 0 9 9 re f", {"/ColorSpace": {"/DefaultRGB": default_rgb}})
    assert preflight(pdf, target=PDFX_4).findings == []
    assert only(preflight(pdf, target=PDFX_1A)).value == "ICCBased RGB"


def test_each_colour_space_is_reported_once_per_element():
    pdf = weasy(
        '<p style="color: rgb(255, 0, 0)">a</p><p style="color: rgb(0, 0, 255)">b</p>'
        '<p style="color: rgb(0, 128, 0)">c</p>'
    )
    assert only(preflight(pdf, target=PDFX_4)).element == "fill colour (rg)"


def test_a_shading_in_rgb_is_found():
    shading = pikepdf.Dictionary(
        ShadingType=2,
        ColorSpace=pikepdf.Name.DeviceRGB,
        Coords=[0, 0, 100, 0],
        Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0, 0], C1=[0, 0, 1], N=1),
    )
    pdf = hand_made(b"/Sh0 sh", {"/Shading": {"/Sh0": shading}})
    finding = only(preflight(pdf, target=PDFX_4))
    assert (finding.check, finding.element, finding.value) == (
        "rgb-colour",
        "shading Sh0 (sh)",
        "DeviceRGB",
    )


def test_weasyprint_draws_crop_marks_in_rgb():
    """WeasyPrint 70 draws `marks` as an SVG whose stroke is RGB black, in a form.

    The print variant repaints that black as K; the preflight must see it in the form.
    """
    pdf = weasyprint.HTML(
        string=CMYK_PAGE + "<style>@page { bleed: 3mm; marks: crop }</style><p>x</p>"
    ).write_pdf()
    found = preflight(pdf, target=PDFX_4).findings
    assert found, "the marks are no longer RGB: drop this test"
    assert {f.check for f in found} == {"rgb-colour"}
    assert all(" form " in f.element for f in found), [str(f) for f in found]
    assert any(f.element.startswith("stroke colour (RG)") for f in found)


# --- ink ------------------------------------------------------------------------


def test_four_colour_black_is_over_the_ink_limit():
    pdf = weasy('<p style="color: device-cmyk(1 1 1 1)">x</p>')
    finding = only(preflight(pdf, target=PDFX_4))
    assert (finding.check, finding.page, finding.value, finding.limit) == (
        "total-ink",
        1,
        "400 %",
        "240 %",
    )
    assert finding.element == "fill colour DeviceCMYK 1 1 1 1 (scn)"
    assert preflight(pdf, target=PDFX_4, ink_limit=400).findings == []
    assert preflight(pdf, target=SCREEN).findings == []


def test_registration_all_counts_every_plate():
    registration = pikepdf.Array(
        [pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK, 0]
    )
    pdf = hand_made(b"/R CS 0.75 SCN 0 0 m 9 9 l S", {"/ColorSpace": {"/R": registration}})
    assert only(preflight(pdf, target=PDFX_4)).value == "300 %"


def test_a_cmyk_image_over_the_ink_limit_reports_the_share_of_pixels():
    pixels = np.zeros((20, 20, 4))
    pixels[:10] = (255, 255, 255, 0)  # 300 % in the top half
    pdf = hand_made(
        b"q 4 0 0 4 0 0 cm /Im1 Do Q", {"/XObject": {"/Im1": image(pixels, "/DeviceCMYK")}}
    )
    finding = only(preflight(pdf, target=PDFX_4))
    assert (finding.check, finding.element, finding.value) == (
        "total-ink",
        "image Im1 (20×20 px)",
        "300 % on 50 % of pixels",
    )
    inverted = image(pixels, "/DeviceCMYK", Decode=[1, 0] * 4)  # 100 % where it was 300 %
    pdf = hand_made(b"q 4 0 0 4 0 0 cm /Im1 Do Q", {"/XObject": {"/Im1": inverted}})
    assert only(preflight(pdf, target=PDFX_4)).value == "400 % on 50 % of pixels"


@pytest.mark.parametrize(
    ("colour", "over"), [((230, 230, 230, 230), True), ((40, 40, 40, 40), False)]
)
def test_an_adobe_cmyk_jpeg_from_weasyprint_is_read_the_right_way_up(tmp_path, colour, over):
    """Pillow writes CMYK JPEGs inverted; WeasyPrint marks them Decode [1 0 …]."""
    (tmp_path / "photo.jpg").write_bytes(cmyk_jpeg(colour))
    pdf = weasy('<img src="photo.jpg" style="width: 15pt">', tmp_path)
    found = preflight(pdf, target=PDFX_1A).findings
    if not over:
        assert found == []
        return
    finding = only(preflight(pdf, target=PDFX_1A))
    total, share = finding.value.split(" % on ")
    assert float(total) == pytest.approx(sum(colour) / 2.55, abs=2)
    assert share == "100 % of pixels"


def test_a_cmyk_jpeg_without_decode_means_its_stored_samples():
    """The same Adobe JPEG without /Decode: a RIP inks the inverted samples."""
    light = cmyk_jpeg((40, 40, 40, 40))  # stored as 215 each: 337 % when read as stored
    pdf = hand_made(
        b"q 10 0 0 10 0 0 cm /Im0 Do Q", {"/XObject": {"/Im0": jpeg_xobject(light, 64, 64)}}
    )
    total = float(only(preflight(pdf, target=PDFX_4)).value.split(" %")[0])
    assert total == pytest.approx((255 - 40) * 4 / 2.55, abs=2)
    pdf = hand_made(
        b"q 10 0 0 10 0 0 cm /Im0 Do Q",
        {"/XObject": {"/Im0": jpeg_xobject(light, 64, 64, Decode=[1, 0] * 4)}},
    )
    assert preflight(pdf, target=PDFX_4).findings == []


# --- images ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width_pt", "severity", "ppi"), [(72, "error", "100"), (40, "warning", "180"), (30, None, "")]
)
def test_image_resolution_at_its_placed_size(tmp_path, width_pt, severity, ppi):
    Image.new("L", (100, 50), 128).save(tmp_path / "grey.png")
    pdf = weasy(f'<img src="grey.png" style="width: {width_pt}pt">', tmp_path)
    result = preflight(pdf, target=PDFX_4)
    if severity is None:
        assert result.findings == []
        return
    finding = only(result)
    assert (finding.severity, finding.check, finding.page, finding.value) == (
        severity,
        "image-resolution",
        1,
        f"{ppi} ppi",
    )
    assert finding.element.startswith("image ") and finding.element.endswith(" (100×50 px)")
    assert finding.limit == ("150 ppi" if severity == "error" else "200 ppi")


def test_resolution_takes_the_lower_axis_and_skips_decoration():
    # 100 × 100 px squeezed: 72 pt wide (100 ppi) and 36 pt high (200 ppi)
    pdf = hand_made(
        b"q 72 0 0 36 0 0 cm /Im0 Do Q q 200 0 0 200 0 0 cm /Dot Do Q",
        {
            "/XObject": {
                "/Im0": image(np.zeros((100, 100, 1)), "/DeviceGray"),
                "/Dot": image(np.zeros((8, 8, 1)), "/DeviceGray"),  # 8 px: decoration
            }
        },
    )
    finding = only(preflight(pdf, target=SCREEN))
    assert (finding.element, finding.value) == ("image Im0 (100×100 px)", "100 ppi")


def test_an_inline_image_is_measured_and_its_colour_checked():
    pixels = bytes(40 * 20 * 3)
    content = b"q 144 0 0 72 0 0 cm BI /W 40 /H 20 /CS /RGB /BPC 8 ID " + pixels + b" EI Q"
    result = preflight(hand_made(content), target=PDFX_4)
    assert {(f.check, f.element, f.value) for f in result.findings} == {
        ("image-resolution", "inline image (40×20 px)", "20 ppi"),
        ("rgb-colour", "inline image (40×20 px)", "DeviceRGB"),
    }


# --- fonts and text -------------------------------------------------------------


def test_a_font_not_embedded_is_an_error():
    pdf = hand_made(b"BT /F1 12 Tf 10 10 Td (Hello) Tj ET", {"/Font": {"/F1": helvetica}})
    finding = only(preflight(pdf, target=SCREEN))
    assert (finding.check, finding.page, finding.element, finding.value) == (
        "font-not-embedded",
        1,
        "font Helvetica (Type1)",
        "not embedded",
    )


def test_weasyprint_fonts_are_embedded_and_a_font_in_a_form_is_checked():
    assert preflight(weasy("<p>embedded 嵌入</p>"), target=PDFX_4).findings == []
    text = form(b"BT /F1 12 Tf (Hi) Tj ET", {"/Font": {"/F1": helvetica}})
    pdf = hand_made(b"/Fm0 Do", {"/XObject": {"/Fm0": text}})
    assert only(preflight(pdf, target=SCREEN)).element == "font Helvetica (Type1)"


def test_text_under_six_points():
    pdf = weasy('<p style="font-size: 4pt">small</p><p style="font-size: 5pt">small</p>')
    finding = only(preflight(pdf, target=SCREEN))
    assert (finding.check, finding.page, finding.value, finding.limit) == (
        "small-text",
        1,
        "4 pt",
        "6 pt",
    )
    assert finding.element.startswith("text in font ")  # one finding a font: the smallest
    assert preflight(weasy('<p style="font-size: 6pt">x</p>'), target=SCREEN).findings == []


def test_text_size_follows_text_matrix_and_ctm_and_skips_invisible_and_empty_text():
    fonts = {"/Font": {"/F1": helvetica}}

    def small(content: bytes) -> list[str]:
        found = preflight(hand_made(content, fonts), target=SCREEN).findings
        return [f.value for f in found if f.check == "small-text"]

    assert small(b"BT /F1 10 Tf 0.5 0 0 0.5 0 0 Tm (a) Tj ET") == ["5 pt"]
    assert small(b"q 1 0 0 0.5 0 0 cm BT /F1 10 Tf 1 0 0 -1 0 0 Tm (a) Tj ET Q") == ["5 pt"]
    assert small(b"q 2 0 0 2 0 0 cm BT /F1 4 Tf (a) Tj ET Q") == []  # 8 pt
    assert small(b"BT /F1 4 Tf 3 Tr (a) Tj ET") == []
    assert small(b"BT /F1 4 Tf () Tj [() -250] TJ ET") == []
    assert small(b"BT /F1 4 Tf 10 TL (a) ' ET") == ["4 pt"]
    assert small(b"q 0 0.5 -0.5 0 0 0 cm BT /F1 10 Tf (a) Tj ET Q") == ["5 pt"]  # rotated


def test_a_form_scales_the_text_drawn_in_it():
    text = form(
        b"BT /F1 10 Tf (Hi) Tj ET", {"/Font": {"/F1": helvetica}}, matrix=(0.5, 0, 0, 0.5, 0, 0)
    )
    pdf = hand_made(b"q 1 0 0 1 20 20 cm /Fm0 Do Q", {"/XObject": {"/Fm0": text}})
    finding = only(preflight(pdf, target=SCREEN), "small-text")
    assert (finding.value, finding.element) == (
        "5 pt",
        "text in font Helvetica (Type1) in form Fm0",
    )


# --- lines ----------------------------------------------------------------------


def test_a_stroke_of_width_zero_is_a_hairline():
    finding = only(preflight(hand_made(b"0 w 0 0 m 100 0 l S"), target=SCREEN))
    assert (finding.check, finding.element, finding.value) == (
        "hairline",
        "stroke (S)",
        "0 pt (the device's thinnest line)",
    )


@pytest.mark.parametrize(
    ("content", "value"),
    [
        (b"q 0.1 0 0 0.1 0 0 cm 0.5 w 0 0 m 100 0 l S Q", "0.05"),
        (b"0.08 w 0 0 50 50 re b", "0.08"),
        (b"q 1 0 0 0.1 0 0 cm 0.5 w 0 0 m 100 0 l S Q", "0.05"),  # the thin axis counts
        (b"q 10 0 0 10 0 0 cm 0.05 w 0 0 m 100 0 l S Q", None),
        (b"0.05 w 0 0 m 100 0 l n", None),  # not painted
    ],
)
def test_stroke_width_times_the_ctm(content, value):
    found = preflight(hand_made(content), target=SCREEN).findings
    assert [f.value for f in found] == ([f"{value} pt"] if value else [])


def test_a_thin_css_border_is_a_hairline():
    """WeasyPrint draws a border as the frame between two rectangles, filled even-odd."""
    pdf = weasy('<div style="border-top: 0.05pt solid device-cmyk(0 0 0 1)">x</div>')
    finding = only(preflight(pdf, target=PDFX_4))
    assert (finding.check, finding.page, finding.element, finding.value, finding.limit) == (
        "hairline",
        1,
        "filled frame (re … f*)",
        "0.05 pt",
        "0.1 pt",
    )
    pdf = weasy('<div style="border-top: 0.2pt solid device-cmyk(0 0 0 1)">x</div>')
    assert preflight(pdf, target=PDFX_4).findings == []
    pdf = weasy('<div style="height: 0.06pt; background: device-cmyk(0 0 0 1)"></div>')
    assert only(preflight(pdf, target=PDFX_4)).element == "filled rectangle (re … f)"


# --- patterns and forms ---------------------------------------------------------


def test_a_tiling_pattern_is_walked_with_its_matrix():
    def pattern(document):
        cell = pikepdf.Stream(document, b"1 0 0 rg 0.5 w 0 0 m 10 0 l S")
        cell.Type = pikepdf.Name.Pattern
        cell.PatternType, cell.PaintType, cell.TilingType = 1, 1, 1
        cell.BBox, cell.XStep, cell.YStep = [0, 0, 10, 10], 10, 10
        cell.Matrix = [0.1, 0, 0, 0.1, 0, 0]  # the 0.5 line comes out 0.05 pt
        cell.Resources = pikepdf.Dictionary()
        return cell

    pdf = hand_made(
        b"q 5 0 0 5 0 0 cm /Pattern cs /P1 scn 0 0 100 100 re f Q",  # the CTM does not apply
        {"/Pattern": {"/P1": pattern}},
    )
    result = preflight(pdf, target=PDFX_4)
    assert {(f.check, f.element, f.value) for f in result.findings} == {
        ("rgb-colour", "fill colour (rg) in pattern P1", "DeviceRGB"),
        ("hairline", "stroke (S) in pattern P1", "0.05 pt"),
    }


def test_an_image_in_a_scaled_form_is_measured_at_its_placed_size():
    placed = form(
        b"q 100 0 0 100 0 0 cm /Im0 Do Q",
        {"/XObject": {"/Im0": image(np.zeros((50, 50, 4)), "/DeviceCMYK")}},
        matrix=(0.72, 0, 0, 0.72, 0, 0),
    )
    pdf = hand_made(b"q 2 0 0 2 0 0 cm /Fm0 Do Q", {"/XObject": {"/Fm0": placed}})
    finding = only(preflight(pdf, target=PDFX_4))
    assert (finding.element, finding.value) == ("image Im0 (50×50 px) in form Fm0", "25 ppi")


# --- the report -----------------------------------------------------------------


def test_a_finding_reads_as_one_line():
    finding = Finding("error", "image-resolution", 1, "image Im3 (600×400 px)", "97 ppi", "150 ppi")
    assert str(finding) == "page 1: image Im3 (600×400 px) at 97 ppi: under 150 ppi (error)"
    for check in pf.MESSAGES:
        line = str(Finding("warning", check, 2, "E", "V", "L"))
        assert line.startswith("page 2: ") and line.endswith(" (warning)")
        assert all(part in line for part in ("E", "V", "L"))


def test_summary_and_json(tmp_path):
    Image.new("L", (100, 50), 128).save(tmp_path / "grey.png")
    pdf = weasy(
        '<p style="color: rgb(1, 2, 3); font-size: 4pt">x</p>'
        '<img src="grey.png" style="width: 40pt">',
        tmp_path,
    )
    result = preflight(pdf, target=PDFX_4)
    assert [f.check for f in result.errors] == ["rgb-colour", "small-text"]
    assert [f.check for f in result.warnings] == ["image-resolution"]
    assert result.summary() == (
        "preflight (PDF/X-4) of 1 page: 2 errors, 1 warning "
        "(rgb-colour 1, small-text 1, image-resolution 1)"
    )
    report = result.to_json()
    assert (report["target"], report["errors"], report["warnings"], report["pages"]) == (
        "x-4",
        2,
        1,
        1,
    )
    assert report["findings"][0] == {
        "severity": "error",
        "check": "rgb-colour",
        "page": 1,
        "element": "fill colour (rg)",
        "value": "DeviceRGB",
        "limit": "PDF/X-4",
        "message": "page 1: fill colour (rg) in DeviceRGB: not allowed in PDF/X-4 (error)",
    }


def test_every_page_is_checked_and_numbered():
    document = weasyprint.HTML(
        string=CMYK_PAGE + '<p>one</p><p style="break-before: page; font-size: 4pt">two</p>'
    ).write_pdf()
    finding = only(preflight(document, target=SCREEN))
    assert finding.page == 2


# --- the seed page --------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    from layout.pipeline import build

    return build(SEED)


@pytest.mark.slow
def test_the_seed_page_preflights_fast_with_fonts_embedded_and_no_small_text(seed):
    started = time.perf_counter()
    plain = preflight(seed.pdf, target=SCREEN)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5
    assert plain.findings == [], [str(f) for f in plain.findings]
    printing = preflight(seed.pdf, target=PDFX_4)  # colour findings depend on the styles of the day
    assert not {"font-not-embedded", "small-text", "hairline", "image-resolution"} & {
        f.check for f in printing.findings
    }


@pytest.mark.slow
def test_the_walker_reads_the_seed_pages_real_text(seed, monkeypatch):
    """Above the body size, the body text is found at exactly the grid's em."""
    monkeypatch.setattr(rules, "MIN_TEXT", seed.layout.grid.em + 1)
    found = preflight(seed.pdf, target=SCREEN).findings
    sizes = {f.value for f in found if f.check == "small-text"}
    assert f"{num(seed.layout.grid.em)} pt" in sizes
    assert len({f.element for f in found}) >= 2


@pytest.mark.parametrize(
    ("content", "value"),
    [
        (b"q 1 0 0 0.1 0 0 cm 0 0 100 0.5 re f Q", "0.05"),  # squeezed across its height
        (b"q 0.1 0 0 1 0 0 cm 0 0 100 0.5 re f Q", None),  # 10 pt by 0.5 pt
        (b"0 0 100 50 re 0 0.08 100 49.92 re f*", "0.08"),  # a frame with one thin side
        (b"0 0 100 0.08 re 0 0 100 50 re f*", None),  # the box less a thin strip
        (b"0 0 100 50 re 0 0.05 100 49.95 re f", None),  # same winding: the whole box
        (b"0 0 100 50 re 100 0.05 -100 49.95 re f", "0.05"),  # opposite winding: a frame
    ],
)
def test_thin_filled_rectangles(content, value):
    found = preflight(hand_made(content), target=SCREEN).findings
    assert [f.value for f in found] == ([f"{value} pt"] if value else [])


def test_an_indexed_space_is_judged_by_its_base_and_its_palette():
    rgb = pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, 1, pikepdf.String(bytes(6))])
    pdf = hand_made(b"/I cs 0 sc 0 0 9 9 re f", {"/ColorSpace": {"/I": rgb}})
    assert only(preflight(pdf, target=PDFX_4)).value == "Indexed DeviceRGB"
    palette = pikepdf.String(bytes([0, 0, 0, 255, 255, 255, 255, 255]))  # K, then 400 %
    cmyk = pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceCMYK, 1, palette])
    pdf = hand_made(b"/I cs 0 sc 0 0 9 9 re f", {"/ColorSpace": {"/I": cmyk}})
    assert preflight(pdf, target=PDFX_4).findings == []
    pdf = hand_made(b"/I cs 1 sc 0 0 9 9 re f", {"/ColorSpace": {"/I": cmyk}})
    assert only(preflight(pdf, target=PDFX_4)).value == "400 %"


def test_type3_fonts_stencil_masks_and_bare_moves_are_not_findings():
    type3 = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type3,
        FontBBox=[0, 0, 1000, 1000],
        FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
        CharProcs=pikepdf.Dictionary(),
        Encoding=pikepdf.Dictionary(Differences=[]),
        FirstChar=0,
        LastChar=0,
        Widths=[0],
    )
    pdf = hand_made(b"BT /T3 12 Tf (a) Tj ET", {"/Font": {"/T3": type3}})
    assert preflight(pdf, target=PDFX_4).findings == []
    mask = image(np.zeros((40, 40, 1)), "/DeviceGray", ImageMask=True)  # 1 px a point
    pdf = hand_made(b"q 40 0 0 40 0 0 cm /M Do Q", {"/XObject": {"/M": mask}})
    assert preflight(pdf, target=SCREEN).findings == []
    assert preflight(hand_made(b"0 w 10 10 m S"), target=SCREEN).findings == []


# --- the draft proof's overlay ---------------------------------------------------------


def test_the_draft_overlay_colour_is_an_error_whatever_the_target():
    """styles/draft.css draws a draft's overlay in #FF00FF: no draft may pass for a page."""
    pdf = weasy('<p style="color: #f0f">overset</p><p style="color: #f0e">near it</p>')
    for target in (SCREEN, PDFX_4):
        found = [f for f in preflight(pdf, target=target).errors if f.check == "draft-overlay"]
        assert len(found) == 1, [str(f) for f in found]
        assert str(found[0]) == (
            "page 1: fill colour (rg) in #FF00FF: draft overlay on the page,"
            " a draft proof is never printed (error)"
        )


def test_a_hatch_in_the_draft_overlay_colour_is_found_in_its_shading():
    pdf = weasy(
        '<div style="height: 40pt; background: repeating-linear-gradient('
        '-45deg, #f0f 0, #f0f 0.8pt, #fff 0.8pt, #fff 5pt)"></div>'
    )
    found = {f.element for f in preflight(pdf).errors if f.check == "draft-overlay"}
    assert found and all(element.startswith("shading") for element in found), found
    assert not [f for f in preflight(weasy("<p>一页</p>")).findings if f.check == "draft-overlay"]
