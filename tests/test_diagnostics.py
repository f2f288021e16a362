"""Problems carry a severity; WeasyPrint's log becomes problems; a machine problem is not a
content problem and has an exit status of its own."""

from __future__ import annotations

import pickle
import shutil

import pytest

import build_pdf
from layout.errors import LayoutError, Problem, RenderError, SetupError
from layout.render import html_to_pdf
from layout.render.html_to_pdf import render_pdf
from tests.conftest import SEED

PAGE = "<html><body><p>中文</p>{}</body></html>"


def test_a_warning_says_so_and_an_error_does_not():
    warning = Problem("under 200 ppi", field="images", hint="a larger photo", severity="warning")
    error = Problem("under 150 ppi", field="images")
    assert str(warning).startswith("warning: images: under 200 ppi")
    assert str(error).startswith("images: under 150 ppi")


def test_a_css_rule_weasyprint_ignores_is_a_warning_of_the_render(tmp_path, weasyprint_log):
    rendered = render_pdf(PAGE.format('<p style="colr: red">x</p>'), tmp_path)
    weasyprint_log.clear()  # expected here; any other test logging one fails
    assert rendered.pdf.startswith(b"%PDF")
    assert [w.severity for w in rendered.warnings] == ["warning"]
    assert "colr" in rendered.warnings[0].message
    assert rendered.warnings[0].file == tmp_path


def test_an_image_weasyprint_cannot_load_stops_the_render(tmp_path, weasyprint_log):
    (tmp_path / "photo.png").write_bytes(b"not a picture")
    with pytest.raises(RenderError, match=r"photo\.png") as raised:
        render_pdf(PAGE.format('<img src="photo.png">'), tmp_path)
    weasyprint_log.clear()
    assert isinstance(raised.value, LayoutError)
    assert all(p.severity == "error" for p in raised.value.problems)


def test_a_clean_page_renders_without_warnings(tmp_path):
    assert render_pdf(PAGE.format(""), tmp_path).warnings == ()


def test_a_setup_error_is_not_a_content_error_and_survives_a_process_boundary():
    error = SetupError(Problem("no subsetter", hint="run ./setup.sh"))
    assert not isinstance(error, LayoutError)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is SetupError and again.problems == error.problems


def _no_subsetter() -> None:
    raise SetupError(Problem("libharfbuzz-subset is missing", hint="run ./setup.sh"))


def test_a_machine_problem_exits_3_once_for_a_page(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(html_to_pdf, "require_fast_subsetting", _no_subsetter)
    output = tmp_path / "page.pdf"
    assert build_pdf.main([str(SEED), "-o", str(output)]) == build_pdf.SETUP_FAILED == 3
    err = capsys.readouterr().err
    assert "this machine cannot build pages" in err and "run ./setup.sh" in err
    assert not output.exists()


@pytest.mark.slow
def test_a_machine_problem_stops_an_edition_instead_of_failing_each_page(
    tmp_path, monkeypatch, capsys
):
    edition = tmp_path / "edition"
    for name in ("p05", "p06"):
        shutil.copytree(SEED, edition / name)
    (edition / "p06" / "page.yaml").write_text(
        (SEED / "page.yaml").read_text(encoding="utf-8").replace("page: 5", "page: 6"),
        encoding="utf-8",
    )
    (edition / "edition.yaml").write_text(
        "paper: 包头日报\ndate: 2024-03-26\npages: [p05, p06]\n", encoding="utf-8"
    )
    monkeypatch.setattr(html_to_pdf, "require_fast_subsetting", _no_subsetter)
    code = build_pdf.main([str(edition), "-o", str(tmp_path / "out"), "-j", "1", "-q"])
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("libharfbuzz-subset is missing") == 1
    assert not (tmp_path / "out" / "edition.pdf").exists()
