"""Golden outputs: what good pages must typeset to, stored under tests/golden/CASE/.

Each case is a page that builds: the seed page, and pages written by
`tests.pagegen` from fixed specs and seeds (into a temporary directory, never
committed).  For each, three files are stored:

- ``layout.yaml``: the layout file, exactly as ``--layout-out`` writes it;
- ``lines.yaml``: each article's body lines as the composer set them;
- ``report.yaml``: what the check measured on the PDF (page size, fonts,
  per-article typography figures).

Compare the stored files with a fresh build (exits 1 and prints a diff on any
difference)::

    .venv/bin/python -m tests.golden

After a change that is meant to move the type, rewrite them, then review the
change with ``git diff tests/golden``::

    .venv/bin/python -m tests.golden --regenerate

Both take case names to limit the run to those cases.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from layout.pipeline import Build, build
from layout.sources.layout_file import dump_layout
from tests.conftest import ROOT, SEED
from tests.pagegen import Spec, write_page

GOLDEN = ROOT / "tests" / "golden"
REGENERATE = ".venv/bin/python -m tests.golden --regenerate"
FILES = ("layout.yaml", "lines.yaml", "report.yaml")
SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


@dataclass(frozen=True)
class Case:
    """A good page: `make` returns its directory, writing it under `scratch` if generated."""

    name: str
    about: str
    make: Callable[[Path], Path]


def _generated(
    specs: list[Spec], *, format: str, seed: int, lede: bool = True
) -> Callable[[Path], Path]:
    def make(scratch: Path) -> Path:
        return write_page(scratch / "page", specs, format=format, seed=seed, lede=lede)

    return make


# The generated pages' lengths were fitted once (tests.pagegen.fitted) and are fixed
# here, so the copy, and so the expected type, changes only when pagegen does.
CASES = {
    case.name: case
    for case in (
        Case(
            "seed-tabloid-5-articles",
            "the committed seed page: banner, lede, five interviews",
            lambda scratch: SEED,
        ),
        Case(
            "broadsheet-7-articles-4-photos",
            "generated broadsheet with a lede, seven articles and four photos",
            _generated(
                [
                    Spec(1011, 1),
                    Spec(758),
                    Spec(569, 2),
                    Spec(569),
                    Spec(442, 1),
                    Spec(379),
                    Spec(316),
                ],
                format="broadsheet",
                seed=11,
            ),
        ),
        Case(
            "tabloid-7-short-articles",
            "generated tabloid with a lede, seven short articles and a photo",
            _generated(
                [
                    Spec(316, 1),
                    Spec(252),
                    Spec(252),
                    Spec(221),
                    Spec(189),
                    Spec(189),
                    Spec(158),
                ],
                format="tabloid",
                seed=13,
            ),
        ),
        Case(
            "tabloid-3-articles-no-lede",
            "generated tabloid without a lede: three long articles, two photos",
            _generated(
                [Spec(845, 1), Spec(650), Spec(520, 1)], format="tabloid", seed=12, lede=False
            ),
        ),
    )
}


def _yaml(data: object, comment: str) -> str:
    text = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000
    )
    return f"# {comment}\n# Written by {REGENERATE}; do not edit.\n{text}"


def body_lines(result: Build) -> dict[str, list[str]]:
    """Each article's body lines, column after column, in the page's article order."""
    modules = {module.article.file.name: module for module in result.layout.modules}
    return {
        article.file.name: [
            row.line.text for column in modules[article.file.name].columns for row in column
        ]
        for article in result.page.articles
        if article.file.name in modules
    }


def report_figures(result: Build) -> dict[str, object]:
    """The check's measurements, without the font subset tags and with floats rounded."""
    report = result.report
    fonts = sorted(
        (
            {
                "name": SUBSET_PREFIX.sub("", font.name),
                "embedded": font.embedded,
                "subset": font.subset,
            }
            for font in report.fonts
        ),
        key=lambda font: (font["name"], font["embedded"], font["subset"]),
    )
    return {
        "page_size": [round(v, 3) for v in report.page_size],
        "fonts": fonts,
        "typography": {
            label: {f.name: _rounded(getattr(figures, f.name)) for f in fields(figures)}
            for label, figures in report.typography.items()
        },
    }


def _rounded(value: object) -> object:
    # 4 places: far finer than the report's thresholds, coarser than float noise
    return round(value, 4) if isinstance(value, float) else value


def compute(case: Case, scratch: Path) -> dict[str, str]:
    """The golden files' text for `case`, from a fresh build (generated pages in `scratch`)."""
    result = build(case.make(scratch))
    return {
        "layout.yaml": dump_layout(result.layout),
        "lines.yaml": _yaml(
            body_lines(result),
            "Body lines of each article as the composer set them, column after column.",
        ),
        "report.yaml": _yaml(
            report_figures(result),
            "Measured on the PDF: page size (pt), fonts, typography figures per article.",
        ),
    }


def stored(case: Case) -> dict[str, str | None]:
    """The stored golden files of `case` (None for a file that is missing)."""
    directory = GOLDEN / case.name
    return {
        name: (directory / name).read_text(encoding="utf-8")
        if (directory / name).is_file()
        else None
        for name in FILES
    }


def differences(case: Case, actual: dict[str, str]) -> str:
    """A unified diff of the stored files against `actual`; empty if they agree."""
    out: list[str] = []
    for name, expected in stored(case).items():
        path = f"tests/golden/{case.name}/{name}"
        if expected is None:
            out.append(f"{path}: missing\n")
            continue
        out.extend(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual[name].splitlines(keepends=True),
                fromfile=f"{path} (stored)",
                tofile=f"{path} (built now)",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def write(case: Case, actual: dict[str, str]) -> None:
    directory = GOLDEN / case.name
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in actual.items():
        # bytes, so that no platform changes the line endings
        (directory / name).write_bytes(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.golden", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="rewrite the stored files from fresh builds"
    )
    parser.add_argument("cases", nargs="*", metavar="CASE", help="only these (default: all)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.cases if name not in CASES]
    if unknown:
        parser.error(f"no case {', '.join(unknown)}; the cases are {', '.join(CASES)}")
    chosen = [CASES[name] for name in args.cases] if args.cases else list(CASES.values())
    failed = 0
    for case in chosen:
        with tempfile.TemporaryDirectory() as scratch:
            actual = compute(case, Path(scratch))
        if args.regenerate:
            write(case, actual)
            print(f"{case.name}: written")
            continue
        diff = differences(case, actual)
        if diff:
            failed += 1
            print(f"{case.name}: differs\n{diff}")
        else:
            print(f"{case.name}: same")
    stale = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name not in CASES)
    for name in stale:
        print(f"tests/golden/{name}: not a case any more; delete it")
    if failed:
        print(f"{failed} of {len(chosen)} cases differ; if the change is meant, run {REGENERATE}")
    return 1 if failed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
