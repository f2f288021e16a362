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
from urllib.parse import quote, unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
# Where the template names a page's own files: WeasyPrint names an image in the PDF by
# the hash of its URL, so a URL that holds the page directory's path would make the
# bytes depend on where the page was built (a Dask worker's temporary folder).
PAGE_URL = "file:///newspage-page/"


def page_url(path: Path, directory: Path) -> str:
    """The URL of a file inside the page directory, the same wherever the page is."""
    return PAGE_URL + quote(path.resolve().relative_to(directory.resolve()).as_posix())


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

    def __init__(
        self,
        *roots: Path,
        photos: Callable[[bytes], bytes] | None = None,
        page: Path | None = None,
    ) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.photos = photos
        self.page = page  # the directory PAGE_URL names

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve()
            if url.startswith(PAGE_URL) and self.page is not None:
                path = (self.page / unquote(url.removeprefix(PAGE_URL))).resolve()
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
