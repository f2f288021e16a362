"""Shared fixtures: the real fonts and grids, loaded once per session; the Hypothesis
profiles; and a guard that fails any test during which WeasyPrint warns unexpectedly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from layout.model.grid import Grid
from layout.render.html_to_pdf import weasyprint_records
from layout.typeset import fonts
from layout.typeset.measure import Typesetter

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "baotou-daily-2024-03-26-p5"

# CI runs the same examples every time, so a red run can be re-run and read; a
# developer's run explores new ones.  HYPOTHESIS_PROFILE=ci reproduces CI's here.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory):
    """A copy of the seed page that one test module may edit, serve and build."""
    directory = tmp_path_factory.mktemp("seed") / "page"
    shutil.copytree(SEED, directory)
    return directory


@pytest.fixture(scope="session")
def roles():
    return fonts.load_roles()


@pytest.fixture(scope="session")
def typesetter(roles):
    return Typesetter(roles, Grid.for_format("tabloid"))


@pytest.fixture(autouse=True)
def weasyprint_log():
    """WeasyPrint's WARNING-or-worse records; a test that expects some says so by taking
    this fixture and emptying the list, any other test fails if one was logged."""
    with weasyprint_records() as records:
        yield records
    if records:
        logged = "\n".join(f"{r.levelname}: {r.getMessage()}" for r in records)
        pytest.fail(f"WeasyPrint logged during the test:\n{logged}", pytrace=False)


def pytest_addoption(parser):
    parser.addoption(
        "--fuzz",
        action="store_true",
        help="run the structured fuzzer for ten minutes of new examples (before a release)",
    )
