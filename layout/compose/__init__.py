"""Compose: give every article a rectangle of whole columns and lines (see ARCHITECTURE.md)."""

from .composer import compose, compose_page
from .scoring import TOMBSTONE_ROWS, TOMBSTONE_SIZE_STEP
from .stacking import MAX_HOLE_ROWS

__all__ = ["MAX_HOLE_ROWS", "TOMBSTONE_ROWS", "TOMBSTONE_SIZE_STEP", "compose", "compose_page"]
