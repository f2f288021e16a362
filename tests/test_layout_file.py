"""The layout file round trip: a page built from its own layout file comes out the same."""

from __future__ import annotations

import subprocess
import sys

import pytest

from layout.compose import compose_page
from layout.pipeline import build
from layout.sources.layout_file import dump_layout, load_layout
from layout.sources.page import load_page
from layout.typeset.normalise import normalise_page
from tests.conftest import ROOT, SEED


def boxes(layout):
    lede = layout.lede.box if layout.lede else None
    return lede, [(module.article.file.name, module.box) for module in layout.modules]


def test_a_layout_file_reads_back_to_the_same_text(roles, tmp_path):
    first = dump_layout(compose_page(normalise_page(load_page(SEED)), roles))
    path = tmp_path / "layout.yaml"
    path.write_text(first, encoding="utf-8")
    pinned = normalise_page(load_layout(path, load_page(SEED)))
    # every module is pinned: the slots read back must be the ones written
    assert all(article.slot is not None for article in pinned.articles)
    assert dump_layout(compose_page(pinned, roles)) == first


@pytest.mark.slow
def test_a_build_from_its_own_layout_file_is_the_same_to_the_byte(tmp_path):
    first = build(SEED, tmp_path / "first.pdf", layout_out=tmp_path / "first.yaml")
    second = build(
        SEED,
        tmp_path / "second.pdf",
        layout_in=tmp_path / "first.yaml",
        layout_out=tmp_path / "second.yaml",
    )
    assert (tmp_path / "second.yaml").read_bytes() == (tmp_path / "first.yaml").read_bytes()
    assert boxes(second.layout) == boxes(first.layout)
    assert second.pdf == first.pdf
    assert (tmp_path / "second.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()


@pytest.mark.slow
def test_the_command_line_round_trip_gives_the_same_pdf(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    layout, again = tmp_path / "l.yaml", tmp_path / "l2.yaml"
    runs = (
        [str(SEED), "-o", str(a), "--layout-out", str(layout)],
        [str(SEED), "--layout", str(layout), "-o", str(b), "--layout-out", str(again)],
    )
    for args in runs:
        result = subprocess.run(
            [sys.executable, "build_pdf.py", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert again.read_bytes() == layout.read_bytes()
    assert b.read_bytes() == a.read_bytes()
