"""IPTC NITF 3.x stories to a draft: one article per NITF `body`.

NITF arrives from agency feeds and editorial systems, so it is parsed as
untrusted: defusedxml refuses entity declarations, because an external entity
reads local files into the copy and nested ones expand without limit.
Producers differ in whether they use the NITF namespace, so elements are
matched by local name.  The mapping places headline, subhead, byline,
dateline, paragraphs, crossheads, bold, photos and tagline; any other text
goes in as plain paragraphs with a note naming its element, never away.

The dateline (`本报包头3月25日电`) opens the first paragraph, as Chinese papers
print it, separated by an ideographic space (a plain one after Latin).
"""

from __future__ import annotations

import codecs
import datetime
import re
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..errors import Problem, SourceError
from ..sources.body import escape_markdown
from .draft import DraftArticle, DraftImage, DraftPage, bold_markdown, crosshead_markdown

BOLD = frozenset({"b", "strong"})
# Elements that start a new paragraph when an unknown element's text is kept.
# fmt: off
BLOCKS = frozenset({
    "p", "hl1", "hl2", "block", "bq", "fn", "note", "pre", "media", "media-caption",
    "media-producer", "table", "nitf-table", "caption", "thead", "tbody", "tfoot", "tr", "td",
    "th", "ol", "ul", "dl", "li", "dt", "dd", "abstract", "credit", "tagline", "dateline",
    "byline", "rights", "series", "distributor", "bibliography",
})
# fmt: on
# Whatever the declared encoding, expat reads only these; the rest are recoded first.
EXPAT_CODECS = frozenset({"utf-8", "utf-16", "ascii", "latin-1", "iso8859-1"})
_DECLARED = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_XML_SPACE = re.compile(r"[ \t\r\n]+")
_NORM_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_ENDS_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]$")
_WRITER_FILE = re.compile(r"page\.yaml|\d+\.md")  # what write_page names its own files
EXCERPT = 20  # characters of text quoted in a note, to find the place


def read_nitf(path: Path) -> DraftPage:
    """The stories in an NITF file, one article per `<nitf><body>`."""
    root = _parse(path)
    stories = [
        (nitf, body)
        for nitf in root.iter()
        if _name(nitf) == "nitf"
        for body in nitf
        if _name(body) == "body"
    ]
    if not stories:
        raise SourceError(
            Problem(
                "has no <nitf><body> element: it is not an NITF story",
                path,
                hint="export the story as NITF 3.x, with its text inside <nitf><body>",
            )
        )
    draft = DraftPage()
    reader = _Reader(path, draft.notes)
    try:
        for nitf, body in stories:
            head = _child(nitf, "head")
            draft.articles.append(reader.article(body, head))
            if head is not None:
                _publication(head, draft)
    except RecursionError:
        raise SourceError(
            Problem(
                "nests elements too deeply to read",
                path,
                hint="export the story again; no news story nests elements thousands deep",
            )
        ) from None
    return draft


# --- Parsing.


def _parse(path: Path) -> Element:
    try:
        data = _utf8(path.read_bytes(), path)
    except OSError as error:
        raise SourceError(Problem(f"cannot be read ({error.strerror})", path)) from None
    try:
        return SafeET.fromstring(data)
    except ParseError as error:
        line, column = error.position
        reason = re.sub(r": line \d+, column \d+$", "", str(error))
        raise SourceError(
            Problem(
                f"is not well-formed XML ({reason}, column {column + 1})",
                path,
                line,
                hint="fix the XML there, or export the story from its system again",
            )
        ) from None
    except DefusedXmlException:
        start = data.find(b"<!ENTITY")
        raise SourceError(
            Problem(
                "declares XML entities (<!ENTITY …>), which are refused: they can read "
                "local files or expand without limit",
                path,
                data[:start].count(b"\n") + 1 if start >= 0 else None,
                hint="remove the <!DOCTYPE …[ … ]> block and write the characters out",
            )
        ) from None
    except ValueError as error:  # an encoding expat cannot read
        raise SourceError(
            Problem(f"cannot be parsed ({error})", path, hint="save it as UTF-8")
        ) from None


def _utf8(data: bytes, path: Path) -> bytes:
    """Recode a declared multi-byte encoding to UTF-8: expat reads no GB2312, GBK or GB18030."""
    declared = _DECLARED.match(data)
    if declared is None:
        return data
    try:
        codec = codecs.lookup(declared[1].decode("ascii")).name
    except LookupError:
        return data  # expat names the unknown encoding
    if codec in EXPAT_CODECS:
        return data
    data = data[: declared.start(1)] + b"UTF-8" + data[declared.end(1) :]
    try:
        return data.decode(codec).encode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(
            Problem(
                f"is not valid {declared[1].decode('ascii')} text as it declares",
                path,
                data[: error.start].count(b"\n") + 1,
                hint="correct the encoding in the <?xml …?> line, or save the file as UTF-8",
            )
        ) from None


# --- Text.


def _name(element: Element) -> str:
    """The local name: `{http://iptc.org/std/NITF/2006-10-18/}p` and `p` are both `p`."""
    return element.tag.rpartition("}")[2]


def _child(element: Element, name: str) -> Element | None:
    return next((child for child in element if _name(child) == name), None)


def _collapse(text: str) -> str:
    """XML layout blanks to one blank; a line break stays one, for the writer to join Chinese."""
    return _XML_SPACE.sub(lambda blanks: "\n" if "\n" in blanks[0] else " ", text)


def _text(element: Element) -> str:
    return _collapse("".join(element.itertext())).strip()


def _runs(element: Element, bold: bool = False) -> Iterator[tuple[str, bool]]:
    """The text inside `element` as (text, bold) runs, in document order."""
    if element.text:
        yield _collapse(element.text), bold
    for child in element:
        if _name(child) == "br":
            yield "\n", bold
        else:
            yield from _runs(child, bold or _name(child) in BOLD)
        if child.tail:
            yield _collapse(child.tail), bold


def _inline(element: Element) -> str:
    return bold_markdown(_runs(element))


def _plain(text: str) -> str:
    """Text between elements as a Markdown paragraph: layout blanks collapsed, markup escaped."""
    return escape_markdown(_collapse(text).strip())


def _contents(element: Element) -> Iterator[Element | str]:
    """Child elements, and the text between them that is more than layout."""
    if element.text and element.text.strip():
        yield element.text
    for child in element:
        yield child
        if child.tail and child.tail.strip():
            yield child.tail


def _paragraphs(element: Element) -> list[str]:
    """An unknown element's text: one paragraph per innermost block (table cell, list item)."""
    if not any(_name(child) in BLOCKS for child in element):
        text = _inline(element)
        return [text] if text else []
    found: list[str] = []
    for item in _contents(element):
        found += [_plain(item)] if isinstance(item, str) else _paragraphs(item)
    return [text for text in found if text]


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def _join(first: str | None, second: str) -> str | None:
    return " ".join(part for part in (first, second) if part) or None


# --- Mapping.


class _Reader:
    """Maps the stories of one file; notes go to the draft, image names are kept unique."""

    def __init__(self, path: Path, notes: list[str]) -> None:
        self.path = path
        self.notes = notes
        self.image_names: set[str] = set()

    def article(self, body: Element, head: Element | None) -> DraftArticle:
        article = DraftArticle(headline="")
        lead: list[str] = []  # body.head text that has no field of its own
        text: list[str] = []
        dateline = None
        for item in _contents(body):
            if isinstance(item, Element) and _name(item) == "body.head":
                dateline = _join(dateline, self._body_head(item, article, lead) or "")
            elif isinstance(item, Element) and _name(item) in ("body.content", "body.end"):
                self._blocks(item, article, text)
            else:
                self._unplaced(item, text, body)
        if not article.headline:
            self._fallback_headline(article, head)
        if dateline:
            _open_with(escape_markdown(dateline), text)
        article.paragraphs = lead + text
        return article

    def _body_head(self, element: Element, article: DraftArticle, lead: list[str]) -> str | None:
        """Fill headline, subhead and byline; return the dateline."""
        dateline = None
        for item in _contents(element):
            if isinstance(item, str):
                self._unplaced(item, lead, element)
                continue
            name = _name(item)
            if name == "hedline":
                self._hedline(item, article, lead)
            elif name == "byline":
                article.byline = _join(article.byline, _text(item))
            elif name == "dateline":
                dateline = _join(dateline, _text(item))
            else:
                self._unplaced(item, lead, element)
        return dateline

    def _hedline(self, element: Element, article: DraftArticle, lead: list[str]) -> None:
        for item in _contents(element):
            if isinstance(item, str):
                self._unplaced(item, lead, element)
                continue
            name = _name(item)
            if name == "hl1" and not article.headline:
                article.headline = _text(item)
            elif name == "hl2" and not article.subhead:
                article.subhead = _text(item)
            else:
                self._unplaced(item, lead, element)

    def _fallback_headline(self, article: DraftArticle, head: Element | None) -> None:
        title = _child(head, "title") if head is not None else None
        if title is not None and _text(title):
            article.headline = _text(title)
        else:
            self.notes.append("element <hl1>: missing, and no <title>; fill in the headline")

    def _blocks(self, element: Element, article: DraftArticle, into: list[str]) -> None:
        """Paragraphs, crossheads and photos of body.content, body.end or a `block` in them."""
        for item in _contents(element):
            if isinstance(item, str):
                self._unplaced(item, into, element)
                continue
            name = _name(item)
            if name in ("p", "tagline"):
                into += filter(None, [_inline(item)])
            elif name == "hl2":
                into += [crosshead_markdown(_text(item))] if _text(item) else []
            elif name == "media":
                self._media(item, article, into)
            elif name == "block":
                self._blocks(item, article, into)
            else:
                self._unplaced(item, into, element)

    def _unplaced(self, item: Element | str, into: list[str], parent: Element) -> None:
        """Keep text the mapping has no place for as paragraphs, and say so."""
        if isinstance(item, str):
            found = [_plain(item)]
            where = f"text between the elements of <{_name(parent)}>"
        else:
            found, where = _paragraphs(item), f"element <{_name(item)}>"
        if found:
            into += found
            count = "a paragraph" if len(found) == 1 else f"{len(found)} paragraphs"
            self.notes.append(f"{where}: kept its text as {count} (“{_excerpt(found[0])}”)")

    def _media(self, element: Element, article: DraftArticle, into: list[str]) -> None:
        """A photo from `media-reference`; if its file is missing, its caption goes to a note."""
        sources, caption, credit = self._media_parts(element, into)
        found = next(((s, data) for s in sources if (data := self._file(s)) is not None), None)
        if found is not None:
            name = self._unique(Path(found[0]).name)
            article.images.append(DraftImage(name, found[1], caption, credit))
            return
        what = ", ".join(sources) or "(no media-reference source)"
        kept = "".join(
            f"; {key}: {text}" for key, text in (("caption", caption), ("credit", credit)) if text
        )
        self.notes.append(f"media {what}: file not found next to {self.path.name}{kept}")

    def _media_parts(
        self, element: Element, into: list[str]
    ) -> tuple[list[str], str | None, str | None]:
        """(file names, caption, credit) of a `media` element."""
        sources: list[str] = []
        caption = credit = None
        for item in _contents(element):
            if isinstance(item, str):
                self._unplaced(item, into, element)
                continue
            name = _name(item)
            if name == "media-reference":
                sources += filter(None, [item.get("source")])
            elif name == "media-caption":
                caption = _join(caption, _text(item))
            elif name == "media-producer":
                credit = _join(credit, _text(item))
            elif name == "media-object":
                self.notes.append(
                    "element <media-object>: embedded picture data not imported; save the "
                    "picture next to the NITF file and name it in <media-reference source>"
                )
            elif name != "media-metadata":
                self._unplaced(item, into, element)
        return sources, caption, credit

    def _file(self, source: str) -> bytes | None:
        """The bytes of a file beside the NITF file; nothing outside its folder is read."""
        folder = self.path.resolve().parent
        try:
            path = (folder / source).resolve()
            if path.is_relative_to(folder) and path.is_file():
                return path.read_bytes()
        except (OSError, ValueError):  # NUL bytes, overlong names, unreadable files
            pass
        return None

    def _unique(self, name: str) -> str:
        """Photos of different stories may share a name; the writer's own files keep theirs."""
        candidate, number = name, 1
        while candidate in self.image_names or _WRITER_FILE.fullmatch(candidate):
            number += 1
            candidate = f"{number}-{name}"
        self.image_names.add(candidate)
        return candidate


def _open_with(dateline: str, paragraphs: list[str]) -> None:
    """Put the dateline before the first paragraph, or make it one if a crosshead comes first."""
    if paragraphs and not paragraphs[0].startswith("### "):
        space = "\u3000" if _ENDS_HAN.search(dateline) else " "
        paragraphs[0] = f"{dateline}{space}{paragraphs[0]}"
    else:
        paragraphs.insert(0, dateline)


def _publication(head: Element, draft: DraftPage) -> None:
    """Issue date, paper, section and page, where the story's metadata gives them."""
    for element in head.iter():
        name = _name(element)
        if name == "date.issue" and draft.date is None:
            draft.date = _issue_date(element.get("norm") or "", draft.notes)
        elif name == "pubdata":
            draft.paper = draft.paper or element.get("name")
            draft.section = draft.section or element.get("position.section")
            sequence = element.get("position.sequence") or ""
            if draft.page is None and sequence.isdecimal() and int(sequence) > 0:
                draft.page = int(sequence)


def _issue_date(norm: str, notes: list[str]) -> datetime.date | None:
    """`20240326`, `20240326T000000` or `2024-03-26`; a date that is not one gets a note."""
    match = _NORM_DATE.match(norm.strip())
    with suppress(ValueError):
        if match:
            return datetime.date(*map(int, match.groups()))
    notes.append(f'element <date.issue>: norm "{norm}" is not a date; give the date yourself')
    return None
