"""The make-up's probe (`compose/probe.py`) against the composer: what it says a module does
in a slot is what a build with the module pinned there gives that module."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from layout.compose import compose_page
from layout.compose.probe import slot_fit
from layout.errors import FitError
from layout.model.layout import Layout
from layout.pipeline import prepared_page
from layout.typeset.measure import Typesetter
from tests.conftest import SEED

pytestmark = pytest.mark.slow  # composes the seed page for each example

ARTICLES = sorted(p.name for p in SEED.glob("0*.md"))


@pytest.fixture(scope="module")
def kept(roles):
    """Typesetters kept between the compositions, as the live proof keeps them."""
    made: dict = {}
    return lambda given_roles, grid: made.setdefault(grid, Typesetter(given_roles, grid))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(ARTICLES),
    columns=st.integers(1, 5),
    line=st.integers(15, 50),
    lines=st.integers(6, 40),
    data=st.data(),
)
def test_the_probe_says_what_the_build_gives_the_pinned_module(
    tmp_path_factory, roles, kept, *, name, columns, line, lines, data
):
    column = data.draw(st.integers(1, 6 - columns))
    lines = min(lines, 75 - line)
    layout_file = tmp_path_factory.mktemp("probe") / "layout.yaml"
    slot = f"{{column: {column}, columns: {columns}, line: {line}, lines: {lines}}}"
    layout_file.write_text(f"format: tabloid\nbody: 9\nmodules:\n  {name}: {slot}\n", "utf-8")
    page = prepared_page(SEED, layout_in=layout_file)
    try:
        layout = compose_page(page, roles, kept)
    except FitError as error:
        if not isinstance(error.draft, Layout):
            event("no arrangement around the pin")
            return  # nothing built to compare
        layout = error.draft
    built = {m.article.file.name: m for m in layout.modules}.get(name)
    if built is None:
        event("a draft with no room for the module")
        return
    fit = slot_fit(page, kept(roles, layout.grid), name, columns, lines)
    assert (built.box.columns, built.box.rows) == (columns, fit.rows)
    assert (built.lines_used, built.lines_available) == (fit.lines_used, fit.lines_available)
    overset = sum(len(o.lines) for o in layout.overset if o.key == built.article.slug)
    event("compared: " + ("fits" if fit.fits else "overset" if fit.overset else "holes"))
    assert fit.overset == overset


def test_the_probe_tells_a_slot_too_short_from_one_too_tall(roles):
    page = prepared_page(SEED)
    ts = Typesetter(roles, compose_page(page, roles).grid)
    name = "03-kejiju.md"
    exact = slot_fit(page, ts, name, 2, 25)
    assert exact.fits and exact.rows == 25 and 25 in exact.heights and exact.overset == 0
    short = slot_fit(page, ts, name, 2, 20)
    assert not short.fits and short.overset == exact.lines_used - short.lines_used > 0
    tall = slot_fit(page, ts, name, 3, 30)
    assert not tall.fits and tall.rows == max(tall.heights) and tall.hole == 30 - tall.rows
    with pytest.raises(KeyError):
        slot_fit(page, ts, "99-none.md", 2, 25)
