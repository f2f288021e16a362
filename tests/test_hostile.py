"""Hostile and broken sources: text is data, nothing leaks, nothing is lost, nothing hangs."""

from __future__ import annotations

import hashlib
import re
import shutil
import time

import pdfplumber
import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import build_pdf
from layout.errors import TimeLimitError
from layout.options import OutputOptions
from layout.pipeline import build
from layout.typeset.normalise import normalise_text
from tests.conftest import SEED

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=file:///etc/passwd>"
LINK = '<link rel=attachment href="file:///etc/passwd">'
JINJA = "{{ 7*7 }}{% if 1 %}x{% endif %}"
AMP = "& < > \" '"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def tree_digest(directory) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(directory).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def seed_copy(tmp_path):
    page = tmp_path / "page"
    shutil.copytree(SEED, page)
    return page


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_markup_and_template_syntax_print_as_typed_and_fetch_nothing(seed_copy, tmp_path):
    replace_in(seed_copy / "page.yaml", "section: 专版", f"section: '{SCRIPT}'")
    replace_in(seed_copy / "page.yaml", "designer: 马慧茹", f"designer: '{JINJA}'")
    article = seed_copy / "01-fagaiwei.md"
    replace_in(article, "subhead: ", f"byline: '{IMG}'\nsubhead: ")
    replace_in(article, "“此次系列活动", f"{LINK}{AMP}“此次系列活动")
    before = tree_digest(seed_copy)
    output = tmp_path / "page.pdf"
    result = build(seed_copy, output)
    with pdfplumber.open(output) as pdf:
        text = squeeze("".join(c["text"] for c in pdf.pages[0].chars))
    for typed in (SCRIPT, IMG, LINK, JINJA, AMP):
        # as typed, up to the normalisation all copy gets (straight quotes become curly)
        assert squeeze(normalise_text(typed)) in text, typed
    assert "49" not in text.split("美编")[-1]  # the template syntax was not evaluated
    with pikepdf.open(output) as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
    assert b"root:" not in output.read_bytes()
    assert result.report.problems == []
    assert tree_digest(seed_copy) == before  # the build never touches its sources


def test_ten_thousand_articles_fail_at_once(seed_copy, capsys):
    listing = "\n".join(f"  - {n:05d}.md" for n in range(10_000))
    text = (seed_copy / "page.yaml").read_text(encoding="utf-8")
    text = re.sub(r"articles:\n(  - .*\n)+", f"articles:\n{listing}\n", text)
    (seed_copy / "page.yaml").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    assert build_pdf.main([str(seed_copy), "-o", str(seed_copy / "x.pdf")]) == 1
    assert time.perf_counter() - started < 10
    err = capsys.readouterr().err
    assert "page.yaml" in err and "articles" in err and "at most 12" in err


def test_a_megabyte_paragraph_fails_at_once(seed_copy, capsys):
    article = seed_copy / "02-gongxinju.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n\n" + "字" * 300_000, "utf-8")
    started = time.perf_counter()
    assert build_pdf.main([str(seed_copy), "-o", str(seed_copy / "x.pdf")]) == 1
    assert time.perf_counter() - started < 10
    err = capsys.readouterr().err
    assert "02-gongxinju.md:" in err and "300,000 characters" in err and "split it" in err


def test_a_build_past_its_time_limit_stops_and_writes_nothing(tmp_path):
    output = tmp_path / "page.pdf"
    with pytest.raises(TimeLimitError, match=r"longer than 0\.01 s"):
        build(SEED, output, options=OutputOptions(time_limit=0.01))
    assert not output.exists()


BODY_TEXT = st.text(
    st.sampled_from(
        list("中国包头呼和浩特，。、；：？！“”‘’（）《》——……abcXYZ019 <>&{}%#*_-.,:;!?'\"\\/\n")
    ),
    min_size=1,
    max_size=80,
)


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=BODY_TEXT)
def test_fuzzed_body_text_builds_or_fails_cleanly(seed_copy, capsys, text):
    article = seed_copy / "04-renshiju.md"
    original = (SEED / "04-renshiju.md").read_text(encoding="utf-8")
    last = original.rstrip("\n").rsplit("\n\n", 1)[1]
    article.write_text(original.replace(last, text), encoding="utf-8")
    output = seed_copy / "fuzz.pdf"
    output.unlink(missing_ok=True)
    code = build_pdf.main([str(seed_copy), "-o", str(output)])
    err = capsys.readouterr().err
    assert code in (0, 1)
    if code == 0:
        # the check stage has compared every body line with the source; confirm the
        # fuzzed characters themselves reached the text layer
        with pdfplumber.open(output) as pdf:
            printed = squeeze("".join(c["text"] for c in pdf.pages[0].chars))
        for char in set(squeeze(text)) - set("*#\\"):  # markup and its escape
            assert char in printed or char in "'\"-.,:;!?()", char
    else:
        assert "fix:" in err or "04-renshiju.md" in err
