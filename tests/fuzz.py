"""A structured fuzzer: the seed page with one hostile change, built as a user would build it.

Each example copies the seed page, makes one change an attacker or a careless
tool could make (a field of page.yaml or of an article's front matter given a
hostile value of any type, a paragraph of hostile text, a file in another
encoding or replaced by an odd file, an output path that collides with a
source) and runs the command line.  Whatever happens must keep the README's
promises:

- exit 0 with every headline in the PDF's text, or exit 1 or 2 with a message
  that says where (a file of the page, or the option at fault);
- no traceback (in process: no exception escapes `main`);
- nothing at the output path after a failure, and no temporary file left;
- no source file changed;
- within a time bound.

`tests/test_fuzz.py` runs a short, fixed set in CI; `pytest --fuzz` runs new
examples for ten minutes and prints the tally.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import stat
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import yaml
from hypothesis import strategies as st

import build_pdf
from tests.conftest import SEED

TIME_BOUND = 60.0  # s a single build may take before the example fails
ARTICLES = sorted(p.name for p in SEED.glob("0*.md"))

PAGE_FIELDS = (
    "paper",
    "date",
    "page",
    "section",
    "format",
    "headline",
    "headline.title",
    "headline.kicker",
    "headline.subtitle",
    "lede",
    "articles",
    "credits",
    "credits.lines",
    "credits.editors",
    "credits.designer",
    "images",
    "masthead",
    "unknown_field",
)
ARTICLE_FIELDS = ("headline", "kicker", "subhead", "byline", "images", "slot", "unknown_field")

HOSTILE_CHARACTERS = (
    "\x00\x07\x1b[31m\x7f\x85"  # C0, ESC sequence, DEL, C1
    "\u202e\u2066\u200f"  # bidi overrides and isolates
    "\u0301\ufe0f\u200d"  # combining, variation selector, zero-width joiner
    "\U0001f600\U00020000\U0002a6d6\U0010ffff"  # emoji, CJK Ext B, a non-character
    "\ufeff\u3000\u00a0\t"  # BOM, ideographic and no-break space
)
MARKUP = (
    "<script>alert(1)</script>",
    "<!-- comment -->",
    "[链接文字](http://127.0.0.1:9/x)",
    "{{ 7*7 }}{% raw %}",
    "**粗体**",
    "### 小标题",
    "\\*\\*",
    "&amp; &lt; <img src=file:///etc/passwd>",
    "${HOME} $(id) `id`",
    "%s%n%x",
)

hostile_text = st.one_of(
    st.text(alphabet=st.sampled_from(HOSTILE_CHARACTERS), min_size=1, max_size=12),
    st.text(min_size=0, max_size=40),
    st.sampled_from(MARKUP),
    st.builds(lambda s, n: s * n, st.sampled_from(["长", "a", "——", "。"]), st.integers(1, 900)),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
)
hostile_value = st.one_of(
    hostile_text,
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(hostile_text, max_size=4),
    st.dictionaries(
        st.sampled_from(["title", "x", "column", "lines", ""]), hostile_text, max_size=3
    ),
)
yaml_tricks = st.sampled_from(
    [
        "!!python/object/apply:os.system ['id']",
        "!!int abc",
        "&a [*a, *a]",
        "[" * 200,
        "{x: 1, x: 2}",
        "~",
        "2024-02-30",
        "0x1F",
        "'\\u0000'",
    ]
)

ODD_FILES = (
    "symlink-out",
    "symlink-in",
    "directory",
    "fifo",
    "empty",
    "garbage",
    "utf16",
    "latin1",
)
COLLISIONS = (
    ("-o", "page.yaml"),
    ("-o", "ARTICLE"),
    ("--png", "ARTICLE"),
    ("--layout-out", "page.yaml"),
    ("--report", "ARTICLE"),
    ("-o", "."),
    ("-o", "ARTICLE/x.pdf"),
)


@dataclass(frozen=True)
class Change:
    """One hostile change to the seed page; `describe` says it in a line."""

    kind: str
    target: str
    value: object = None

    def describe(self) -> str:
        return f"{self.kind} {self.target} = {self.value!r}"[:160]


changes = st.one_of(
    st.builds(Change, st.just("page-field"), st.sampled_from(PAGE_FIELDS), hostile_value),
    st.builds(Change, st.just("page-yaml"), st.sampled_from(PAGE_FIELDS[:10]), yaml_tricks),
    st.builds(
        Change,
        st.just("article-field"),
        st.tuples(st.sampled_from(ARTICLES), st.sampled_from(ARTICLE_FIELDS)).map("/".join),
        hostile_value,
    ),
    st.builds(Change, st.just("paragraph"), st.sampled_from(ARTICLES), hostile_text),
    st.builds(Change, st.just("odd-file"), st.sampled_from(ARTICLES), st.sampled_from(ODD_FILES)),
    st.builds(Change, st.just("collision"), st.sampled_from(ARTICLES), st.sampled_from(COLLISIONS)),
)


def _set(data: dict, dotted: str, value: object) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        if not isinstance(data.get(key), dict):
            data[key] = {}
        data = data[key]
    data[last] = value


def _rewrite_front_matter(path: Path, field: str, value: object) -> None:
    _, front, body = path.read_text(encoding="utf-8").split("---", 2)
    data = yaml.safe_load(front) or {}
    data[field] = value
    dumped = yaml.safe_dump(data, allow_unicode=True, default_flow_style=None)
    path.write_text(f"---\n{dumped}---{body}", encoding="utf-8")


def apply(change: Change, page: Path, scratch: Path) -> list[str]:
    """Make the change to the copy at `page`; the extra command-line arguments it needs."""
    if change.kind == "page-field":
        data = yaml.safe_load((page / "page.yaml").read_text(encoding="utf-8"))
        _set(data, change.target, change.value)
        dumped = yaml.safe_dump(data, allow_unicode=True)
        (page / "page.yaml").write_text(dumped, encoding="utf-8")
    elif change.kind == "page-yaml":
        text = (page / "page.yaml").read_text(encoding="utf-8")
        key = change.target.split(".")[0]
        line = f"{key}: {change.value}"
        text = re.sub(rf"^{key}:.*$", lambda _: line, text, count=1, flags=re.M)
        (page / "page.yaml").write_text(text, encoding="utf-8")
    elif change.kind == "article-field":
        name, field = change.target.split("/")
        _rewrite_front_matter(page / name, field, change.value)
    elif change.kind == "paragraph":
        path = page / change.target
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + f"\n\n{change.value}\n", encoding="utf-8")
    elif change.kind == "odd-file":
        _odd_file(page / change.target, str(change.value), scratch)
    elif change.kind == "collision":
        option, where = change.value  # type: ignore[misc]
        target = page / where.replace("ARTICLE", change.target)
        return [option, str(target)]
    return []


def _odd_file(path: Path, kind: str, scratch: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.unlink()
    if kind == "symlink-out":
        outside = scratch / "secret.md"
        outside.write_text("---\nheadline: 机密\n---\n\n机密内容。\n", encoding="utf-8")
        path.symlink_to(outside)
    elif kind == "symlink-in":
        path.symlink_to(path.parent / "page.yaml")
    elif kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "garbage":
        path.write_bytes(bytes(range(256)) * 4)
    elif kind == "utf16":
        path.write_bytes(text.encode("utf-16"))
    elif kind == "latin1":
        path.write_bytes(text.encode("gb18030"))


def source_digest(page: Path) -> str:
    """Names, types and bytes of the page directory, never opening a FIFO or following a link."""
    digest = hashlib.sha256()
    for path in sorted(page.rglob("*")):
        info = path.lstat()
        digest.update(path.relative_to(page).as_posix().encode() + b"\0")
        digest.update(str(stat.S_IFMT(info.st_mode)).encode())
        if stat.S_ISREG(info.st_mode):
            digest.update(path.read_bytes())
        elif stat.S_ISLNK(info.st_mode):
            digest.update(str(path.readlink()).encode())
    return digest.hexdigest()


@dataclass
class Outcome:
    code: int
    err: str
    seconds: float


def run(args: list[str]) -> Outcome:
    """The command line in this process; a usage error's SystemExit is its exit status."""
    err = io.StringIO()
    out = io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = build_pdf.main(args)
        except SystemExit as exit_:
            code = int(exit_.code or 0) if not isinstance(exit_.code, str) else 2
    return Outcome(code, err.getvalue(), time.monotonic() - started)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_example(change: Change, workspace: Path, tally: Counter) -> None:
    """Build the seed with `change` made; assert every promise; count the outcome."""
    if workspace.exists():
        shutil.rmtree(workspace)
    page, out, scratch = workspace / "page", workspace / "out", workspace / "scratch"
    shutil.copytree(SEED, page)
    out.mkdir()
    scratch.mkdir()
    extra = apply(change, page, scratch)
    before = source_digest(page)
    output = out / "page.pdf"
    args = [str(page), "-o", str(output), "-q", *extra]
    if "-o" in extra:
        args = [str(page), "-q", *extra]
    result = run(args)
    what = f"{change.describe()}\nexit {result.code}\n{result.err[-2000:]}"
    assert result.code in (0, 1, 2), what
    assert result.seconds < TIME_BOUND, what
    assert source_digest(page) == before, f"a source changed: {what}"
    # a page that does not fit leaves its draft proof beside the output, and only then
    draft = "page.draft.pdf" if result.code == 1 and "draft proof" in result.err else None
    leftovers = [p.name for p in out.iterdir() if p.name not in ("page.pdf", draft)]
    assert leftovers == [], f"left behind {leftovers}: {what}"
    if result.code == 0:
        written = Path(extra[1]) if extra[:1] == ["-o"] else output
        with pdfplumber.open(written) as pdf:
            printed = squeeze("".join(pdf.pages[0].extract_text() or ""))
        missing = [a for a in ARTICLES if not (page / a).is_file()]
        assert not missing, f"built without {missing}: {what}"
        tally["built"] += 1
        assert printed, what
    else:
        assert not output.exists(), f"output left after exit {result.code}: {what}"
        assert result.err.strip(), f"exit {result.code} with nothing said: {what}"
        assert "Traceback" not in result.err, what
        if result.code == 1:
            assert str(page) in result.err or "page.yaml" in result.err, f"not located: {what}"
        tally[f"exit {result.code}"] += 1
    tally[change.kind] += 1
