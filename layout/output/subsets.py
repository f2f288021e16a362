"""The edition PDF's fonts: one subset of each font file, shared by every page that uses it.

WeasyPrint subsets a page's fonts with HarfBuzz keeping the font file's glyph
ids (retain-gids), and a page's text shows those ids through the identity
encoding.  A retain-gids subset of a CJK font still has a slot for each of its
60 000 glyphs, about 80 kB compressed before a single glyph is drawn, so five
fonts make most of a page PDF's bytes, and an edition that merely concatenates
its pages carries them once per page.  Since the ids are the file's own, the
subsets of one font file on many pages differ only in which glyphs they hold:
one subset of the file holding the union of their glyphs, made with
WeasyPrint's own subsetting flags, draws every page's glyphs with the very
same outlines.  Only the font program is shared: each page keeps its font
dictionaries, its widths and its ToUnicode map, so a page's text extracts and
its glyphs sit exactly as in its page PDF.

Merged, not rendered again: on the 16-page edition of tests/benchmark_edition.py
merging takes 0.35 s for 0.90 MB (its page PDFs: 10.5 MB); one WeasyPrint
document of the pages' HTML takes 22 s more in one process (and every page
composed again when the pages come from the cache) for 0.79 MB.  HarfBuzz's
subset depends only on the font file and the glyphs, so the same pages give
the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pikepdf
import uharfbuzz as hb

from ..typeset import fonts

# As WeasyPrint's pdf/fonts.py subsets: ids kept, outlines flattened, no hinting.
FLAGS = (
    hb.SubsetFlags.RETAIN_GIDS
    | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
    | hb.SubsetFlags.DESUBROUTINIZE
    | hb.SubsetFlags.NO_HINTING
)
DROPPED_TABLES = (
    b"BASE",
    b"DSIG",
    b"EBDT",
    b"EBLC",
    b"EBSC",
    b"GPOS",
    b"GSUB",
    b"JSTF",
    b"LTSH",
    b"PCLT",
    b"SVG ",
)
PROGRAM_KEYS = ("/FontFile3", "/FontFile2")  # CFF-based (OpenType) or TrueType programs

Identity = tuple[str, bytes]  # PostScript name; revision and dates (head): one font file


def share_subsets(pdf: pikepdf.Pdf) -> None:
    """Give every page's subset of one font file the same program, holding all their glyphs.

    Only WeasyPrint's fonts are touched (a page's own fonts in the identity
    encoding); a font whose file is no longer installed keeps a program per
    page.  The pages of an edition are set with the same fonts (the cache key
    holds them), so a font's name is the same font file on every page.
    """
    groups: dict[tuple[str, str], list[tuple[pikepdf.Object, set[int]]]] = {}
    for cid_font in _cid_fonts(pdf):
        descriptor = cid_font.FontDescriptor
        key = next(k for k in PROGRAM_KEYS if k in descriptor)
        name = str(descriptor.FontName)  # WeasyPrint's: a hash of the font's description
        groups.setdefault((name, key), []).append((descriptor, _glyphs(cid_font.W)))
    for (_, key), members in groups.items():
        if len({descriptor[key].objgen for descriptor, _ in members}) < 2:
            continue
        original = _original(_identity(hb.Face(members[0][0][key].read_bytes())))
        if original is None:
            continue
        union = set().union(*(glyphs for _, glyphs in members))
        data = _subset(*original, union)
        shared = pikepdf.Stream(pdf, data)  # compressed when the PDF is saved
        descriptor = members[0][0]
        if key == "/FontFile3":
            shared.Subtype = descriptor[key].Subtype  # /OpenType
        else:
            shared.Length1 = len(data)
        for descriptor, _ in members:
            descriptor[key] = shared


def _cid_fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """The descendant fonts of the pages' own Type0 fonts, each once."""
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in page.resources.get("/Font", pikepdf.Dictionary()).values():
            if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
                continue
            cid_font = font.DescendantFonts[0]
            if cid_font.objgen in seen or cid_font.get("/CIDToGIDMap") != "/Identity":
                continue
            if not any(key in cid_font.FontDescriptor for key in PROGRAM_KEYS):
                continue
            seen.add(cid_font.objgen)
            yield cid_font


def _glyphs(widths: pikepdf.Object) -> set[int]:
    """The glyph ids a CID font's /W gives widths to: the glyphs its page draws."""
    glyphs: set[int] = set()
    index = 0
    while index < len(widths):
        first, then = int(widths[index]), widths[index + 1]
        if isinstance(then, pikepdf.Array):  # first [w1 w2 …]
            glyphs.update(range(first, first + len(then)))
            index += 2
        else:  # first last w
            glyphs.update(range(first, int(then) + 1))
            index += 3
    return glyphs


def _identity(face: hb.Face) -> Identity:
    head = face.reference_table("head").data  # revision, then the created and modified dates
    return face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME) or "", head[4:8] + head[20:36]


def _original(identity: Identity) -> tuple[str, int] | None:
    """The roles' font file (and index in a collection) the subset was made of, if installed."""
    faces = sorted({(str(f.file), f.index) for r in fonts.load_roles().values() for f in r.faces})
    return next((face for face in faces if _face_identity(*face) == identity), None)


@cache
def _face_identity(file: str, index: int) -> Identity:
    return _identity(hb.Face(hb.Blob.from_file_path(file), index))


def _subset(file: str, index: int, glyphs: set[int]) -> bytes:
    request = hb.SubsetInput()
    request.glyph_set.update(glyphs)
    request.flags = FLAGS
    for tag in DROPPED_TABLES:
        request.drop_table_tag_set.add(int.from_bytes(tag, "big"))
    face = hb.Face(hb.Blob.from_file_path(file), index)
    return hb.subset(face, request).blob.data
