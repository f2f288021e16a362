"""Shared fixtures: the real fonts and grids, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.model.grid import Grid
from layout.typeset import fonts
from layout.typeset.measure import Typesetter

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "baotou-daily-2024-03-26-p5"


@pytest.fixture(scope="session")
def roles():
    return fonts.load_roles()


@pytest.fixture(scope="session")
def typesetter(roles):
    return Typesetter(roles, Grid.for_format("tabloid"))
