"""The only way WeasyPrint may read anything: files under the page and the project.

WeasyPrint's default fetcher follows any URL, `file://` and http included, so
a reference smuggled into a page could embed a local file in the PDF or make
the build server send requests.  Every HTML and CSS object the render stage
creates gets a `PageFetcher`: files inside the allowed folders and `data:`
URLs are served, anything else stops the build naming the reference.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


class RefusedReferenceError(FatalURLFetchingError):
    """A reference to something outside the page directory and the project's own files."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class ConvertedPhoto(URLFetcherResponse):
    """A photo converted in memory: with a file path, WeasyPrint would embed the file instead."""

    @property
    def path(self) -> None:
        return None


class PageFetcher(URLFetcher):
    """`photos`, if given, converts every JPEG or PNG served (PDF/X: to CMYK JPEG)."""

    def __init__(self, *roots: Path, photos: Callable[[bytes], bytes] | None = None) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.photos = photos

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve()
            if (
                not parts.netloc
                and path.is_file()
                and any(path.is_relative_to(r) for r in self.roots)
            ):
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                data = path.read_bytes()
                if self.photos is not None and kind in PHOTO_TYPES:
                    return ConvertedPhoto(path.as_uri(), self.photos(data), {"Content-Type": kind})
                return URLFetcherResponse(path.as_uri(), data, {"Content-Type": kind})
        raise RefusedReferenceError(url)
