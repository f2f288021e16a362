"""Files a page names: found inside its directory, and pictures opened safely.

Keeping sources inside the page directory lets a page be moved or archived
whole; decoding a picture here, strictly, makes a broken one a message with
its line instead of a crash in the render stage.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import ExifTags, ImageFile, UnidentifiedImageError
from PIL import Image as PILImage

from ..errors import Problem
from .located import Yaml

IMAGE_FORMATS = frozenset({"JPEG", "PNG"})
# Far above any press photo (a full broadsheet page at 300 dpi is ~60 MP) and
# low enough that decoding cannot exhaust memory.
MAX_PIXELS = 100_000_000


def image_size(
    path: Path, entry: str, doc: Yaml, loc: tuple[str | int, ...], problems: list[Problem]
) -> tuple[int, int] | None:
    """Pixel size of a JPEG or PNG, decoded here so a broken photo is a message, not a crash."""
    try:
        kind, width, height = inspect_image(path)
    except PILImage.DecompressionBombError:
        problems.append(
            doc.problem(f"{entry} has too many pixels to open safely", loc, _SCALE_DOWN)
        )
        return None
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError… for bad files
        reason = "no known image format" if isinstance(exc, UnidentifiedImageError) else exc
        problems.append(
            doc.problem(
                f"{entry} is not a readable JPEG or PNG image ({reason})",
                loc,
                "export the picture again as JPEG or PNG; this file is damaged or not an image",
            )
        )
        return None
    if kind not in IMAGE_FORMATS:
        problems.append(
            doc.problem(
                f"{entry} is a {kind} image; only JPEG and PNG can be printed",
                loc,
                "convert it to JPEG (photos) or PNG (graphics)",
            )
        )
        return None
    if width * height > MAX_PIXELS:
        problems.append(
            doc.problem(
                f"{entry} is {width}×{height} pixels, over {MAX_PIXELS // 1_000_000} megapixels",
                loc,
                _SCALE_DOWN,
            )
        )
        return None
    return width, height


_SCALE_DOWN = "scale the picture down; 300 dpi at full page width needs far fewer pixels"


def inspect_image(path: Path) -> tuple[str | None, int, int]:
    """Format and size as printed, after a full decode of acceptable images; raises on
    unreadable files.  WeasyPrint turns a photo by its EXIF orientation, so must the layout."""
    with warnings.catch_warnings(), _truncation_is_an_error():
        # Pillow warns from ~89 MP; MAX_PIXELS, checked before decoding, is our limit.
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        with PILImage.open(path) as image:
            kind, (width, height) = image.format, image.size
            if kind not in IMAGE_FORMATS or width * height > MAX_PIXELS:
                return kind, width, height
            # As WeasyPrint decides it (images.rotate_pillow_image): 5–8 turn a quarter.
            orientation = (
                image.getexif().get(ExifTags.Base.Orientation) if "exif" in image.info else 1
            )
            image.verify()
        with PILImage.open(path) as image:  # verify() leaves it unusable; load() finds truncation
            image.load()
    return (kind, height, width) if orientation in (5, 6, 7, 8) else (kind, width, height)


@contextmanager
def _truncation_is_an_error() -> Iterator[None]:
    """WeasyPrint, once imported, makes Pillow pad truncated images silently, for all callers.

    A half-copied photo must still be reported here, so decode strictly and restore the setting.
    """
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def source_file(
    directory: Path,
    entry: str,
    doc: Yaml,
    loc: tuple[str | int, ...],
    problems: list[Problem],
    *,
    listed: frozenset[str] = frozenset(),
) -> Path | None:
    """The file an entry names, if it exists inside the page directory.

    Keeping sources inside the directory lets a page be moved or archived whole.
    """
    path = directory / entry
    if Path(entry).is_absolute() or ".." in Path(entry).parts:
        problems.append(doc.problem(f"{entry} is outside the page directory", loc, _INSIDE))
        return None
    try:
        inside = path.resolve().is_relative_to(directory.resolve())
        exists, is_file = path.exists(), path.is_file()
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loops, NUL bytes, long names
        problems.append(doc.problem(f"{entry} cannot be used: {exc}", loc, _INSIDE))
        return None
    if not inside:
        problems.append(
            doc.problem(f"{entry} links to a file outside the page directory", loc, _INSIDE)
        )
    elif not exists:
        problems.append(doc.problem(f"{entry} not found", loc, similar_file(path, listed)))
    elif not is_file:
        problems.append(doc.problem(f"{entry} is not a file", loc, "name a file, not a directory"))
    else:
        return path
    return None


_INSIDE = "copy the file into the page directory and give its path relative to it, without `..`"


def similar_file(path: Path, listed: frozenset[str]) -> str:
    """Suggest a near name, but not a file already listed: that is not the one meant."""
    files = path.parent.iterdir() if path.parent.is_dir() else ()
    names = sorted(p.name for p in files if p.name not in listed)
    close = difflib.get_close_matches(path.name, names, n=1)
    if close:
        return f"did you mean `{close[0]}`?"
    return "check the file name, or add the file to the page directory"
