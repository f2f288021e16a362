"""The live preview in a real headless Chromium: proof, overlay, live updates, errors, refusals,
an edition's ads and jumps.

Debian's chromium (installed by setup.sh) is driven by Playwright through
`executable_path`; nothing is downloaded at test time.
"""

from __future__ import annotations

import contextlib
import http.client
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from layout.live import preview as live_preview
from layout.live.preview import Preview
from layout.live.serve import allowed_hosts, create_app
from layout.model.document import Jump
from layout.options import DEFAULT
from layout.pipeline import build
from tests.ad_edition import write_edition
from tests.conftest import ROOT, SEED
from tests.test_overlay import booked_on, with_jumps

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'

ARTICLES = sorted(p.name for p in SEED.glob("0*.md"))


@pytest.fixture(scope="module")
def server(page_dir):
    yield from running(create_app(page_dir))


def running(app):
    """The app served on a free port until the generator is closed: its URL and port."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = running.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", port
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: setup.sh installs Debian's chromium")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def tab(browser, server):
    url, _ = server
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(url)
    page.wait_for_function("document.querySelector('.sheet img')?.naturalWidth > 0")
    yield page
    page.close()


def proof_src(tab) -> str:
    return tab.eval_on_selector(".sheet img", "img => img.getAttribute('src')")


def test_the_proof_appears_with_every_module_labelled(tab):
    width = tab.eval_on_selector(".sheet img", "img => img.naturalWidth")
    assert width > 1000  # a proof, not an icon
    labels = tab.locator("svg .label").all_text_contents()
    assert sorted(labels) == ARTICLES
    tab.click("#show-modules")  # toggled off, then on again
    assert not tab.locator("svg .modules").is_visible()
    tab.click("#show-modules")
    assert tab.locator("svg .modules").is_visible()


def test_clicking_a_module_tells_its_figures(tab):
    tab.locator("rect.module").first.click(force=True)
    info = tab.inner_text("#info")
    assert "lines used / available" in info and "characters" in info
    assert any(name in info for name in ARTICLES)
    tab.click("#info")


def test_saving_an_article_shows_the_new_proof_keeping_zoom_and_scroll(tab, page_dir):
    tab.click("#zoom-in")
    zoom = tab.inner_text("#zoom-level")
    tab.mouse.wheel(0, 300)
    tab.wait_for_function("window.scrollY > 0")
    scrolled = tab.evaluate("window.scrollY")
    before = proof_src(tab)
    article = page_dir / "03-kejiju.md"
    article.write_text(article.read_text(encoding="utf-8").replace("科技", "科学", 1), "utf-8")
    tab.wait_for_function(
        f"document.querySelector('.sheet img').getAttribute('src') !== {before!r}", timeout=30000
    )
    assert tab.inner_text("#zoom-level") == zoom
    assert tab.evaluate("window.scrollY") == scrolled
    assert tab.locator(".error").is_hidden()


def test_a_broken_edit_shows_the_error_beside_the_last_good_proof(tab, page_dir):
    before = proof_src(tab)
    article = page_dir / "02-gongxinju.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("headline:", "headlin:", 1), "utf-8"
    )
    tab.wait_for_selector(".error:not([hidden])", timeout=30000)
    message = tab.inner_text(".error")
    assert "02-gongxinju.md" in message and "headlin" in message
    assert proof_src(tab) == before  # the last good proof stays
    assert tab.eval_on_selector(".sheet img", "img => img.naturalWidth") > 1000


@pytest.mark.parametrize(
    "path",
    [
        "/assets/../build_pdf.py",
        "/assets/..%2F..%2Fbuild_pdf.py",
        "/proof/../../etc/passwd",
        "/proof/..%2F..%2Fetc%2Fpasswd.png",
        "/assets/",
        "/source/",
        "/pdf/nope.pdf",
    ],
)
def test_nothing_outside_the_app_is_served(server, path):
    _, port = server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 404, (path, body[:80])


@pytest.mark.parametrize(
    ("host", "status"),
    [("evil.example", 400), ("127.0.0.1.evil.example", 400), ("localhost", 200), ("[::1]", 200)],
)
def test_only_requests_addressed_to_this_machine_are_answered(server, host, status):
    """A web page that re-points its own name at 127.0.0.1 (DNS rebinding) sends that name."""
    _, port = server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/api/pages", headers={"Host": f"{host}:{port}"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == status, body[:80]
    assert (b'"directory"' in body) == (status == 200)


def test_the_hosts_allowed_follow_the_address_listened_on():
    assert sorted(set(allowed_hosts("127.0.0.1"))) == ["127.0.0.1", "[::1]", "localhost"]
    assert sorted(set(allowed_hosts("::1"))) == ["127.0.0.1", "[::1]", "localhost"]
    assert allowed_hosts("192.168.1.5") == ["192.168.1.5"]
    assert "localhost" in allowed_hosts("0.0.0.0")


def test_ctrl_c_stops_the_server_while_a_browser_listens(tmp_path):
    """Each open page holds an event stream; Ctrl-C must still end the server, quietly."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "build_pdf.py", "serve", str(SEED), "--port", str(port)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                stream = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                stream.request("GET", "/events")
                response = stream.getresponse()
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert response.readline() == b": connected\n"
        server.send_signal(signal.SIGINT)
        code = server.wait(timeout=10)
        stream.close()
    finally:
        server.kill()
        err = server.stderr.read()
        server.stderr.close()
    assert code == 0, err
    assert "Traceback" not in err and "ERROR" not in err


def test_a_page_that_does_not_fit_shows_its_draft_with_the_problems_drawn(tab, page_dir, server):
    for source in SEED.iterdir():  # the seed again: an earlier test broke an article
        shutil.copy(source, page_dir / source.name)
    before = proof_src(tab)
    article = page_dir / "03-kejiju.md"
    front, body = article.read_text(encoding="utf-8").split("---\n", 2)[1:]
    article.write_text(f"---\n{front}---\n" + body * 6, "utf-8")  # far too long
    tab.wait_for_selector(".page.draft", timeout=60000)
    assert proof_src(tab) != before  # the draft, not the last good proof
    assert tab.inner_text(".error").startswith("DRAFT — the page does not fit.")
    assert "03-kejiju.md" in tab.inner_text(".error")
    overset = [t for t in tab.locator("svg .finding-text").all_text_contents() if "overset" in t]
    assert overset, "the draft's overset is not drawn"
    width, height = tab.eval_on_selector(".sheet img", "i => [i.naturalWidth, i.naturalHeight]")
    assert height / width > 390 / 270  # the draft's page runs past the tabloid trim
    pdf = tab.eval_on_selector(".pdf", "a => a.getAttribute('href')")
    connection = http.client.HTTPConnection("127.0.0.1", server[1], timeout=10)
    connection.request("GET", pdf)
    response = connection.getresponse()
    assert response.read().startswith(b"%PDF")
    assert "draft.pdf" in response.getheader("Content-Disposition")
    connection.close()
    article.write_text(f"---\n{front}---\n{body}", "utf-8")
    tab.wait_for_selector(".page:not(.draft) .error[hidden]", state="attached", timeout=60000)


CLIENT = "<b>包头银行</b>"  # markup in a client's name is the name, never markup


def booked_build(directory, **options):
    """The real build, then what the composer will place: an ad on page 5, and jumps
    between pages 5 and 6 and to page 9, which the edition does not have."""
    result = build(directory, **options)
    layout = result.layout
    if result.page.number == 5:
        layout = with_jumps(layout, to=Jump(6, 3, to=6), came_from=9)
        layout = replace(layout, ads=(booked_on(layout, CLIENT, layout.grid.rows - 8),))
    else:
        layout = with_jumps(layout, to=Jump(9, 3, to=9), came_from=5)
    return replace(result, layout=layout)


@pytest.fixture(scope="module")
def edition_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("edition")
    shutil.copytree(SEED, root / "p05")
    shutil.copytree(SEED, root / "p06")
    header = root / "p06" / "page.yaml"
    header.write_text(header.read_text(encoding="utf-8").replace("page: 5", "page: 6"), "utf-8")
    (root / "edition.yaml").write_text(
        "paper: 包头日报\ndate: 2024-03-26\npages: [p05, p06]\n", encoding="utf-8"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(live_preview, "build", booked_build)
        yield from running(create_app(root, watch=False))


@contextlib.contextmanager
def loaded(browser, url):
    """A tab showing both pages; closed after, so its event stream lets the server stop."""
    tab = browser.new_page(viewport={"width": 1000, "height": 900})
    try:
        tab.goto(url)
        tab.wait_for_function(
            "[...document.querySelectorAll('.sheet img')].filter(i => i.naturalWidth).length == 2"
        )
        yield tab
    finally:
        tab.close()


def on_top(tab, section: str) -> None:
    """Wait until `section` is scrolled to the top, just under the sticky bar."""
    tab.wait_for_function(
        f"Math.abs(document.getElementById({section!r}).getBoundingClientRect().top - 48) < 2"
    )


def test_an_ad_is_drawn_hatched_at_its_frame_labelled_with_its_client(browser, edition_server):
    with loaded(browser, edition_server[0]) as tab:
        label = tab.locator("#page-01-p05 svg .ad-label")
        assert label.all_text_contents() == [CLIENT]
        assert label.is_visible()
        assert tab.locator("svg b").count() == 0
        size = tab.locator("#page-01-p05 svg .ad-size").text_content()
        assert size.startswith("通栏 · ") and size.endswith(" mm")
        assert "ad-hatch" in tab.eval_on_selector("svg rect.ad", "r => getComputedStyle(r).fill")
        drawn = tab.evaluate("fetch('/api/pages').then(r => r.json())")[0]["overlay"]
        (x, y, width, height), (page_width, _) = drawn["ads"][0]["box"], drawn["page"]
        sheet = tab.locator("#page-01-p05 svg").bounding_box()
        ad = tab.locator("svg rect.ad").bounding_box()
        scale = sheet["width"] / page_width  # px per pt
        assert ad["x"] - sheet["x"] == pytest.approx(x * scale, abs=1.5)
        assert ad["y"] - sheet["y"] == pytest.approx(y * scale, abs=1.5)
        assert (ad["width"], ad["height"]) == pytest.approx(
            (width * scale, height * scale), abs=1.5
        )
        tab.locator("svg rect.ad").click()
        info = tab.inner_text("#info")
        assert CLIENT in info and size in info and "ad.pdf" in info
        tab.click("#info")


def test_a_jump_links_to_the_page_it_names_and_back(browser, edition_server):
    with loaded(browser, edition_server[0]) as tab:
        onward = tab.locator("#page-01-p05 a.jump-link")
        assert onward.text_content() == "下转第6版"
        onward.click()
        tab.wait_for_function("location.hash === '#page-02-p06'")
        on_top(tab, "page-02-p06")
        back = tab.locator("#page-02-p06 a.jump-link")
        assert back.text_content() == "上接第5版"
        back.click()
        on_top(tab, "page-01-p05")
        unlinked = tab.locator("svg text.jump", has_text="第9版")  # not in this edition
        assert sorted(unlinked.all_text_contents()) == ["上接第9版", "下转第9版"]
        assert unlinked.evaluate_all("els => els.filter(el => el.closest('a')).length") == 0
    with loaded(browser, edition_server[0] + "/#page-02-p06") as opened:  # a jump's address
        on_top(opened, "page-02-p06")


def test_a_page_shown_as_a_draft_is_still_a_jumps_destination(tmp_path):
    """The page a jump continues on is the one most often overset while it is edited."""
    directory = tmp_path / "p05"
    shutil.copytree(SEED, directory)
    article = directory / "03-kejiju.md"
    front, body = article.read_text(encoding="utf-8").split("---\n", 2)[1:]
    article.write_text(f"---\n{front}---\n" + body * 6, "utf-8")
    preview = Preview(directory, DEFAULT)
    (view,) = preview.pages.values()
    preview.rebuild(view)
    assert view.proof is not None and view.proof.draft
    assert preview.anchors()[5] == f"#page-{view.id}"


@pytest.mark.slow
def test_a_served_edition_jumps_as_the_edition_builds_it_and_rebuilds_the_rest(
    tmp_path, monkeypatch
):
    """The live proof of an edition builds page 1 before the page its lead runs on, so
    page 3 shows the rest; an edit on page 1 rebuilds page 3 too, after it."""
    monkeypatch.setattr(live_preview, "build", build)  # the real one, whatever a fixture left
    edition = write_edition(tmp_path / "edition")
    preview = Preview(edition, DEFAULT)
    pages = list(preview.pages.values())
    assert preview.in_order(pages[::-1]) == pages  # senders first, whatever asked
    for page in preview.in_order(pages):
        preview.rebuild(page)
    front, _, inner = preview.summaries()
    assert front["error"] is None and inner["error"] is None, (front["error"], inner["error"])
    jumps = {
        jump["label"]: jump["href"]
        for shown in (front, inner)
        for module in shown["overlay"]["modules"]
        for jump in module["jumps"]
    }
    assert jumps == {"下转第3版": f"#page-{pages[2].id}", "上接第1版": f"#page-{pages[0].id}"}
    assert [len(shown["overlay"]["ads"]) for shown in (front, inner)] == [2, 1]
    changed = {pages[0].directory / "01-story.md"}
    assert preview.affected(changed) == [pages[0], pages[2]]
