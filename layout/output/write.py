"""Write the outputs atomically: a failed build never leaves a partial or mixed set of files."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def written_path(path: Path) -> Path:
    """Where writing `path` lands: a symlink's target, so the link stays a link."""
    return Path(os.path.realpath(path))


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; the old file stays until then."""
    write_all({path: data})


def write_all(files: Mapping[Path, bytes]) -> None:
    """Replace every file with its bytes, or none of them.

    A build's PDF, preview and layout file belong together: each is written in
    full to a temporary file beside it first, and only when all are written are
    they renamed over the old ones, so a full disk or a Ctrl-C leaves the old set.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            target = written_path(path)
            staged.append((_staged(target, data), target))
        for temporary, target in staged:
            temporary.replace(target)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise


def _staged(target: Path, data: bytes) -> Path:
    """`data` in a new temporary file in `target`'s directory (made if missing)."""
    if target.is_dir():  # found now, not when renaming after other files were replaced
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        temporary.chmod(0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary
