"""The edition's tags: the pages' structure trees as one, and a jumped article one `Art`.

WeasyPrint tags each page PDF on its own: a Document whose kids, in reading
order, are the page's parts, an `Art` for each article's module.  The edition
hangs every page's parts, in page order, under one Document, each mark of
content still pointing at its element (the parent tree renumbered page by
page).  The rest of a jumped article (上接) is an `Art` of its own on its
page; in the edition its kids join the `Art` of the article's first part, so
the article is one element whose kids lie on both pages (each kid names its
page) and a reader goes from the cut straight on to the rest.  Each `Art` is
titled with its headline.

A page's tags carry no ids, but its named destinations do: each module's id
at its box's top left corner.  An `Art`'s marks lie in its module's box, so
its module is the one whose corner is nearest above and left of the top left
of its text (not of its photos: a cropped photo is drawn beyond its box and
clipped).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import pikepdf

Point = tuple[float, float]
SLACK = 3.0  # pt a mark may lie left of or above its module's corner (a glyph's side bearing)


@dataclass(frozen=True)
class Join:
    """The rest of a jumped article, tagged on its page as an article of its own."""

    first: int  # index of the page of the article's first part
    slug: str  # the article's id there
    rest: int  # index of the page of its rest
    rest_id: str  # the rest's id there


def join_tags(
    pdf: pikepdf.Pdf,
    sources: Sequence[pikepdf.Pdf],
    titles: Sequence[Mapping[str, str]],
    joins: Sequence[Join],
) -> None:
    """Give `pdf`, whose pages are the single pages of `sources` in order, their tags as one
    tree; `titles`: per page, the headline of each module by id."""
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root, K=pikepdf.Array()
        )
    )
    pages: list[pikepdf.Object] = []
    annotations: list[pikepdf.Object] = []
    roles = pikepdf.Dictionary()
    articles: list[dict[str, pikepdf.Object]] = []
    for index, source in enumerate(sources):
        tree = pdf.copy_foreign(source.Root.StructTreeRoot)
        parts = [kid for top in tree.K for kid in top.K]  # under the page's Document
        for part in parts:
            part.P = document
            document.K.append(part)
        parents = dict(_pairs(tree.ParentTree.Nums))
        page = pdf.pages[index].obj
        pages.append(parents[int(page.StructParents)])
        page.StructParents = index
        for annotation in page.get("/Annots", ()):
            if "/StructParent" in annotation:
                annotations.append(parents[int(annotation.StructParent)])
                annotation.StructParent = len(sources) + len(annotations) - 1
        for role, standard in tree.get("/RoleMap", {}).items():
            roles[role] = standard
        arts = [part for part in parts if part.S == "/Art"]
        found = _modules(source.pages[0], arts, _destinations(source))
        for name, art in found.items():
            if name in titles[index]:
                art.T = pikepdf.String(titles[index][name])
        articles.append(found)
    for join in joins:
        first, rest = articles[join.first].get(join.slug), articles[join.rest].get(join.rest_id)
        if first is not None and rest is not None:
            for kid in rest.K:
                kid.P = first
                first.K.append(kid)
            document.K = pikepdf.Array(k for k in document.K if k.objgen != rest.objgen)
    nums = itertools.chain.from_iterable(enumerate([*pages, *annotations]))
    root.K = pikepdf.Array([document])
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
    root.ParentTreeNextKey = len(pages) + len(annotations)
    if roles:
        root.RoleMap = roles
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)


def _pairs(nums: pikepdf.Object) -> Iterator[tuple[int, pikepdf.Object]]:
    for index in range(0, len(nums), 2):
        yield int(nums[index]), nums[index + 1]


def _destinations(source: pikepdf.Pdf) -> dict[str, Point]:
    """The page's named destinations: each module's id at its box's top left corner."""
    if "/Names" not in source.Root or "/Dests" not in source.Root.Names:
        return {}  # a page without articles
    names = source.Root.Names.Dests.Names
    return {
        str(names[i]): (float(names[i + 1][2]), float(names[i + 1][3]))
        for i in range(0, len(names), 2)
    }


def _modules(
    page: pikepdf.Page, arts: list[pikepdf.Object], corners: dict[str, Point]
) -> dict[str, pikepdf.Object]:
    """Each `Art` by the id of the module it tags: nearest pairs first, each used once."""
    marks = _marks(page)
    pairs = []
    for number, art in enumerate(arts):
        points = [marks[mcid] for mcid in _mcids(art) if mcid in marks]
        if not points:
            continue
        left, top = min(x for x, _ in points), max(y for _, y in points)
        for name, (x, y) in corners.items():
            if x <= left + SLACK and y >= top - SLACK:
                pairs.append((left - x + y - top, number, name))
    found: dict[str, pikepdf.Object] = {}
    taken: set[int] = set()
    for _, number, name in sorted(pairs):
        if number not in taken and name not in found:
            taken.add(number)
            found[name] = arts[number]
    return found


def _mcids(element: pikepdf.Object) -> Iterator[int]:
    """The marked-content ids under a structure element (all on its page)."""
    kids = element.K
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            yield kid
        elif "/MCID" in kid:
            yield int(kid.MCID)
        elif "/K" in kid:  # an element, not an object reference (OBJR)
            yield from _mcids(kid)


def _marks(page: pikepdf.Page) -> dict[int, Point]:
    """Each marked-content id of the page that shows text at the top left of its text's
    origins, in the page's space (WeasyPrint sets every text's matrix with Tm)."""
    found: dict[int, Point] = {}
    ctm, saved = pikepdf.Matrix(), []
    open_ids: list[int | None] = []
    operators = "q Q cm BDC BMC EMC Tm"
    for instruction in pikepdf.parse_content_stream(page, operators):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            saved.append(ctm)
        elif op == "Q":
            ctm = saved.pop()
        elif op == "cm":
            ctm = pikepdf.Matrix(operands) @ ctm
        elif op in ("BDC", "BMC"):
            properties = operands[1] if op == "BDC" else None
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                open_ids.append(int(properties.MCID))
            else:
                open_ids.append(None)
        elif op == "EMC":
            open_ids.pop()
        elif (mcid := next((m for m in reversed(open_ids) if m is not None), None)) is not None:
            x, y = ctm.transform((float(operands[4]), float(operands[5])))  # Tm's origin
            left, top = found.get(mcid, (x, y))
            found[mcid] = (min(left, x), max(top, y))
    return found
