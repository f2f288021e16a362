"""The masthead's codes and dates.

Check digits are worked by hand; the bar code and the QR code are read back
by a scanner (zbar) from the PDF WeasyPrint makes of them, and the PDF is
checked to hold them as vectors in black ink only.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pikepdf
import pytest

from layout.render.barcodes import DIGITS_FONT, barcode_svg, qr_svg
from layout.render.masthead import check_issn, ean13, issn_valid, lunar, weekday

# One add-on per EAN-2 parity pattern (value mod 4: 0 AA, 1 AB, 2 BA, 3 BB),
# ISSNs with check digits 1, X and 0.
SYMBOLS = [
    ("0317-8471", "00", "12"),
    ("1050-124X", "00", "05"),
    ("2049-3630", "07", "22"),
    ("0317-8471", "01", "99"),
]
MODULE_MM = 0.2805  # X at 85 %: 0.33 mm × 0.85
PT_PER_MM = 72 / 25.4


# -- ISSN ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "issn",
    [
        "0317-8471",  # 0·8 + 3·7 + 1·6 + 7·5 + 8·4 + 4·3 + 7·2 = 120 ≡ 10 (mod 11); 11 − 10 = 1
        "1050-124X",  # 1·8 + 0·7 + 5·6 + 0·5 + 1·4 + 2·3 + 4·2 = 56 ≡ 1; 11 − 1 = 10, written X
        "2049-3630",  # 2·8 + 0·7 + 4·6 + 9·5 + 3·4 + 6·3 + 3·2 = 121 ≡ 0; check 0
    ],
)
def test_valid_issn(issn):
    assert check_issn(issn) is None
    assert issn_valid(issn)


@pytest.mark.parametrize(
    ("issn", "message"),
    [
        ("0317-8472", "0317-8472 has check digit 2; it should be 1"),
        ("1050-1240", "1050-1240 has check digit 0; it should be X"),
        ("2049-363X", "2049-363X has check digit X; it should be 0"),
    ],
)
def test_wrong_check_digit_is_named(issn, message):
    assert check_issn(issn) == message
    assert not issn_valid(issn)
    with pytest.raises(ValueError, match=re.escape(message)):
        ean13(issn)


@pytest.mark.parametrize("issn", ["03178471", "0317 8471", "0317-847x", "0317-84711", ""])
def test_malformed_issn_is_explained(issn):
    message = check_issn(issn)
    assert message is not None
    assert message.startswith(f"{issn!r} is not an ISSN: it should be four digits, a hyphen")


# -- EAN-13 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issn", "variant", "expected"),
    [
        # 977 0317847 00: 9 + 7·3 + 7 + 0·3 + 3 + 1·3 + 7 + 8·3 + 4 + 7·3 + 0 + 0·3 = 99;
        # (10 − 9) mod 10 = 1
        ("0317-8471", "00", "9770317847001"),
        # variant 05 adds 5·3 in the twelfth place: 114; (10 − 4) mod 10 = 6
        ("0317-8471", "05", "9770317847056"),
        # 977 1050124 00: 9 + 21 + 7 + 3 + 0 + 15 + 0 + 3 + 2 + 12 + 0 + 0 = 72; check 8.
        # The ISSN's own check digit X is dropped.
        ("1050-124X", "00", "9771050124008"),
        # 977 2049363 07: 9 + 21 + 7 + 6 + 0 + 12 + 9 + 9 + 6 + 9 + 0 + 21 = 109; check 1
        ("2049-3630", "07", "9772049363071"),
    ],
)
def test_ean13_digits(issn, variant, expected):
    assert ean13(issn, variant) == expected


@pytest.mark.parametrize(("issn", "variant", "addon"), SYMBOLS)
def test_ean13_check_digit_agrees_with_reportlab(issn, variant, addon):
    from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget

    code = ean13(issn, variant)
    assert Ean13BarcodeWidget._checkdigit(code[:12]) == code[12]


@pytest.mark.parametrize("variant", ["0", "000", "ab", "0x"])
def test_variant_must_be_two_digits(variant):
    with pytest.raises(ValueError, match="the variant should be two digits"):
        ean13("0317-8471", variant)


def test_addon_must_be_two_digits():
    with pytest.raises(ValueError, match="the add-on should be two digits, not '7'"):
        barcode_svg("0317-8471", "00", "7")


# -- the bar code, read back from the PDF ---------------------------------------


@pytest.mark.parametrize(("issn", "variant", "addon"), SYMBOLS)
def test_barcode_scans_back(tmp_path, issn, variant, addon):
    pdf = _pdf(barcode_svg(issn, variant, addon))
    symbols = _zbarimg(pdf, tmp_path, "-Sean2.enable").splitlines()
    assert sorted(symbols) == sorted([f"EAN-13:{ean13(issn, variant)}", f"EAN-2:{addon}"])


def test_barcode_is_black_vector_with_its_digits_as_text():
    import pdfplumber

    pdf = _pdf(barcode_svg("0317-8471", "00", "03"))
    _assert_black_vector(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        assert page.extract_text().split() == ["03", "9", "770317", "847001"]
        assert {char["fontname"].split("+")[-1] for char in page.chars} == {
            DIGITS_FONT.replace(" ", "-")
        }
        # 95 modules of EAN-13, a gap of 9 and 20 of EAN-2, the narrowest bar one X.
        bars = page.rects
        left = min(bar["x0"] for bar in bars)
        right = max(bar["x1"] for bar in bars)
        assert (right - left) / PT_PER_MM == pytest.approx((95 + 9 + 20) * MODULE_MM, abs=0.01)
        narrowest = min(bar["width"] for bar in bars) / PT_PER_MM
        assert narrowest == pytest.approx(MODULE_MM, abs=0.001)


def test_barcode_svg_is_inline_and_sized_in_mm():
    svg = barcode_svg("0317-8471", "00", "03")
    assert svg.startswith("<svg ")
    assert svg.endswith("</svg>")
    assert "<?xml" not in svg
    assert "DOCTYPE" not in svg
    assert " id=" not in svg
    # 11 + 95 + 9 + 20 + 5 = 140 modules of 0.2805 mm = 39.27 mm;
    # 25.93 mm × 85 % = 22.0405 mm, rounded up to 0.01 mm
    assert 'width="39.27mm"' in svg
    assert 'height="22.05mm"' in svg
    assert 'viewBox="0 0 3927 2205"' in svg


def test_digits_font_is_the_sans_role(roles):
    assert roles["sans"].faces[0].family == DIGITS_FONT


# -- the QR code ---------------------------------------------------------------


def test_qr_code_scans_back(tmp_path):
    url = "https://epaper.example.cn/baotou-daily/2024-03-26/01.html?edition=city&page=1"
    svg = qr_svg(url, 20)
    assert 'width="20mm"' in svg
    assert 'height="20mm"' in svg
    pdf = _pdf(svg)
    _assert_black_vector(pdf)
    assert _zbarimg(pdf, tmp_path, "--raw") == url


# -- the date line -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 3, 25), "星期一"),
        (date(2024, 3, 26), "星期二"),
        (date(2024, 3, 30), "星期六"),
        (date(2024, 3, 31), "星期日"),
    ],
)
def test_weekday(day, expected):
    assert weekday(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 3, 26), "农历甲辰年二月十七"),
        (date(2024, 2, 10), "农历甲辰年正月初一"),  # 春节 2024
        (date(2024, 2, 9), "农历癸卯年腊月三十"),  # 除夕: still 癸卯, though 立春 was on 4 Feb
        (date(2023, 3, 22), "农历癸卯年闰二月初一"),
        (date(2023, 4, 20), "农历癸卯年三月初一"),  # the month after the leap month
        (date(2020, 5, 23), "农历庚子年闰四月初一"),
        (date(2024, 12, 31), "农历甲辰年腊月初一"),
        (date(2025, 1, 29), "农历乙巳年正月初一"),  # 春节 2025
    ],
)
def test_lunar(day, expected):
    assert lunar(day) == expected


# -- helpers ------------------------------------------------------------------


def _pdf(svg: str) -> bytes:
    """A page holding only `svg`: no HTML text to paint in other colours."""
    import weasyprint

    html = (
        "<!DOCTYPE html><html><head><style>"
        "@page { size: 50mm 35mm; margin: 5mm } body { margin: 0 } svg { display: block }"
        f"</style></head><body>{svg}</body></html>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def _zbarimg(pdf: bytes, directory: Path, *options: str) -> str:
    """What zbar reads from the page rasterised at 600 dpi, one symbol a line."""
    import pypdfium2

    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.fail("zbarimg is not installed: install zbar-tools (setup.sh does)")
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=600 / 72).to_pil()
    finally:
        document.close()
    png = directory / "page.png"
    image.save(png)
    result = subprocess.run(
        [zbarimg, "--quiet", *options, str(png)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"zbarimg read nothing ({result.returncode}): {result.stderr}"
    return result.stdout.strip()


def _assert_black_vector(pdf: bytes) -> None:
    """No image on the page, and every paint K only: DeviceCMYK 0 0 0 1."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        operators = [op for content in _contents(document.pages[0]) for op in content]
    names = {str(operator) for _, operator in operators}
    assert names & {"f", "f*"}, "nothing is painted"
    assert not names & {"rg", "RG", "g", "G", "k", "K", "sc", "SC"}, names
    for operands, operator in operators:
        if str(operator) in ("cs", "CS"):
            assert list(operands) == [pikepdf.Name.DeviceCMYK]
        if str(operator) in ("scn", "SCN"):
            assert list(operands) == [0, 0, 0, 1]


def _contents(owner) -> Iterator[list]:
    """The content stream of a page or form XObject and of the forms it draws."""
    yield pikepdf.parse_content_stream(owner)
    resources = owner.Resources if isinstance(owner, pikepdf.Page) else owner.get("/Resources")
    for xobject in (resources or {}).get("/XObject", {}).values():
        assert xobject.Subtype == "/Form", "the page holds an image"
        yield from _contents(xobject)
