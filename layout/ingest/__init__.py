"""Importers: newsroom text, NITF and Word files to page sources (see draft.py)."""

from __future__ import annotations

import importlib
from pathlib import Path

from .draft import DraftPage

READERS = {
    "text": ("text", "read_text"),
    "nitf": ("nitf", "read_nitf"),
    "docx": ("docx", "read_docx"),
}


def read(kind: str, path: Path) -> DraftPage:
    """The draft page `path` holds, read by the importer for `kind`."""
    module, function = READERS[kind]
    return getattr(importlib.import_module(f".{module}", __name__), function)(path)
