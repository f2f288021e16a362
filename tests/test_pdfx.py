"""The PDF/X post-processing on hand-made PDFs: fast, and each case on its own."""

from __future__ import annotations

import io

import pikepdf

from layout.output.pdfx import black_to_k

COLOUR_OPERATORS = {"rg", "RG", "k", "K"}


def pdf_with(page_content: bytes, form_content: bytes | None = None) -> bytes:
    document = pikepdf.new()
    page = document.add_blank_page(page_size=(100, 100))
    page.obj.Contents = document.make_stream(page_content)
    if form_content is not None:
        form = document.make_stream(form_content, Type=pikepdf.Name.XObject)
        form.Subtype = pikepdf.Name.Form
        form.BBox = [0, 0, 100, 100]
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F=form))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def operators(pdf: bytes) -> list[tuple[str, list[float]]]:
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        streams = [page, *(x for x in (page.Resources.get("/XObject") or {}).values())]
        for stream in streams:
            for instruction in pikepdf.parse_content_stream(stream):
                name = str(instruction.operator)
                if name in COLOUR_OPERATORS:
                    found.append((name, [float(v) for v in instruction.operands]))
    return found


def test_rgb_black_on_the_page_itself_becomes_k():
    result = black_to_k(pdf_with(b"0 0 0 rg 0 0 10 10 re f 0 0 0 RG 0 0 m 9 9 l S"))
    ops = operators(result)
    assert ("k", [0, 0, 0, 1]) in ops and ("K", [0, 0, 0, 1]) in ops
    assert not [op for op, _ in ops if op in ("rg", "RG")]


def test_black_in_a_form_becomes_k_and_other_rgb_stays_for_the_preflight():
    result = black_to_k(pdf_with(b"/F Do", b"0 0 0 rg 0.5 0 0 RG 0 0 10 10 re B"))
    ops = operators(result)
    assert ("k", [0, 0, 0, 1]) in ops
    assert ("RG", [0.5, 0, 0]) in ops


def test_a_pdf_without_rgb_black_is_returned_unchanged():
    pdf = pdf_with(b"0 0 0 1 k 0 0 10 10 re f")
    assert black_to_k(pdf) is pdf
