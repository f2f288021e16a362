"""Font roles resolve to installed files, measure like Pango, and refuse what they cannot draw."""

from __future__ import annotations

import pytest

from layout.errors import FontError, Problem, SetupError
from layout.typeset import fonts


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
