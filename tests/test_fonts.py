"""Font roles resolve to installed files, measure like Pango, and refuse what they cannot draw."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from layout.errors import FontError, Problem, SetupError
from layout.render.html_to_pdf import render_pdf
from layout.typeset import emoji, fonts


def test_every_role_resolves_to_an_installed_simplified_chinese_face(roles):
    assert set(roles) >= {"body", "body_bold", "headline", "banner", "kai", "sans"}
    for role in roles.values():
        first = role.faces[0]
        assert first.file.exists()
        assert fonts.covers(first, "中")
    # the .ttc collections hold JP, KR, SC, TC, HK faces: the SC one must be picked
    assert roles["body"].faces[0].family == "Noto Serif CJK SC"


def test_widths_follow_the_font(roles):
    body = roles["body"]
    assert fonts.width(body, "包头") == pytest.approx(2.0)
    assert fonts.width(body, "，", halt=True) == pytest.approx(0.5)
    assert fonts.width(body, "——", full_width=True) == pytest.approx(2.0)  # 破折号: two em
    assert 0.3 < fonts.width(body, "2024") / 4 < 0.7


def test_a_rare_character_falls_back_and_a_missing_one_is_an_error(roles):
    body = roles["body"]
    rare = "\U0002a6a5"  # CJK Extension B: not in Noto CJK, in HanaMinB
    assert fonts.face_for(body, rare).family.startswith("HanaMin")
    where = Problem("", field="body")
    fonts.check_coverage([(body, "包头" + rare, where)])
    with pytest.raises(FontError, match=r"U\+F0001"):
        fonts.check_coverage([(body, "包\U000f0001头", where)])


def test_the_slow_font_subsetting_path_is_refused(monkeypatch):
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    with pytest.raises(SetupError, match="libharfbuzz-subset"):
        fonts.require_fast_subsetting()


def test_latin_digits_are_measured_as_pango_shapes_them(roles):
    # Pango shapes a Latin-script run without the zh language: '1' is 0.549 em there
    body = roles["body"]
    assert fonts.width(body, "No.1") - fonts.width(body, "No.") == pytest.approx(0.549)
    assert fonts.width(body, "1") == pytest.approx(0.471)


# ☝ is set as text by the sources (not emoji by default) but Pango itemises it as an
# emoji and takes it from fontconfig's emoji fonts; the others it takes from the role.
DRAWN = "包⨀ƀ☺\U0002a6a5☝"


def _drawn_with(role: fonts.Role, text: str) -> dict[str, str]:
    """The font WeasyPrint draws each character of `text` with, in `role`'s CSS families."""
    html = (
        f"<html lang='zh-CN'><head><style>p {{ font-family: {role.css_families}; "
        f"font-weight: {role.weight} }}</style></head><body><p>{text}</p></body></html>"
    )
    with pdfplumber.open(io.BytesIO(render_pdf(html, base=Path()).pdf)) as pdf:
        return {c["text"]: c["fontname"].split("+")[-1] for c in pdf.pages[0].chars}


@pytest.mark.parametrize("name", ["body", "headline", "kai"])
def test_coverage_names_the_face_pango_draws_each_character_with(roles, name):
    role = roles[name]
    drawn = _drawn_with(role, DRAWN)
    for char in DRAWN:
        face = fonts.face_for(role, char)
        if face is None:  # refused: Pango picks an emoji font, whichever that is here
            assert emoji.drawn_as_emoji(char)
        else:
            assert drawn[char].startswith(face.family.replace(" ", "-")), (char, drawn[char])


def test_a_character_pango_takes_from_the_emoji_fonts_is_refused_where_it_is(roles):
    body = roles["body"]
    assert fonts.covers(body.faces[0], "☝")  # Noto Serif CJK has it, but does not print it
    assert not _drawn_with(body, "☝")["☝"].startswith("Noto-Serif")
    assert fonts.missing_characters(body, "包☝头☺") == ["☝"]
    assert fonts.missing_characters(body, "Ϣ") == ["Ϣ"]  # in DejaVu only: refused as ever
    where = Problem("", Path("p/01-a.md"), 3, "headline")
    with pytest.raises(FontError) as error:
        fonts.check_coverage([(body, "包☝头", where)])
    [problem] = error.value.problems
    assert (problem.file, problem.line, problem.field) == (Path("p/01-a.md"), 3, "headline")
    assert "(U+261D) is an emoji" in problem.message
    assert problem.hint and "replace the character" in problem.hint
