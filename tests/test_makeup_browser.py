"""Make-up on the live proof in a real headless Chromium, on a served copy of the seed page:
drag a module to another strip, resize it by an edge, pin and re-compose, swap two, undo, and
drops the server would refuse refused in the browser; a second editor is told of an edit.

The tests run in order on one page, each from where the last left it; the pointer is moved
over the proof as an editor's mouse would be, and every outcome is read back from the layout
file the server wrote and the PDF it built.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request

import pdfplumber
import pytest
import yaml

from layout.live.serve import create_app
from layout.model.copy import MAKEUP_FILE
from tests.ad_edition import write_edition
from tests.conftest import SEED
from tests.test_makeup_api import post
from tests.test_serve import browser, running  # noqa: F401 (the fixture is used by name)

pytestmark = pytest.mark.slow  # builds PDFs in a browser session: run by CI

PAGE = "01-page"
MOVED = "03-kejiju.md"
HEADLINE_PT = 13.5  # every headline is set larger; subheads, body and labels smaller


@pytest.fixture(scope="module")
def server(page_dir):
    yield from running(create_app(page_dir))  # watching the page, as `serve` does


@pytest.fixture(scope="module")
def tab(browser, server):  # noqa: F811 (browser: the fixture imported above)
    url, _ = server
    page = browser.new_page(viewport={"width": 1000, "height": 1300})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # a script error fails them all
    page.goto(url)
    page.wait_for_function("document.querySelector('.sheet img')?.naturalWidth > 0")
    page.check("#make-up")
    yield page
    page.close()
    assert errors == []


@pytest.fixture(scope="module")
def versions():
    """The layout file after each edit the tests make, in order (None: no file)."""
    return []


def shown(tab) -> dict:
    return tab.evaluate(f"state.pages[{PAGE!r}]")


def module(tab, name: str) -> dict:
    return next(m for m in shown(tab)["overlay"]["modules"] if m["file"] == name)


def point(tab, column: float, line: float, page: str = PAGE) -> tuple[float, float]:
    """Where on the screen a place of the grid is: `column` and `line` count from 0, and a
    fraction is a part of the column's width (gutter excluded) or of the line."""
    return tab.evaluate(
        """([page, column, line]) => {
          const o = state.pages[page].overlay, g = o.grid;
          const sheet = document.querySelector('.sheet svg').getBoundingClientRect();
          const scale = sheet.width / o.page[0];
          const whole = Math.floor(column), pitch = g.columns[1][0] - g.columns[0][0];
          const x = g.columns[0][0] + whole * pitch + (column - whole) * g.columns[0][1];
          return [sheet.x + x * scale, sheet.y + (g.top + line * g.line) * scale];
        }""",
        [page, column, line],
    )


def hold(tab, start: tuple[float, float], end: tuple[float, float]) -> dict:
    """Press at `start`, move to `end` and keep holding: the target outline's state and text."""
    tab.mouse.move(*start)
    tab.mouse.down()
    tab.mouse.move(*end, steps=8)
    tab.wait_for_function(
        "!['measuring', undefined].includes(document.querySelector('.target-label')?.dataset.state)"
    )
    return tab.eval_on_selector(
        ".target-label", "e => ({state: e.dataset.state, text: e.textContent, ...e.dataset})"
    )


def release(tab) -> None:
    """Let go, and wait until the page the server rebuilt is shown (or the edit refused)."""
    before = tab.evaluate("makeup.proofTimes.length")
    tab.mouse.up()
    wait_for_answer(tab, before)


def wait_for_answer(tab, before: int) -> None:
    """Wait for the new proof (or the refusal), then for the check that reads it to end."""
    tab.wait_for_function(
        f"makeup.proofTimes.length > {before} || /^(refused|not moved|built with problems)/"
        ".test(document.querySelector('.notice').textContent)",
        timeout=60000,
    )
    tab.wait_for_function(f"!state.pages[{PAGE!r}].checking", timeout=60000)


def click(tab, selector: str) -> None:
    """Click a control of the make-up and wait for the page the server rebuilt."""
    before = tab.evaluate("makeup.proofTimes.length")
    tab.locator(selector).click()
    wait_for_answer(tab, before)


def layout_file(page_dir) -> str | None:
    file = page_dir / MAKEUP_FILE
    return file.read_text(encoding="utf-8") if file.is_file() else None


def pinned(page_dir) -> dict:
    return yaml.safe_load(layout_file(page_dir))["modules"]


def fetched(server, path: str) -> bytes:
    url, _ = server
    with urllib.request.urlopen(url + path) as response:
        return response.read()


def test_dragging_a_module_to_another_strip_rebuilds_it_there(tab, server, page_dir, versions):
    start = module(tab, MOVED)
    version = shown(tab)["version"]
    column, _, line, _ = start["slot"]
    assert column == 3  # the seed composes it in the right-hand strip: it goes to the left one
    grab = point(tab, column + 0.1, line + 0.5)
    held = hold(tab, grab, point(tab, 0.1, line + 0.5))
    assert held["state"] == "fits", held["text"]
    assert "2 col × 25 lines at column 1, line 50" in held["text"]
    release(tab)
    assert tab.locator(".error").is_hidden(), tab.inner_text(".error")
    versions.append(layout_file(page_dir))
    assert json.loads(fetched(server, "/api/pages"))[0]["version"] == version + 1
    assert pinned(page_dir) == {MOVED: {"column": 1, "columns": 2, "line": 50, "lines": 25}}
    moved = module(tab, MOVED)
    assert moved["slot"] == [0, 2, 49, 25]
    x, y, w, h = moved["box"]
    headline = yaml.safe_load((SEED / MOVED).read_text(encoding="utf-8").split("---")[1])
    with pdfplumber.open(io.BytesIO(fetched(server, f"/pdf/{PAGE}.pdf"))) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["size"] > HEADLINE_PT]
    inside = [c for c in chars if x <= c["x0"] and c["x1"] <= x + w and y <= c["top"] <= y + h]
    text = "".join(c["text"] for c in sorted(inside, key=lambda c: (round(c["top"]), c["x0"])))
    assert headline["headline"].replace(" ", "") in text
    # every hard rule still holds: the page built and its check read it back clean
    report = yaml.safe_load(fetched(server, f"/report/{PAGE}.json"))["pages"][0]
    assert report["status"] == "built"
    for name, figures in report["typography"].items():
        assert figures["prohibited"] == 0, name
        assert figures["flush"] == figures["justified"], name


def test_resizing_by_one_column_shows_the_line_count_the_build_gives(tab, page_dir, versions):
    column, columns, line, lines = module(tab, MOVED)["slot"]
    edge = point(tab, column + columns - 1 + 0.97, line + lines / 2)
    held = hold(tab, edge, point(tab, column + columns + 0.97, line + lines / 2))
    assert f"{columns + 1} col × {lines} lines" in held["text"], held["text"]
    said = (int(held["linesUsed"]), int(held["linesAvailable"]))
    release(tab)
    versions.append(layout_file(page_dir))
    assert pinned(page_dir)[MOVED]["columns"] == columns + 1
    built = module(tab, MOVED)  # on the proof, or on the draft proof if the page no longer fits
    assert built["slot"][1] == columns + 1
    assert said == (built["lines_used"], built["lines_available"])
    numbers = re.search(r"(\d+) / (\d+) lines", held["text"])
    assert numbers and tuple(map(int, numbers.groups())) == said  # the figures the editor read


def test_undo_goes_back_to_the_page_before(tab, page_dir, versions):
    click(tab, ".desk button.undo")
    versions.append(layout_file(page_dir))
    assert versions[-1] == versions[0]
    assert module(tab, MOVED)["slot"] == [0, 2, 49, 25]
    assert tab.locator(".error").is_hidden()


def test_a_pinned_module_stays_when_the_rest_is_recomposed(tab, page_dir, versions):
    keep = "02-gongxinju.md"
    where = module(tab, keep)["slot"]
    click(tab, f'.control-pin[data-file="{keep}"]')
    tab.wait_for_function(f"state.pages[{PAGE!r}].pinned.includes({keep!r})")
    versions.append(layout_file(page_dir))
    column, columns, line, lines = where
    slot = {"column": column + 1, "columns": columns, "line": line + 1, "lines": lines}
    assert pinned(page_dir)[keep] == slot
    click(tab, ".desk button.recompose")
    versions.append(layout_file(page_dir))
    assert module(tab, keep)["slot"] == where
    assert tab.locator(f'rect.module.pinned[data-file="{keep}"]').count() == 1
    assert tab.locator(".error").is_hidden()


def test_swapping_two_modules_stacked_in_one_strip(tab, page_dir, versions):
    upper, lower = module(tab, "04-renshiju.md")["slot"], module(tab, "05-jiaoyuju.md")["slot"]
    assert upper[:2] == lower[:2] and upper[2] < lower[2]  # one strip, 04 over 05
    tab.locator('.control-swap[data-file="04-renshiju.md"]').click()
    assert "swap 04-renshiju.md with" in tab.inner_text(".notice")
    click(tab, '.control-swap[data-file="05-jiaoyuju.md"]')
    versions.append(layout_file(page_dir))
    assert tab.locator(".error").is_hidden(), tab.inner_text(".error")
    now_upper, now_lower = (
        module(tab, "05-jiaoyuju.md")["slot"],
        module(tab, "04-renshiju.md")["slot"],
    )
    assert now_upper == [upper[0], upper[1], upper[2], lower[3]]  # 05 where 04 began
    assert now_lower[2] + now_lower[3] == lower[2] + lower[3]  # 04 ends where 05 ended


def test_undo_three_steps_gives_the_layout_file_of_three_steps_back(tab, page_dir, versions):
    # versions: drag, resize, undo, pin, re-compose, swap; the undo dropped the resize
    history = [versions[0], versions[3], versions[4], versions[5]]
    for _ in range(3):
        click(tab, ".desk button.undo")
    assert layout_file(page_dir) == history[-4]
    assert tab.locator(".desk button.redo").is_enabled()


@pytest.mark.parametrize(
    ("to_column", "to_line", "said"),
    [(0.1, 2.5, "in the banner"), (4.9, 74.5, "off the grid")],
)
def test_a_drop_off_the_grid_or_into_the_banner_is_refused(tab, page_dir, to_column, to_line, said):
    before = layout_file(page_dir)
    version = shown(tab)["version"]
    column, _, line, _ = module(tab, MOVED)["slot"]
    held = hold(tab, point(tab, column + 0.1, line + 0.5), point(tab, to_column, to_line))
    assert held["state"] == "refused" and said in held["text"], held["text"]
    tab.mouse.up()
    assert said in tab.inner_text(".notice")
    assert layout_file(page_dir) == before
    assert shown(tab)["version"] == version  # nothing was sent, nothing rebuilt


def test_another_editor_is_told_of_an_edit(tab, browser, server, page_dir):  # noqa: F811
    url, _ = server
    other = browser.new_page(viewport={"width": 1000, "height": 1300})
    other.goto(url)
    other.wait_for_function("document.querySelector('.sheet img')?.naturalWidth > 0")
    src = other.eval_on_selector(".sheet img", "img => img.getAttribute('src')")
    click(tab, ".desk button.redo")
    other.wait_for_function(
        "document.querySelector('.notice').textContent.includes('another editor')", timeout=60000
    )
    assert "redo" in other.inner_text(".notice")
    other.wait_for_function(
        f"document.querySelector('.sheet img').getAttribute('src') !== {src!r}", timeout=60000
    )
    assert "another editor" not in tab.inner_text(".notice")  # the editor who made it is not
    other.close()


def test_no_source_of_the_page_was_written_only_its_layout_file(page_dir):
    written = {p.name for p in page_dir.iterdir()} - {p.name for p in SEED.iterdir()}
    assert written == {MAKEUP_FILE}
    for source in SEED.iterdir():
        assert (page_dir / source.name).read_bytes() == source.read_bytes(), source.name


@pytest.fixture(scope="module")
def ad_page(tmp_path_factory):
    """Page 3 of the ad edition served alone: a 3-column ad booked at its foot."""
    edition = write_edition(tmp_path_factory.mktemp("ads") / "edition")
    yield from running(create_app(edition / "p3", watch=False))


def test_a_drop_on_an_ad_is_refused_in_the_browser_and_by_the_server(browser, ad_page):  # noqa: F811
    url, port = ad_page
    tab = browser.new_page(viewport={"width": 1000, "height": 1300})
    tab.goto(url)
    tab.wait_for_function("document.querySelector('.sheet img')?.naturalWidth > 0")
    tab.check("#make-up")
    page_id = tab.evaluate("Object.keys(state.pages)[0]")
    overlay = tab.evaluate(f"state.pages[{page_id!r}].overlay")
    (ad,) = overlay["ads"]
    column, _, ad_line, ad_lines = ad["slot"]
    columns_left = len(overlay["grid"]["columns"]) - column
    first = next(m for m in overlay["modules"] if m["slot"][1] <= columns_left)  # fits beside
    grab = point(tab, first["slot"][0] + 0.1, first["slot"][2] + 0.5, page_id)
    line = ad_line + ad_lines - first["slot"][3]  # the module's foot on the ad's
    onto = point(tab, column + 0.1, line + 0.5, page_id)
    tab.mouse.move(*grab)
    tab.mouse.down()
    tab.mouse.move(*onto, steps=8)
    tab.wait_for_function("document.querySelector('.target-label')?.dataset.state === 'refused'")
    assert "overlaps the ad" in tab.eval_on_selector(".target-label", "e => e.textContent")
    tab.mouse.up()
    assert "not moved" in tab.inner_text(".notice")
    tab.close()
    _, columns, _, lines = first["slot"]
    slot = {"column": column + 1, "columns": columns, "line": line + 1, "lines": lines}
    edit = {"action": "move", "article": first["file"], "slot": slot}
    status, reply = post(port, f"/api/layout/{page_id}", json.dumps(edit).encode())
    assert (status, "overlap the ad" in reply.decode()) == (400, True), reply
