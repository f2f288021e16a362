"""WeasyPrint reads nothing but the page's own files, the project's styles and data: URLs."""

from __future__ import annotations

import pytest

from layout.errors import SourceError
from layout.render.html_to_pdf import render_pdf

PAGE = "<html><body><p>中文</p>{}</body></html>"


@pytest.mark.parametrize(
    "reference",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<img src="http://127.0.0.1:9/tracker.png">',
        '<link rel="stylesheet" href="https://example.invalid/x.css">',
        '<img src="../outside.png">',
        "<div style=\"background:url('file:///etc/hostname')\">x</div>",
    ],
)
def test_a_reference_outside_the_page_stops_the_build(reference, tmp_path):
    page = tmp_path / "page"
    page.mkdir()
    (tmp_path / "outside.png").write_bytes(b"\x89PNG")
    with pytest.raises(SourceError, match="outside the page directory"):
        render_pdf(PAGE.format(reference), page)


def test_files_inside_the_page_and_data_urls_are_served(tmp_path):
    from PIL import Image

    Image.new("RGB", (4, 4), "red").save(tmp_path / "photo.png")
    pixel = (
        "data:image/png;base64,"
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    html = PAGE.format(f'<img src="photo.png"><img src="{pixel}">')
    pdf = render_pdf(html, tmp_path).pdf
    assert pdf.count(b"/Subtype /Image") >= 2  # both pictures (a PNG may add a soft mask)
    assert b"/EmbeddedFile" not in pdf
