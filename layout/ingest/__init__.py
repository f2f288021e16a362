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


def read_all(kind: str, paths: list[Path]) -> DraftPage:
    """One page from several files (a story each, in priority order).

    Page fields come from the first file that gives them; pictures are renamed
    by article so that two stories' `image1.png` do not overwrite each other.
    """
    drafts = [read(kind, path) for path in paths]
    if len(drafts) == 1:
        return drafts[0]
    page = DraftPage()
    for path, draft in zip(paths, drafts, strict=True):
        for key in ("paper", "date", "page", "section", "format", "banner", "designer"):
            if getattr(page, key) is None:
                setattr(page, key, getattr(draft, key))
        page.lede += draft.lede
        page.credit_lines += draft.credit_lines
        page.editors = page.editors or draft.editors
        for article in draft.articles:
            page.articles.append(article)
            for image in article.images:
                image.name = f"{len(page.articles):02d}-{image.name}"
        page.notes += [f"{path.name}: {note}" for note in draft.notes]
    return page
