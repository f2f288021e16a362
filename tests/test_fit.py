"""The composer's fitting levers, each on its own: variants, stacks, fillers, format, drafts."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import build_pdf
from layout.compose import compose, compose_page
from layout.compose.sizes import Sized
from layout.compose.stacking import MAX_HOLE_ROWS, fill
from layout.compose.variants import article_sized
from layout.errors import FitError, OversetError, UnderfillError
from layout.model.document import Image
from layout.model.grid import Grid
from layout.options import PDFA, OutputOptions
from layout.pipeline import build
from layout.typeset.measure import Typesetter
from tests.pagegen import Spec, write_page
from tests.test_compose import article, page

QUOTE = "两市在产业科技创新合作和人才资源方面合作空间巨大"
ASPECTS = [(600, 450), (600, 400), (640, 360), (400, 600), (500, 500)]


@pytest.fixture(scope="module")
def tabloid(roles):
    return Typesetter(roles, Grid.for_format("tabloid"))


@st.composite
def articles(draw):
    """An article with 0–2 photos (an editor's width range or none) and maybe a quote."""
    photos = []
    for _ in range(draw(st.integers(0, 2))):
        width, height = draw(st.sampled_from(ASPECTS))
        low = draw(st.none() | st.integers(1, 3))
        high = draw(st.none() | st.integers(low or 1, 4))
        photos.append(Image(Path("p.jpg"), width, height, "活动现场。", None, low, high))
    quotes = (QUOTE[: draw(st.integers(8, len(QUOTE)))],) if draw(st.booleans()) else ()
    base = article(1, draw(st.integers(60, 1600)))
    return replace(base, images=tuple(photos), pullquotes=quotes)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(story=articles(), columns=st.integers(1, 5))
def test_every_variant_builds_the_height_it_promises_and_sets_every_line(tabloid, story, columns):
    sized = article_sized(story, columns, tabloid, lead=False)
    if not sized.fits:  # only photos the editor keeps wider or narrower than the module
        assert any(
            (i.min_columns or 0) > columns or (i.max_columns or 9) < columns for i in story.images
        )
        return
    grid = tabloid.grid
    for rows in sized.costs:
        module, spill = sized.build(rows, 0, 10)
        bottom = module.box.row + module.box.rows
        assert spill == () and module.box.rows == rows
        assert [r for column in module.columns for r in column] == list(sized.body)  # in order
        for index, column in enumerate(module.columns):
            assert module.column_row(index) + len(column) <= bottom
        taken = [(p.row, p.rows + p.caption_rows, p.column, p.columns) for p in module.images]
        if module.pullquote:
            q = module.pullquote
            taken.append((q.row, q.rows, q.column, q.columns))
            assert q.heading.text if hasattr(q.heading, "text") else q.heading.lines
        for row, height, column, span in taken:
            assert module.box.row + module.head_rows <= row and row + height <= bottom
            for index, text in enumerate(module.columns):  # no text under a figure
                if column <= index < column + span and text:
                    start = module.column_row(index)
                    assert start >= row + height or start + len(text) <= row
        for placed, image in zip(module.images, story.images, strict=True):
            low, high = image.min_columns or 1, image.max_columns or columns
            assert low <= placed.columns <= min(high, columns)
        assert module.head_rows * grid.line >= sum(h.height for h in module.headings)


def test_a_photo_narrower_than_its_module_has_the_body_beside_it(tabloid):
    story = replace(article(1, 900), images=(Image(Path("p.jpg"), 600, 450, "现场。", None, 1, 1),))
    sized = article_sized(story, 3, tabloid, lead=False)
    module, _ = sized.build(sized.min_rows, 0, 0)
    [photo] = module.images
    assert photo.columns == 1 and photo.column == 2  # the right-hand column
    starts = [module.column_row(i) for i in range(3)]
    assert starts[0] == starts[1] == module.body_row < starts[2]  # text beside, then under it
    assert "photo width" in sized.levers(sized.min_rows)


def test_a_pull_quote_only_adds_and_is_left_out_unless_it_helps(tabloid):
    plain = replace(article(1, 700), images=())
    quoted = replace(plain, pullquotes=(QUOTE,))
    without = article_sized(plain, 2, tabloid, lead=False)
    with_quote = article_sized(quoted, 2, tabloid, lead=False)
    assert with_quote.body == without.body  # the quote never replaces copy
    assert max(with_quote.costs) > max(without.costs)  # it can fill more lines
    cheapest = min(with_quote.costs, key=with_quote.costs.__getitem__)
    assert with_quote.build(cheapest, 0, 0)[0].pullquote is None  # not used when not needed
    tallest, _ = with_quote.build(max(with_quote.costs), 0, 0)
    assert tallest.pullquote is not None and "pull quote" in with_quote.levers(
        max(with_quote.costs)
    )


def test_a_smaller_headline_is_a_lever_that_takes_lines_away(tabloid):
    sized = article_sized(article(1, 600), 1, tabloid, lead=False)
    least = sized.min_rows
    assert "headline deck" in sized.levers(least)
    module, _ = sized.build(least, 0, 0)
    largest = sized.build(min(sized.costs, key=sized.costs.__getitem__), 0, 0)[0]
    assert module.headings[0].size < largest.headings[0].size


def _item(key: str, costs: dict[int, float]) -> Sized:
    return Sized(key, 1, costs, build=lambda rows, column, row: (None, ()))


def test_a_stack_takes_the_cheapest_heights_that_fill_it():
    a, b = _item("a", {10: 0.0, 12: 1.0}), _item("b", {5: 0.0, 6: 3.0})
    chosen = fill([a, b], 19, {})  # 12 + 6 + a rule: exact, at a cost of 4
    assert (chosen.rows, chosen.hole) == ((12, 6), 0)
    assert fill([b, a], 19, {}).rows == (6, 12)  # the answer follows the items' order
    short = fill([a, b], 30, {})
    assert short.hole == 30 - 12 - 6 - 1 and short.underfill == short.hole - MAX_HOLE_ROWS
    over = fill([a, b], 12, {})
    assert over.overflow == 10 + 5 + 1 - 12 and over.rows == (10, 5)


def test_fillers_fill_a_hole_and_each_is_placed_at_most_once(roles):
    grid = Grid.for_format("tabloid")
    short = page([800, 600, 400])
    with pytest.raises(UnderfillError):
        compose(short, grid, Typesetter(roles, grid))
    briefs = tuple(
        replace(article(10 + n, 120 + 40 * n), slug=f"brief{n}", file=Path(f"brief{n}.md"))
        for n in range(4)
    )
    layout = compose(replace(short, fillers=briefs), grid, Typesetter(roles, grid))
    used = [m.article.slug for m in layout.modules if m.filler]
    assert used and len(used) == len(set(used)) and "filler" in layout.levers
    assert {m.article.slug for m in layout.modules if not m.filler} == {"01", "02", "03"}


def test_auto_format_sets_short_copy_as_a_tabloid_and_long_copy_as_a_broadsheet(roles):
    small = compose_page(replace(page([1100, 800, 600, 500]), format="auto"), roles)
    assert small.grid.format.name == "tabloid" and "format" in small.levers
    large = compose_page(replace(page([1800, 1500, 1300, 1100, 800]), format="auto"), roles)
    assert large.grid.format.name == "broadsheet"


def test_a_page_that_does_not_fit_carries_a_draft_that_loses_no_line(roles):
    with pytest.raises(OversetError) as error:
        compose_page(page([4000, 3000, 2500]), roles)
    draft = error.value.draft
    assert draft is not None and draft.draft and draft.overset
    for story in page([4000, 3000, 2500]).articles:
        setter = Typesetter(roles, draft.grid)
        placed = [
            r for m in draft.modules if m.article.slug == story.slug for c in m.columns for r in c
        ]
        over = [r for o in draft.overset if o.key == story.slug for r in o.lines]
        assert placed + over == list(setter.body(story.blocks))  # every line, in order


def test_an_underfilled_page_carries_a_draft_with_its_hole(roles):
    with pytest.raises(FitError) as error:
        compose_page(page([200, 200], lede=False), roles)
    draft = error.value.draft
    assert draft is not None and any(h.box.rows > MAX_HOLE_ROWS for h in draft.holes)


def test_photos_held_to_widths_no_module_has_are_blamed_on_the_photos(roles):
    wide = Image(Path("p.jpg"), 600, 450, "现场。", None, 6, 6)  # a tabloid has 5 columns
    source = page([900, 700, 500])
    held = replace(source.articles[1], images=(wide,))
    with pytest.raises(FitError) as error:
        compose_page(
            replace(source, articles=(source.articles[0], held, source.articles[2])), roles
        )
    [problem] = error.value.problems
    assert (problem.file, problem.field) == (held.file, "images")
    assert "min_columns/max_columns" in problem.message


def _quoted_page(directory: Path) -> Path:
    """A page a little short of copy whose articles all offer the same pull quote."""
    write_page(
        directory, [Spec(n) for n in (850, 500, 450, 200)], format="tabloid", seed=7, lede=False
    )
    for path in sorted(directory.glob("0*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("---\n", f"---\npullquote: {QUOTE}\n", 1), encoding="utf-8")
    return directory


@pytest.mark.slow
def test_a_pull_quote_only_adds_and_is_tagged_as_an_aside_in_pdfa(tmp_path):
    result = build(_quoted_page(tmp_path / "page"), options=OutputOptions(target=PDFA))
    quoted = [m for m in result.layout.modules if m.pullquote]
    assert quoted and "pull quote" in result.layout.levers  # the page needs its quotes
    with pdfplumber.open(io.BytesIO(result.pdf)) as pdf:
        words = pdf.pages[0].chars
    for module in result.layout.modules:  # the body's text layer holds every character
        box = module.box
        grid = result.layout.grid
        inside = [
            c["text"]
            for c in words
            if grid.x(box.column) - 1
            <= c["x0"]
            <= grid.x(box.column) + grid.span_width(box.columns)
            and grid.y(module.body_row) - 1 <= c["top"] <= grid.y(box.row + box.rows)
            and abs(c["size"] - grid.em) < 0.01
        ]
        body = "".join(b.text for b in module.article.blocks).replace(" ", "")
        assert "".join(inside).replace(" ", "") == body
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        root = pdf.Root.StructTreeRoot
        assert root.RoleMap.Aside == pikepdf.Name.Note
        asides = [e for e in _elements(root) if e.get("/S") == pikepdf.Name("/Aside")]
        parents = {str(e.P.S) for e in asides}
    assert len(asides) == len(quoted) and parents == {"/Art"}  # in its article, not its text


def _elements(node):
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


@pytest.mark.slow
def test_two_readers_letters_build_with_fillers_or_say_how_much_copy_is_missing(tmp_path, capsys):
    letters = write_page(tmp_path / "letters", [Spec(200), Spec(200)], lede=False)
    names = []
    for number in range(4):
        name = f"brief{number}.md"
        body = "市民文化节将于本周六在市图书馆开幕，届时将举办书画展、读书会等活动。" * (number + 1)
        (letters / name).write_text(
            f"---\nheadline: 简讯{number}\n---\n\n{body}\n", encoding="utf-8"
        )
        names.append(name)
    yaml = (letters / "page.yaml").read_text(encoding="utf-8")
    yaml = yaml.replace("format: tabloid", "format: auto") + f"fillers: [{', '.join(names)}]\n"
    (letters / "page.yaml").write_text(yaml, encoding="utf-8")
    output = tmp_path / "page.pdf"
    code = build_pdf.main([str(letters), "-o", str(output), "-q"])
    out, err = capsys.readouterr()
    if code == 0:
        assert "filler brief" in out  # built only with fillers
        return
    assert code == 1 and not output.exists() and (tmp_path / "page.draft.pdf").exists()
    missing = re.search(r"add about (\d+) characters of copy", err)
    assert missing and int(missing.group(1)) > 0, err


@settings(
    max_examples=12,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # a page takes a second: no shrinking
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    lengths=st.lists(st.integers(150, 900), min_size=2, max_size=5),
    fillers=st.lists(st.integers(40, 300), min_size=1, max_size=6),
)
def test_a_filler_is_never_placed_twice_and_only_at_a_strip_foot(roles, lengths, fillers):
    briefs = tuple(
        replace(article(20 + n, length), slug=f"brief{n}", file=Path(f"brief{n}.md"))
        for n, length in enumerate(fillers)
    )
    source = replace(page(lengths), fillers=briefs)
    try:
        layout = compose_page(source, roles)
    except FitError as error:
        layout = error.draft
        if layout is None:
            return
    used = [m.article.slug for m in layout.modules if m.filler]
    assert len(used) == len(set(used)) and set(used) <= {b.slug for b in briefs}
    assert {m.article.slug for m in layout.modules if not m.filler} <= {
        a.slug for a in source.articles
    }
    foot = layout.credits.row if layout.credits else layout.grid.rows
    for module in (m for m in layout.modules if m.filler and not layout.draft):
        # only at the foot of a strip, in lines that would otherwise be a hole
        below = [
            m
            for m in layout.modules
            if m.box.column == module.box.column and m.box.row > module.box.row
        ]
        assert all(m.filler for m in below)
        last = max([module, *below], key=lambda m: m.box.row)
        assert foot - (last.box.row + last.box.rows) <= MAX_HOLE_ROWS


def _with_briefs(directory: Path, count: int = 4) -> list[str]:
    """Add `count` 补白 files to a page directory and its `fillers:` list; their names."""
    names = []
    for number in range(count):
        body = "市民文化节将于本周六在市图书馆开幕，届时将举办书画展、读书会等活动。" * (number + 1)
        text = f"---\nheadline: 简讯{number}\n---\n\n{body}\n"
        (directory / f"brief{number}.md").write_text(text, encoding="utf-8")
        names.append(f"brief{number}.md")
    yaml = (directory / "page.yaml").read_text(encoding="utf-8")
    yaml += f"fillers: [{', '.join(names)}]\n"
    (directory / "page.yaml").write_text(yaml, encoding="utf-8")
    return names


@pytest.mark.slow
def test_a_page_with_fillers_rebuilds_from_its_layout_file_byte_identical(tmp_path, capsys):
    directory = write_page(
        tmp_path / "page", [Spec(n) for n in (800, 600, 400)], seed=3, lede=False
    )
    _with_briefs(directory)
    first, layout = tmp_path / "first.pdf", tmp_path / "layout.yaml"
    assert build_pdf.main([str(directory), "-o", str(first), "--layout-out", str(layout)]) == 0
    assert "filler brief" in capsys.readouterr().out  # the fillers are placed, and pinned
    again = tmp_path / "again.pdf"
    assert build_pdf.main([str(directory), "-o", str(again), "--layout", str(layout), "-q"]) == 0
    assert again.read_bytes() == first.read_bytes()
