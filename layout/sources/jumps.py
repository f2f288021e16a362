"""Jumps between the pages of an edition (下转/上接): each `continues:` resolved to its page.

A page whose articles may jump is loaded here as its build will load it, so a
jump is known by the slug and line its build sees; the others are only
looked at (their header, and whether an article file says `continues:`).  A
page that does not load is left for its own build to report; it sends no
rest.  A page is named by its 版次, read from its page.yaml now (so
renumbering a page changes every jump line naming it at the next build), or
by its directory's name, which survives renumbering.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from ..errors import Problem, SourceError, shown
from ..model.document import Article, Edition, Link
from .explain import validate
from .models import PageSource
from .page import PAGE_FILE, load_page, open_page_yaml


def resolve_jumps(edition: Edition) -> tuple[tuple[Link, ...], list[Problem]]:
    """The jumps that resolve, in edition order, and a problem for each that does not."""
    read = {page: _read(page) for page in edition.pages}
    numbers = {page: number for page, (number, _) in read.items()}
    links: list[Link] = []
    problems: list[Problem] = []
    for sender, (_, articles) in read.items():
        for article in articles:
            if article.jump is None:
                continue
            found = _resolve(article, sender, numbers)
            if isinstance(found, Link):
                links.append(found)
            else:
                problems.append(found)
    problems += _loops(links, numbers)
    return tuple(links), problems


def _resolve(article: Article, sender: Path, numbers: dict[Path, int | None]) -> Link | Problem:
    """The page `article` continues on, by 版次 or directory name, if it is another page."""
    assert article.jump is not None
    wanted = article.jump.page
    named = {
        page.resolve(): page
        for page, number in numbers.items()
        if (number if isinstance(wanted, int) else page.name) == wanted
    }
    if not named:
        listing = ", ".join(
            page.name if number is None else f"{number} ({page.name})"
            for page, number in numbers.items()
        )
        return _problem(
            article,
            f"page {wanted} is not a page of this edition",
            f"name a page of the edition by its number or directory: {listing}",
        )
    if len(named) > 1:
        pages = ", ".join(shown(page) for page in named.values())
        return _problem(
            article,
            f"page {wanted} names {len(named)} pages of this edition: {pages}",
            "give each page its own number and directory name",
        )
    (receiver,) = named.values()
    if receiver.resolve() == sender.resolve():
        return _problem(
            article,
            f"page {wanted} is the article's own page",
            "name the later page the rest runs on, or remove `continues:` "
            "to set the whole article here",
        )
    to = numbers[receiver]
    if to is None:  # named by directory; its page.yaml gives no number
        return _problem(
            article,
            f"page {wanted} has no page number: its {PAGE_FILE} does not load",
            f"fix {shown(receiver / PAGE_FILE)}: building that page alone lists its problems",
        )
    return Link(sender, article.file, article.jump.line_no, article.slug, receiver, to)


def _read(page: Path) -> tuple[int | None, tuple[Article, ...]]:
    """The page's 版次 and, if one of its articles may jump, its articles; of a page that
    does not load, the 版次 its header gives.  Only a page whose article files say
    `continues:` is loaded whole: an edition of a hundred pages resolves in a moment."""
    doc = open_page_yaml(page, [])
    header = validate(PageSource, doc, []) if doc is not None else None
    number = header.page if header is not None else None
    if header is None or not any(_may_jump(page, entry) for entry in header.articles):
        return number, ()
    try:
        loaded = load_page(page)
    except SourceError:
        return number, ()
    return loaded.number, loaded.articles


def _may_jump(page: Path, entry: str) -> bool:
    """Whether the article file says `continues:` anywhere (its loading says where)."""
    path = page / entry
    try:
        return path.resolve().is_relative_to(page.resolve()) and b"continues:" in path.read_bytes()
    except OSError:
        return False


def _problem(article: Article, message: str, hint: str) -> Problem:
    assert article.jump is not None
    return Problem(message, article.file, article.jump.line_no, "continues", hint)


def _loops(links: list[Link], numbers: dict[Path, int | None]) -> list[Problem]:
    """A problem at each jump that leads back to its own page: that page would wait for itself."""
    onward: dict[Path, list[Link]] = {}
    for link in links:
        onward.setdefault(link.sender, []).append(link)
    problems = []
    for link in links:
        back = _way(onward, link.receiver, link.sender)
        if back is None:
            continue
        pages = [link.sender, link.receiver, *(step.receiver for step in back)]
        chain = " → ".join(f"page {numbers[page]} ({page.name})" for page in pages)
        problems.append(
            Problem(
                f"the jumps {chain} lead back to this page: "
                "each page would wait for the other's rest",
                link.article,
                link.line,
                "continues",
                "a rest runs on a page that sends none back: remove `continues:` "
                "from one article of the loop",
            )
        )
    return problems


def _way(onward: dict[Path, list[Link]], start: Path, goal: Path) -> list[Link] | None:
    """The jumps from page `start` to page `goal`, fewest first; None if there is no way."""
    came: dict[Path, list[Link]] = {start: []}
    queue = deque([start])
    while queue:
        page = queue.popleft()
        if page == goal:
            return came[page]
        for link in onward.get(page, []):
            if link.receiver not in came:
                came[link.receiver] = [*came[page], link]
                queue.append(link.receiver)
    return None
