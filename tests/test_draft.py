"""The draft proof: a page that does not fit still gives the editor a page to look at.

Its overset hangs below its module, its holes are hatched, a line below the
trim says it is a draft, all in the overlay colour that preflight rejects;
it goes beside the output (`page.draft.pdf`), never to it.  Hand-made drafts
(the seed's layout with overset and holes added) test the drawing; pages far
too long or far too short test the real composer's drafts end to end.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image

import build_pdf
from layout.compose import MAX_HOLE_ROWS, compose_page
from layout.errors import FitError, OversetError, UnderfillError
from layout.live.overlay import box_pt, draft_overlay, overset_boxes
from layout.live.preview import Preview
from layout.model.layout import Box, Hole, Layout, Overset
from layout.options import DEFAULT, PDFX_4, OutputOptions
from layout.output.paths import draft_path, file_refusal, with_drafts
from layout.output.preflight import preflight
from layout.output.preview import png_bytes
from layout.output.write import written_path
from layout.pipeline import DRAFT_FIELD, build, draft_proof, drafts_written
from layout.production.page_job import PageJob, run_page
from layout.render.template import TEMPLATES, render_html
from layout.sources.page import load_page
from layout.typeset.normalise import normalise_page
from tests.conftest import SEED
from tests.pagegen import Spec, write_page

MAGENTA = (255, 0, 255)
OVERSET_LINES = (12, 5)  # two oversets hanging from one module: stacked


@pytest.fixture(scope="module")
def seed(roles):
    page = normalise_page(load_page(SEED))
    return page, compose_page(page, roles)


@pytest.fixture(scope="module")
def hand_made(seed) -> Layout:
    """The seed's layout as a draft: two oversets below the lowest module (its first lines,
    and the next as if another article's), and two holes: one of 4 lines in 2 columns
    (underfill) and one of 2 (allowed)."""
    _, layout = seed
    lowest = max(layout.modules, key=lambda m: m.box.row + m.box.rows)
    lines = tuple(row for column in lowest.columns for row in column)
    first, second = OVERSET_LINES
    top = layout.modules[0].box
    return dataclasses.replace(
        layout,
        draft=True,
        overset=(
            Overset(lowest.article.slug, lowest.box, lines[:first]),
            Overset("another", lowest.box, lines[first : first + second]),
        ),
        holes=(
            Hole(Box(top.column, 2, top.row + 4, MAX_HOLE_ROWS + 2), "lede"),
            Hole(Box(top.column + 2, 1, top.row + 4, MAX_HOLE_ROWS), "lede"),
        ),
    )


def in_overlay_colour(obj: dict) -> bool:
    """A pdfplumber object drawn in #FF00FF: the draft's overlay."""
    return obj.get("object_type") != "char" or tuple(obj["non_stroking_color"] or ()) == (1, 0, 1)


def text_of(row) -> str:
    return "".join(piece.text for piece in row.line.pieces)


# --- paths -------------------------------------------------------------------------


def test_the_draft_goes_beside_each_output():
    assert draft_path(Path("out/page.pdf")) == Path("out/page.draft.pdf")
    assert draft_path(Path("x.png")) == Path("x.draft.png")
    named = with_drafts({"-o": Path("a.pdf"), "--png": None, "--report": Path("r.json")})
    assert named["the draft of -o"] == Path("a.draft.pdf")
    assert "the draft of --png" not in named and "the draft of --report" not in named


def test_a_draft_may_not_replace_a_source_nor_another_output(tmp_path):
    source = tmp_path / "photo.draft.jpg"
    source.write_bytes(b"jpeg")
    refusal = file_refusal(with_drafts({"-o": tmp_path / "photo.jpg"}), {written_path(source)})
    assert refusal is not None and refusal.startswith("the draft of -o ")
    assert "is a source the build reads" in refusal
    clash = with_drafts({"-o": tmp_path / "a.pdf", "--png": tmp_path / "a.draft.pdf"})
    assert file_refusal(clash, set()) == (
        f"--png and the draft of -o name the same file {tmp_path / 'a.draft.pdf'}"
    )
    assert file_refusal(with_drafts({"-o": tmp_path / "a.pdf"}), set()) is None


# --- the drawing ---------------------------------------------------------------------


def test_the_template_draws_overset_holes_and_the_draft_line(seed, hand_made, roles):
    page, layout = seed
    html = render_html(page, hand_made, roles)
    assert html.count('class="draft-overset"') == 2
    assert html.count('class="draft-hole"') == 1 and html.count('class="draft-hole over"') == 1
    underfill = (MAX_HOLE_ROWS + 2) * 2
    total = sum(OVERSET_LINES)
    assert f"DRAFT — not for print · {total} lines overset · {underfill} lines" in html
    assert f"another: {OVERSET_LINES[1]} lines overset</span>" in html
    assert "draft" not in render_html(page, layout, roles)  # a page that fits: nothing added


def test_the_template_knows_the_composers_hole_limit():
    template = (TEMPLATES / "draft.html.j2").read_text(encoding="utf-8")
    assert f"{{% set allowed = {MAX_HOLE_ROWS} %}}" in template


@pytest.fixture(scope="module")
def rendered(seed, hand_made, roles):
    page, _ = seed
    return draft_proof(page, hand_made, roles)


@pytest.mark.slow
def test_overset_lines_are_set_below_their_module_and_the_line_below_the_trim(rendered, hand_made):
    """Each overset's lines, in the overlay colour, where the live overlay says they are."""
    grid = hand_made.grid
    trim = grid.page_size[1]
    boxes = overset_boxes(hand_made)
    first, second = (box for _, box in boxes)
    module = hand_made.overset[0].box
    assert first.row == module.row + module.rows  # hanging below its module
    assert second.row == first.row + first.rows + 1  # and the next below it, a line apart
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as pdf:
        (sheet,) = pdf.pages
        assert sheet.height > trim  # lengthened: the draft line is outside the trim
        for overset, box in boxes:
            over = ""
            for column in range(box.column, box.column + box.columns):
                left, top = grid.x(column), grid.y(box.row)
                below = sheet.crop(
                    (left, top, left + grid.column_width, grid.y(box.row + box.rows))
                )
                over += below.filter(in_overlay_colour).extract_text().replace("\n", "")
            wanted = "".join(text_of(r) for r in overset.lines)
            assert over.replace(" ", "") == wanted.replace(" ", "")
        slug = sheet.crop((0, trim, sheet.width, sheet.height)).extract_text()
    assert f"DRAFT — not for print · {sum(OVERSET_LINES)} lines overset" in slug


@pytest.mark.slow
def test_holes_are_hatched_in_the_overlay_colour(rendered, hand_made):
    grid = hand_made.grid
    dpi = 50
    with Image.open(io.BytesIO(png_bytes(rendered.pdf, dpi=dpi))) as picture:
        proof = picture.convert("RGB")
    scale = dpi / 72

    def colours(box: Box) -> set:
        x, y = grid.x(box.column) * scale, grid.y(box.row) * scale
        w, h = grid.span_width(box.columns) * scale, box.rows * grid.line * scale
        area = proof.crop((int(x) + 3, int(y) + 3, int(x + w) - 3, int(y + h) - 3))
        return {colour for _, colour in area.getcolors(maxcolors=1 << 20)}

    def magenta(colour: tuple) -> bool:  # anti-aliased: near #FF00FF
        red, green, blue = colour
        return red > 200 and blue > 200 and green < 80

    for hole in hand_made.holes:  # the allowed one too: hatched, not framed
        found = colours(hole.box)
        assert any(magenta(c) for c in found) and (255, 255, 255) in found
    assert not any(magenta(c) for c in colours(hand_made.modules[-1].box))


@pytest.mark.slow
def test_a_draft_never_passes_preflight(rendered):
    found = preflight(rendered.pdf)
    overlay = [f for f in found.errors if f.check == "draft-overlay"]
    assert overlay and "draft overlay on the page" in str(overlay[0])


@pytest.mark.slow
def test_the_live_overlay_of_a_draft_places_its_overset_and_underfill(rendered, hand_made, roles):
    drawn = draft_overlay(rendered, roles)
    grid = hand_made.grid
    assert drawn["page"][1] > grid.page_size[1]  # the lengthened page, as the proof is
    kinds = {finding["kind"]: finding for finding in drawn["findings"]}  # the last of each
    last = overset_boxes(hand_made)[-1][1]
    assert kinds["overset"]["box"] == box_pt(hand_made, last)
    assert f"{OVERSET_LINES[1]} lines overset (another)" == kinds["overset"]["message"]
    hole = hand_made.holes[0].box
    assert kinds["underfill"]["box"][1] == pytest.approx(grid.y(hole.row), abs=0.01)
    assert [f["kind"] for f in drawn["findings"]].count("underfill") == 1  # 2 lines: allowed


@pytest.mark.slow
def test_lines_available_count_each_columns_own_first_line(rendered, hand_made, roles):
    """A photo beside the body starts some text columns lower: they hold fewer lines."""
    first = hand_made.modules[0]
    starts = tuple(first.body_row + (3 if i == 0 else 0) for i in range(len(first.columns)))
    lowered = dataclasses.replace(first, column_rows=starts)
    layout = dataclasses.replace(hand_made, modules=(lowered, *hand_made.modules[1:]))
    counted = [
        draft_overlay(dataclasses.replace(rendered, layout=shown), roles)["modules"][0]
        for shown in (hand_made, layout)
    ]
    assert counted[1]["lines_available"] == counted[0]["lines_available"] - 3


@pytest.mark.slow
def test_the_live_proof_shows_the_draft_of_a_page_that_does_not_fit(letters):
    preview = Preview(letters, DEFAULT)
    (view,) = preview.pages.values()
    preview.rebuild(view)
    shown = view.summary()
    assert shown["draft"] and shown["proof"] and shown["error"]
    assert {f["kind"] for f in shown["overlay"]["findings"]} == {"underfill"}
    assert view.proof is not None
    with Image.open(io.BytesIO(view.proof.png)) as picture:
        assert picture.height / picture.width > 390 / 270  # lengthened past the trim
    assert preflight(view.proof.pdf).errors
    assert json.loads(view.proof.report or b"")["pages"][0]["status"] == "failed"


# --- the pipeline, with the composer's draft given ---------------------------------------


def failing(draft: Layout | None, kind: type[FitError] = OversetError):
    """A composer that raises `kind` carrying `draft`, as the real one does when nothing fits."""

    def compose(page, roles, typesetter=None):
        error = kind([])
        error.draft = draft
        raise error

    return compose


@pytest.mark.slow
def test_a_page_that_does_not_fit_writes_its_draft_beside_never_over_the_output(
    tmp_path, monkeypatch, hand_made
):
    monkeypatch.setattr("layout.pipeline.compose_page", failing(hand_made))
    output, png, layout_out = tmp_path / "page.pdf", tmp_path / "page.png", tmp_path / "l.yaml"
    output.write_bytes(b"the last good page")
    with pytest.raises(OversetError) as raised:
        build(SEED, output, png=png, layout_out=layout_out, dpi=30)
    assert output.read_bytes() == b"the last good page"
    assert not png.exists() and not layout_out.exists()
    assert drafts_written(raised.value) == [
        tmp_path / "page.draft.pdf",
        tmp_path / "page.draft.png",
    ]
    assert raised.value.draft is hand_made
    assert raised.value.problems[-1].field == DRAFT_FIELD
    assert (tmp_path / "page.draft.pdf").read_bytes().startswith(b"%PDF")
    with Image.open(tmp_path / "page.draft.png") as picture:
        assert picture.format == "PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "page.draft.pdf",
        "page.draft.png",
        "page.pdf",
    ]  # no temporary file left


@pytest.mark.slow
def test_a_print_target_draft_is_a_plain_pdf(tmp_path, monkeypatch, hand_made):
    monkeypatch.setattr("layout.pipeline.compose_page", failing(hand_made, UnderfillError))
    with pytest.raises(UnderfillError):
        build(SEED, tmp_path / "page.pdf", options=OutputOptions(target=PDFX_4))
    with pikepdf.open(tmp_path / "page.draft.pdf") as pdf:
        assert "/OutputIntents" not in pdf.Root


def test_without_an_output_or_without_a_draft_none_is_written(tmp_path, monkeypatch, hand_made):
    monkeypatch.setattr("layout.pipeline.compose_page", failing(hand_made))
    with pytest.raises(OversetError) as raised:
        build(SEED)
    assert drafts_written(raised.value) == [] and raised.value.draft is hand_made
    monkeypatch.setattr("layout.pipeline.compose_page", failing(None))
    with pytest.raises(OversetError) as raised:
        build(SEED, tmp_path / "page.pdf")
    assert drafts_written(raised.value) == [] and list(tmp_path.iterdir()) == []


# --- end to end, with the real composer's draft -------------------------------------------


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> Path:
    """Two short readers' letters on a tabloid page: far too little copy."""
    return write_page(tmp_path_factory.mktemp("letters"), [Spec(200), Spec(200)], lede=False)


@pytest.mark.slow
def test_an_underfilled_page_exits_1_and_writes_its_draft_and_report(letters, tmp_path, capsys):
    output, png, report = tmp_path / "page.pdf", tmp_path / "page.png", tmp_path / "r.json"
    argv = [str(letters), "-o", str(output), "--png", str(png), "--report", str(report), "-q"]
    assert build_pdf.main(argv) == 1
    err = capsys.readouterr().err
    assert "underfilled" in err and "Traceback" not in err
    assert f"{tmp_path / 'page.draft.pdf'}: warning: draft proof:" in err
    assert not output.exists() and not png.exists()
    (entry,) = json.loads(report.read_text(encoding="utf-8"))["pages"]
    assert entry["status"] == "failed"
    assert [d["path"] for d in entry["draft"]] == [
        str(tmp_path / "page.draft.pdf"),
        str(tmp_path / "page.draft.png"),
    ]
    with pdfplumber.open(tmp_path / "page.draft.pdf") as pdf:
        text = pdf.pages[0].extract_text()
    underfill = re.search(r"· (\d+) lines underfill", text)
    assert underfill and int(underfill.group(1)) > 0


@pytest.mark.slow
def test_a_page_far_too_long_shows_its_overset_copy_in_the_draft(tmp_path, roles):
    page_dir = write_page(tmp_path / "long", [Spec(3000), Spec(2500), Spec(2000)], seed=1)
    with pytest.raises(OversetError) as raised:
        build(page_dir, tmp_path / "page.pdf")
    draft = raised.value.draft
    assert isinstance(draft, Layout) and draft.draft and draft.overset
    first = draft.overset[0].lines[0]
    with pdfplumber.open(tmp_path / "page.draft.pdf") as pdf:
        text = pdf.pages[0].extract_text().replace(" ", "").replace("\n", "")
    assert text_of(first).replace(" ", "") in text
    assert preflight((tmp_path / "page.draft.pdf").read_bytes()).errors


@pytest.mark.slow
def test_an_edition_page_that_does_not_fit_writes_its_draft_beside_its_pdf(letters, tmp_path):
    outcome = run_page(PageJob(letters, tmp_path / "05-letters.pdf"))
    assert outcome.status == "failed"
    assert not (tmp_path / "05-letters.pdf").exists()
    assert [d["path"] for d in outcome.entry["draft"]] == [str(tmp_path / "05-letters.draft.pdf")]
    assert "05-letters.draft.pdf" in (outcome.error or "")
