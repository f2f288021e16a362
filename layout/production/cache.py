"""A content-addressed store of built pages, so an edition rebuild renders only what changed.

A page's key hashes everything its PDF depends on: exactly the files the
build reads of the page directory (page.yaml, the articles and fillers it
lists, their photos; names and bytes), the code and styles that typeset it, the pinned
package versions, the font files the roles resolve to, and the build options
(in an edition also the page's jumps and the text of the rests other pages
send it, so an edit that moves a cut rebuilds the page the rest runs on).
Two builds with one key give the same bytes (builds are reproducible), so a
stored PDF can stand in for a new one.  Entries are written atomically; a
damaged or partial entry is a miss, never an error.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .. import PROJECT
from ..errors import LayoutError
from ..model.copy import page_files
from ..model.document import Page
from ..output.write import write_atomically
from ..sources.page import load_page
from ..typeset import fonts

ROOT = PROJECT
# What the typesetting code is: its modules, templates, styles, font roles and pins.
CODE = (
    "layout/**/*.py",
    "layout/render/templates/*",
    "styles/*",
    "fonts/roles.yaml",
    "requirements.txt",
)
CACHE_DIR = ".cache"  # under an edition's or batch's output directory
PDF_NAME = "page.pdf"
ENTRY_NAME = "entry.json"


def _digest_files(digest: hashlib._Hash, root: Path, paths: set[Path]) -> None:
    """Names relative to `root` and contents, streamed: a photo need not fit in memory twice."""
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        with path.open("rb") as file:
            digest.update(hashlib.file_digest(file, "sha256").digest())


@functools.cache
def code_version() -> str:
    """Hash of the code, styles and pins; a change to any invalidates every page."""
    digest = hashlib.sha256()
    paths = {p for pattern in CODE for p in ROOT.glob(pattern) if p.is_file()}
    _digest_files(digest, ROOT, {p for p in paths if "__pycache__" not in p.parts})
    return digest.hexdigest()


@functools.cache
def fonts_version() -> str:
    """The font files the roles resolve to, by path, size and modification time.

    Hashing 100 MB of CJK fonts per process would cost more than a page build;
    a font package update changes size or time, which is what matters here.
    """
    digest = hashlib.sha256()
    faces = sorted({face for role in fonts.load_roles().values() for face in role.faces}, key=str)
    for face in faces:
        stat = face.file.stat()
        digest.update(f"{face.file}\0{face.index}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def page_key(directory: Path, options: dict[str, object]) -> str | None:
    """The key of the page in `directory` built with `options` (JSON-able build options).

    None for a page that does not load (or whose files go while it loads): its
    build will fail, and a failure is never cached.
    """
    try:
        return loaded_key(load_page(directory), options)
    except (LayoutError, OSError):
        return None


def loaded_key(page: Page, options: dict[str, object]) -> str | None:
    """The key of `page` as loaded: the files it was read from, hashed as they are now.

    Only what the build reads counts, so an editor's backup or a huge unrelated
    file in the directory neither changes the key nor is read.  None if a file
    has gone since the page was loaded.
    """
    digest = hashlib.sha256()
    digest.update(code_version().encode() + fonts_version().encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    try:
        _digest_files(digest, page.directory, page_files(page))
    except OSError:
        return None
    return digest.hexdigest()


@dataclass(frozen=True)
class Hit:
    pdf: bytes
    entry: dict  # what the build that made the PDF reported (see page_job)
    place: Path

    def extra(self, name: str) -> bytes | None:
        """A file derived from the PDF (a proof) stored beside it, if it was."""
        try:
            return (self.place / name).read_bytes()
        except OSError:
            return None


@dataclass(frozen=True)
class Cache:
    """Entries under `root`, one directory per key: the PDF and what its build reported."""

    root: Path

    def get(self, key: str) -> Hit | None:
        place = self.place(key)
        try:
            pdf = (place / PDF_NAME).read_bytes()
            entry = json.loads((place / ENTRY_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if entry.get("pdf_sha256") != hashlib.sha256(pdf).hexdigest():
            return None
        return Hit(pdf, entry, place)

    def place(self, key: str) -> Path:
        """The folder of `key`'s entry, where extras are kept beside the PDF."""
        return self.root / key[:2] / key

    def put(self, key: str, pdf: bytes, entry: dict) -> Path:
        place = self.place(key)
        entry = {**entry, "pdf_sha256": hashlib.sha256(pdf).hexdigest()}
        write_atomically(place / PDF_NAME, pdf)
        # Written last: an entry without its JSON is a miss.
        write_atomically(place / ENTRY_NAME, json.dumps(entry, ensure_ascii=False).encode())
        return place
