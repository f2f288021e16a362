"""The only way WeasyPrint may read anything: files under the page and the project.

WeasyPrint's default fetcher follows any URL, `file://` and http included, so
a reference smuggled into a page could embed a local file in the PDF or make
the build server send requests.  Every HTML and CSS object the render stage
creates gets a `PageFetcher`: files inside the allowed folders and `data:`
URLs are served, anything else stops the build naming the reference.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class RefusedReferenceError(FatalURLFetchingError):
    """A reference to something outside the page directory and the project's own files."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class PageFetcher(URLFetcher):
    def __init__(self, *roots: Path) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

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
                return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})
        raise RefusedReferenceError(url)
