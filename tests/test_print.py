"""The print plant's PDF/X read back: boxes, output intent, CMYK only, photos under the
ink limit, reproducible bytes, and a front page whose masthead barcode scans."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import numpy as np
import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

import build_pdf
from layout.model.grid import FORMATS, MM
from layout.options import INK_LIMIT, PDFX_1A, PDFX_4, OutputOptions
from layout.output.pdfx import PROFILE, SEPARATION_LIMIT, cmyk_photo
from layout.pipeline import build
from layout.render.masthead import ean13
from layout.sources.page import load_page
from tests.conftest import SEED
from tests.pagegen import Spec, write_page

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'

BLEED_MM = 3.0  # styles/print.css
MASTHEAD = {"issue": 21345, "cn": "15-0002", "issn": "0317-8471", "url": "https://example.cn/e"}
COLOUR_OPERATORS = {"rg", "RG", "g", "G", "k", "K", "sc", "SC", "scn", "SCN", "cs", "CS"}


def front_page(directory):
    """The seed page as a front page: page 1 with the masthead, the lede dropped for room."""
    shutil.copytree(SEED, directory)
    text = (directory / "page.yaml").read_text(encoding="utf-8")
    text = re.sub(r"lede: \|\n  .*\n", "", text).replace("page: 5\n", "page: 1\n")
    fields = ", ".join(f"{key}: {value}" for key, value in MASTHEAD.items())
    (directory / "page.yaml").write_text(text + f"masthead: {{{fields}}}\n", encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def seed_x4():
    return build(SEED, options=OutputOptions(PDFX_4))


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    return build(
        front_page(tmp_path_factory.mktemp("front") / "p01"), options=OutputOptions(PDFX_1A)
    )


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    specs = [Spec(758), Spec(632, 1), Spec(505), Spec(379)]  # a tabloid page that fits
    page = write_page(tmp_path_factory.mktemp("photo") / "p", specs, seed=2)
    for path in page.glob("*.jpg"):  # print resolution: 300 ppi and more at the module width
        with Image.open(path) as photo:
            photo.resize((photo.width * 3, photo.height * 3)).save(path, quality=90)
    return build(page, options=OutputOptions(PDFX_4))


def boxes(pdf: bytes) -> dict[str, list[float]]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0].obj
        return {
            name: [float(v) for v in page[f"/{name}"]]
            for name in ("MediaBox", "TrimBox", "BleedBox")
        }


def test_trim_and_bleed_boxes(seed_x4):
    width, height = (v * MM for v in FORMATS[load_page(SEED).format].trim_mm)
    bleed = BLEED_MM * MM
    found = boxes(seed_x4.pdf)
    assert found["TrimBox"] == pytest.approx([0, 0, width, height], abs=0.01)
    assert found["BleedBox"] == pytest.approx(
        [-bleed, -bleed, width + bleed, height + bleed], abs=0.01
    )
    media = found["MediaBox"]
    assert media[0] <= -bleed + 0.01 and media[1] <= -bleed + 0.01
    assert media[2] >= width + bleed - 0.01 and media[3] >= height + bleed - 0.01


@pytest.mark.parametrize(("which", "version"), [("seed_x4", "1.6"), ("front", "1.4")])
def test_output_intent_is_the_cmyk_profile(which, version, request):
    pdf = request.getfixturevalue(which).pdf
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert document.pdf_version == version
        (intent,) = document.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4
        assert profile.read_bytes() == PROFILE.read_bytes()
        assert "GTS_PDFXVersion" in document.Root.Metadata.read_bytes().decode()
        assert str(document.docinfo.CreationDate).startswith("D:20240326")


def colour_operations(pdf: bytes) -> list[tuple[str, list]]:
    """Every colour operator of the page and its forms, with its operands."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:

        def walk(content) -> None:
            for operands, operator in pikepdf.parse_content_stream(content):
                if str(operator) in COLOUR_OPERATORS:
                    found.append((str(operator), [str(o) for o in operands]))
            for xobject in (content.get("/Resources", {}).get("/XObject") or {}).values():
                if xobject.Subtype == "/Form":
                    walk(xobject)

        page = document.pages[0]
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) in COLOUR_OPERATORS:
                found.append((str(operator), [str(o) for o in operands]))
        for xobject in (page.Resources.get("/XObject") or {}).values():
            if xobject.Subtype == "/Form":
                walk(xobject)
    return found


@pytest.mark.parametrize("which", ["seed_x4", "front", "photos"])
def test_ink_is_cmyk_only_and_text_black_is_k_only(which, request):
    operations = colour_operations(request.getfixturevalue(which).pdf)
    assert operations
    assert {op for op, _ in operations} <= {"cs", "CS", "scn", "SCN", "k", "K"}
    assert {tuple(args) for op, args in operations if op in {"cs", "CS"}} == {("/DeviceCMYK",)}
    inks = {
        tuple(float(v) for v in args) for op, args in operations if op in {"scn", "SCN", "k", "K"}
    }
    assert (0.0, 0.0, 0.0, 1.0) in inks
    for cyan, magenta, yellow, _ in inks:
        assert cyan == magenta == yellow == 0  # no four-colour black, no colour at all


def cmyk_images(pdf: bytes) -> list[Image.Image]:
    images = []
    with pikepdf.open(io.BytesIO(pdf)) as document:

        def walk(resources) -> None:
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.Subtype == "/Image":
                    assert xobject.ColorSpace == "/DeviceCMYK"
                    images.append(Image.open(io.BytesIO(xobject.read_raw_bytes())))
                else:
                    walk(xobject.get("/Resources") or {})

        walk(document.pages[0].Resources)
    return images


def test_photos_are_separated_to_cmyk_under_the_ink_limit(photos):
    (image,) = cmyk_images(photos.pdf)
    assert image.mode == "CMYK"
    ink = np.asarray(image, dtype=np.float64).sum(axis=-1) / 255 * 100
    assert ink.max() <= INK_LIMIT  # every pixel, as the preflight measures
    assert ink.mean() > 50  # a picture, not a blank


def test_the_ink_limit_holds_for_the_darkest_colours():
    dark = Image.new("RGB", (64, 64), (10, 5, 30))
    data = io.BytesIO()
    dark.save(data, format="PNG")
    with Image.open(io.BytesIO(cmyk_photo(data.getvalue()))) as separated:
        ink = np.asarray(separated, dtype=np.float64).sum(axis=-1) / 255 * 100
        black = np.asarray(separated, dtype=np.float64)[..., 3] / 255 * 100
    assert SEPARATION_LIMIT - 3 <= ink.max() <= INK_LIMIT
    assert black.min() > 60  # the limit is taken from C, M and Y, black stays


def test_the_print_pdf_is_reproducible(seed_x4):
    assert build(SEED, options=OutputOptions(PDFX_4)).pdf == seed_x4.pdf


def zbar(png: Image.Image, tmp_path) -> list[str]:
    path = tmp_path / "scan.png"
    png.save(path)
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is not installed: install zbar-tools (setup.sh does)")
    result = subprocess.run(
        ["zbarimg", "-q", "-Sean2.enable", str(path)], capture_output=True, text=True, check=False
    )
    return result.stdout.split()


def test_the_front_page_masthead_barcode_and_qr_code_scan(front, tmp_path):
    document = pdfium.PdfDocument(front.pdf)
    try:
        image = document[0].render(scale=600 / 72).to_pil()
    finally:
        document.close()
    top = image.crop((0, 0, image.width, image.height // 7))
    found = zbar(top, tmp_path)
    assert f"EAN-13:{ean13(MASTHEAD['issn'])}" in found
    assert f"EAN-2:{MASTHEAD['issue'] % 100:02d}" in found
    assert f"QR-Code:{MASTHEAD['url']}" in found
    with pdfplumber.open(io.BytesIO(front.pdf)) as pdf:
        text = pdf.pages[0].extract_text().replace(" ", "")
    for printed in (f"总第{MASTHEAD['issue']}期", "星期二", "农历甲辰年二月十七", "ISSN0317-8471"):
        assert printed in text


def test_pdfa_and_pdfx_are_one_or_the_other(capsys):
    with pytest.raises(SystemExit) as exit_:
        build_pdf.main(["--pdfa", "--pdfx"])
    assert exit_.value.code == 2
    assert "not allowed" in capsys.readouterr().err


@pytest.mark.parametrize("which", ["seed_x4", "front", "photos"])
def test_print_pages_pass_their_own_preflight(which, request):
    result = request.getfixturevalue(which)
    assert result.preflight is not None
    assert result.preflight.findings == []


def test_a_preflight_error_stops_the_build_and_names_the_finding(tmp_path, capsys):
    specs = [Spec(758), Spec(632, 1), Spec(505), Spec(379)]  # a tabloid page that fits
    page = write_page(tmp_path / "page", specs, seed=2)
    (photo,) = page.glob("*.jpg")
    with Image.open(photo) as picture:  # a web thumbnail: far under 150 ppi in print
        picture.resize((picture.width // 4, picture.height // 4)).save(photo)
    output = tmp_path / "out.pdf"
    code = build_pdf.main([str(page), "-o", str(output), "--pdfx", "-q"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert re.search(r"page 1: image \S+ \(150×112 px\) at \d+ ppi: under 150 ppi", err), err
    assert not output.exists()
