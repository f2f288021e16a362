"""The live proof's pages (`live/preview.py`): a proof is shown as soon as it is rendered,
completed once the check has read it, and taken back if the check refuses it."""

from __future__ import annotations

import shutil

import pytest

from layout.errors import CheckError, Problem
from layout.live.preview import Preview
from layout.options import DEFAULT
from tests.conftest import SEED

pytestmark = pytest.mark.slow  # builds the seed page


@pytest.fixture
def preview(tmp_path):
    directory = tmp_path / "page"
    shutil.copytree(SEED, directory)
    return Preview(directory, DEFAULT)


def test_the_proof_is_shown_before_the_check_and_completed_after(preview):
    (view,) = preview.pages.values()
    seen = []
    preview.rebuild(view, lambda: seen.append(view.summary()))
    (early,) = seen
    assert early["proof"] and early["checking"] and early["report"] is None
    assert not any(f["kind"] == "typography" for f in early["overlay"]["findings"])
    done = view.summary()
    assert not done["checking"] and done["report"] and done["version"] == early["version"] + 1
    assert done["proof"] == early["proof"]  # the same image: only the figures were added
    assert view.proof is not None and view.proof.layout.modules


def test_a_proof_the_check_refuses_gives_way_to_the_one_before(preview, monkeypatch):
    (view,) = preview.pages.values()
    preview.rebuild(view)
    good = view.proof
    refused = []

    def refuse(pdf, page, layout):
        refused.append(view.summary()["checking"])  # the new proof was shown meanwhile
        raise CheckError([Problem("a glyph outside its column")])

    monkeypatch.setattr("layout.pipeline.check_pdf", refuse)
    preview.rebuild(view)
    assert refused == [True]
    assert view.proof is good and "a glyph outside its column" in (view.error or "")
    assert view.summary()["proof"].endswith(f"v={view.shown}") and view.shown == 3
