"""Word (.docx) stories to a draft, read with python-docx.

Reporters mark structure with paragraph styles when they mark it at all, so
styles come first (Title or Heading 1 headline, Heading 2/3 crossheads,
Caption) and the forms a Chinese story writes are the fallback (`——` subhead,
`本报记者` byline, `图为…` caption).  The body is walked in the XML's own order,
not through python-docx's paragraph and run lists: those skip text inside
hyperlinks, tracked insertions, content controls and text boxes.  Text with
no place of its own (tables, text boxes, text above the headline) goes in as
paragraphs with a note; nothing is dropped.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from docx.styles.style import CharacterStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from ..errors import Problem, SourceError
from .draft import DraftArticle, DraftImage, DraftPage, bold_markdown, crosshead_markdown

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
HEADLINE_STYLES = frozenset({"Title", "Heading 1"})
HEADING_STYLE = re.compile(r"Title|Subtitle|Heading \d")
SUBHEAD = re.compile(r"——")
BYLINE = re.compile(r"(本报记者|本报通讯员|记者|通讯员)")
BYLINE_MAX = 40  # characters: a longer paragraph is body text
CAPTION = re.compile(r"[（(]?图")
CAPTION_MAX = 150  # characters: a longer paragraph after a photo is body text
SENTENCE_END = re.compile(r"[。！？；：!?;:]$")  # a byline ends no sentence
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg"}
# Far above a story with its photos; a zip that unpacks to more is a bomb, not a story.
MAX_UNPACKED_BYTES = 256 * 2**20
EXCERPT = 20  # characters of text quoted in a note, to find the place

# From a paragraph: its own runs, pictures and text boxes, not those of the
# paragraphs inside its text boxes (they are read as paragraphs of their own).
_OWN = "[count(ancestor::w:p[1] | $p) = 1]"
_RUNS = etree.XPath(f".//w:r{_OWN}", namespaces=NS)
_PICTURES = etree.XPath(f".//a:blip{_OWN}", namespaces=NS)
# mc:Fallback repeats a text box for old Word versions: read the box once.
_BOXES = etree.XPath(f".//w:txbxContent[not(ancestor::mc:Fallback)]{_OWN}", namespaces=NS)


@dataclass
class _Para:
    """One Word paragraph as the mapping needs it."""

    number: int  # in document order, counting every paragraph, for notes
    style: str
    runs: list[tuple[str, bool]]  # (text, bold)
    pictures: list[etree._Element] = field(default_factory=list)  # a:blip
    boxed: bool = False  # in a table or text box: body text whatever its form

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs).strip()


def read_docx(path: Path) -> DraftPage:
    """The story in a Word file, as a draft of one article."""
    document = _open(path)
    _refuse_entities(document, path)
    _keep_text_around_comments(document.element)
    draft = DraftPage()
    reader = _Reader(document, draft.notes)
    try:
        paragraphs = reader.walk(document.element)  # not `.body`: a hostile file may have none
    except RecursionError:
        raise SourceError(
            Problem(
                "nests tables or text boxes too deeply to read",
                path,
                hint="save the story again without tables inside tables",
            )
        ) from None
    if not any(p.text for p in paragraphs):
        raise SourceError(Problem("has no text", path, hint="give a Word file with the story"))
    draft.articles.append(reader.article(paragraphs))
    return draft


def _open(path: Path) -> Document:
    """The document, after checking it is a zip that does not unpack to gigabytes."""
    hint = "save it from Word as a .docx file (Word 97–2003 .doc files must be saved again)"
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile) as error:
        raise SourceError(Problem(f"is not a Word .docx file ({error})", path, hint=hint)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SourceError(
            Problem(
                f"unpacks to {unpacked:,} bytes, over {MAX_UNPACKED_BYTES:,}",
                path,
                hint="compress the pictures in Word (File → Compress Pictures) and save again",
            )
        )
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.Error) as error:
        raise SourceError(
            Problem(f"cannot be read as a Word file ({error})", path, hint=hint)
        ) from None


def _refuse_entities(document: Document, path: Path) -> None:
    """Refuse XML entities, as the NITF importer does; none is ever resolved.

    Word never writes them.  python-docx leaves a reference unexpanded and reads a
    text element only up to it, so the rest of the paragraph would vanish without a
    word; and an external entity would read files of this machine into the copy.
    """
    for part in document.part.package.iter_parts():
        if not isinstance(part, XmlPart):
            continue
        dtd = part.element.getroottree().docinfo.internalDTD
        reference = next(part.element.iter(etree.Entity), None)
        if reference is None and (dtd is None or next(dtd.iterentities(), None) is None):
            continue
        where = part.partname.lstrip("/")
        if reference is not None:
            before = reference.getparent().text
            where += f", line {reference.sourceline}: {reference.text}"
            where += f" after “{_excerpt(before)}”" if before else ""
        raise SourceError(
            Problem(
                f"{where}: XML entities (<!ENTITY …>) are refused: they can read local "
                "files or expand without limit",
                path,
                hint="open it in Word and save it again as .docx (Word writes no entities), "
                "or write the characters out in place of the entity",
            )
        )


def _keep_text_around_comments(root: etree._Element) -> None:
    """Drop comments and processing instructions, keeping the text after them.

    Word writes none inside text, but python-docx reads a text element only up
    to its first such node, so the text after one would vanish without a word.
    """
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        parent = node.getparent()
        previous = node.getprevious()
        if node.tail and previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        elif node.tail:
            parent.text = (parent.text or "") + node.tail
        parent.remove(node)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def _styles(style: CharacterStyle | None) -> Iterator[CharacterStyle]:
    """A style and those it is based on; a cycle (possible in a hostile file) ends the chain."""
    seen = set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        yield style
        style = style.base_style


def _bold(run: Run, paragraph: Paragraph) -> bool:
    """Bold as Word shows it: from the run, else its character style, else the paragraph style."""
    fonts = [
        run.font,
        *(s.font for s in _styles(run.style)),
        *(s.font for s in _styles(paragraph.style)),
    ]
    return next((font.bold for font in fonts if font.bold is not None), False)


class _Reader:
    """Reads one document; notes go to the draft."""

    def __init__(self, document: Document, notes: list[str]) -> None:
        self.document = document
        self.notes = notes
        self.paragraphs = 0
        self.tables = 0
        self.pictures = 0

    # --- Walking the body.

    def walk(self, element: etree._Element, boxed: bool = False) -> list[_Para]:
        """Every paragraph under `element` in document order, text boxes after their anchor."""
        found: list[_Para] = []
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions
            if child.tag == qn("w:p"):
                found.append(self._paragraph(child, boxed))
                for box in _BOXES(child, p=child):
                    found += self._noted(self.walk(box, boxed=True), "text box")
            elif child.tag == qn("w:tbl"):
                self.tables += 1
                found += self._noted(self.walk(child, boxed=True), f"table {self.tables}", boxed)
            elif etree.QName(child).localname != "Fallback":
                found += self.walk(child, boxed)  # content controls, rows, cells
        return found

    def _paragraph(self, element: etree._Element, boxed: bool) -> _Para:
        self.paragraphs += 1
        paragraph = Paragraph(element, self.document)
        runs = [(run.text, _bold(run, paragraph)) for run in self._runs(element, paragraph)]
        style = paragraph.style.name if paragraph.style is not None else ""
        return _Para(self.paragraphs, style or "", runs, _PICTURES(element, p=element), boxed)

    @staticmethod
    def _runs(element: etree._Element, paragraph: Paragraph) -> Iterator[Run]:
        for r in _RUNS(element, p=element):
            run = Run(r, paragraph)
            if run.text:
                yield run

    def _noted(self, found: list[_Para], what: str, nested: bool = False) -> list[_Para]:
        """Say that a table's or text box's text went in as body paragraphs."""
        texts = [p.text for p in found if p.text]
        if texts and not nested:
            count = "a paragraph" if len(texts) == 1 else f"{len(texts)} paragraphs"
            self.notes.append(f"{what}: kept its text as {count} (“{_excerpt(texts[0])}”)")
        return found

    # --- Mapping.

    def article(self, paragraphs: list[_Para]) -> DraftArticle:
        texts = self._place_pictures(paragraphs, article := DraftArticle(headline=""))
        head = self._headline(texts)
        article.headline = texts[head].text
        for para in texts[:head]:
            article.paragraphs.append(bold_markdown(para.runs))
            self.notes.append(
                f"paragraph {para.number}: above the headline; kept as a body paragraph "
                f"(“{_excerpt(para.text)}”)"
            )
        rest = texts[head + 1 :]
        if (
            rest
            and not rest[0].boxed
            and (SUBHEAD.match(rest[0].text) or rest[0].style == "Subtitle")
        ):
            article.subhead = rest.pop(0).text
        if rest and _is_byline(rest[0]):
            article.byline = rest.pop(0).text
        article.paragraphs += map(_body, rest)
        return article

    def _headline(self, texts: list[_Para]) -> int:
        """The first Title or Heading 1; else the first paragraph, with a note."""
        for index, para in enumerate(texts):
            if para.style in HEADLINE_STYLES and not para.boxed:
                return index
        index = next((i for i, para in enumerate(texts) if not para.boxed), 0)
        self.notes.append(
            f"paragraph {texts[index].number}: no Title or Heading 1 paragraph, so this first "
            "paragraph is the headline"
        )
        return index

    def _place_pictures(self, paragraphs: list[_Para], article: DraftArticle) -> list[_Para]:
        """Add the pictures to the article with the captions under them; return the other text."""
        texts: list[_Para] = []
        above: list[DraftImage] = []  # the pictures of the paragraph before
        for para in paragraphs:
            images = [image for blip in para.pictures if (image := self._image(blip, para))]
            article.images += images
            if para.text and above and _is_caption(para):
                above[-1].caption = para.text
            elif para.text:
                texts.append(para)
            if para.text or para.pictures:
                above = images
        return texts

    def _image(self, blip: etree._Element, para: _Para) -> DraftImage | None:
        self.pictures += 1
        rid = blip.get(qn("r:embed"))
        part = self.document.part.related_parts.get(rid) if rid else None
        if part is not None and (kind := IMAGE_TYPES.get(part.content_type)) is not None:
            return DraftImage(f"image{self.pictures}.{kind}", part.blob)
        if part is not None:
            why = f"its format is {part.content_type}; only JPEG and PNG can be printed"
        else:
            why = "linked, not embedded" if blip.get(qn("r:link")) else "its data is missing"
        self.notes.append(
            f"picture {self.pictures} (paragraph {para.number}): {why}; "
            "insert it again as a JPEG or PNG picture"
        )
        return None


def _is_caption(para: _Para) -> bool:
    if para.style == "Caption":
        return True
    return (
        bool(CAPTION.match(para.text))
        and len(para.text) <= CAPTION_MAX
        and not HEADING_STYLE.fullmatch(para.style)
    )


def _is_byline(para: _Para) -> bool:
    text = para.text
    return (
        not para.boxed
        and bool(BYLINE.match(text))
        and len(text) < BYLINE_MAX
        and not SENTENCE_END.search(text)
    )


def _body(para: _Para) -> str:
    """A crosshead for a heading style (Heading 1 after the headline too), else a paragraph."""
    if HEADING_STYLE.fullmatch(para.style) and not para.boxed:
        return crosshead_markdown(para.text)
    return bold_markdown(para.runs)
