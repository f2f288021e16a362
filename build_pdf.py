#!/usr/bin/env python3
"""Build a newspaper page PDF from a page directory (page.yaml + articles).

    python build_pdf.py                      # the bundled seed page, into build/
                                             # (re-runs itself in .venv made by ./setup.sh)
    python build_pdf.py PAGE_DIR [-o OUT.pdf] [--png PREVIEW.png]
                             [--layout-out LAYOUT.yaml] [--layout LAYOUT.yaml]
                             [--report REPORT.json]
    python build_pdf.py import {text,nitf,docx} FILE… -o PAGE_DIR [--paper … --date … --page …]

Exit status: 0 built; 1 the content cannot be typeset as asked (the message
names the file, field and fix); 2 wrong usage.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SEED_PAGE = ROOT / "source" / "baotou-daily-2024-03-26-p5"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build_pdf.py", description="Typeset a Chinese newspaper page to PDF."
    )
    parser.add_argument(
        "page", nargs="?", type=Path, default=SEED_PAGE, help="page directory (default: the seed)"
    )
    parser.add_argument("-o", "--output", type=Path, help="PDF to write (default: build/NAME.pdf)")
    parser.add_argument("--png", type=Path, help="also write a PNG preview of the page")
    parser.add_argument(
        "--layout",
        type=Path,
        metavar="LAYOUT.yaml",
        help="keep the modules of a layout file (written by --layout-out, maybe edited)",
    )
    parser.add_argument(
        "--layout-out", type=Path, metavar="LAYOUT.yaml", help="write the layout chosen"
    )
    parser.add_argument(
        "--report",
        type=Path,
        metavar="REPORT.json",
        help="write what was built and measured (or what failed), for CI",
    )
    parser.add_argument("--dpi", type=int, default=100, help="resolution of the PNG preview")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="give up on a page that takes longer (default: 120)",
    )
    return parser


def _import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build_pdf.py import", description="Turn newsroom text, NITF or Word into a page."
    )
    parser.add_argument("kind", choices=("text", "nitf", "docx"))
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="a story each")
    parser.add_argument("-o", "--output", type=Path, required=True, help="page directory to write")
    parser.add_argument("--paper", help="报名, if the source does not say")
    parser.add_argument("--date", type=_iso_date, help="YYYY-MM-DD")
    parser.add_argument("--page", type=int, help="版次")
    parser.add_argument("--section", help="版名")
    parser.add_argument("--format", choices=("broadsheet", "tabloid"))
    return parser


def _iso_date(text: str):
    import datetime  # noqa: PLC0415 (only the importer needs it)

    return datetime.date.fromisoformat(text)


def import_main(argv: list[str]) -> int:
    """`import KIND FILE… -o PAGE_DIR`: write page sources, print what could not be placed."""
    args = _import_parser().parse_args(argv)
    from layout.errors import LayoutError  # noqa: PLC0415
    from layout.ingest import read_all  # noqa: PLC0415
    from layout.ingest.draft import write_page  # noqa: PLC0415

    try:
        draft = read_all(args.kind, args.files)
    except LayoutError as error:
        print(f"build_pdf: cannot import:\n{error}", file=sys.stderr)
        return 1
    for key in ("paper", "date", "page", "section", "format"):
        if getattr(args, key) is not None:
            setattr(draft, key, getattr(args, key))
    written = write_page(draft, args.output)
    print(f"wrote {len(written)} files to {args.output}")
    for note in draft.notes:
        print(f"note: {note}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["import"]:
        return import_main(argv[1:])
    args = _parser().parse_args(argv)
    output = args.output or ROOT / "build" / f"{args.page.resolve().name}.pdf"

    from layout import build_report  # noqa: PLC0415 (keep --help fast)
    from layout.errors import LayoutError  # noqa: PLC0415
    from layout.pipeline import build  # noqa: PLC0415
    from layout.preview import write_png  # noqa: PLC0415
    from layout.write import write_atomically  # noqa: PLC0415

    try:
        result = build(
            args.page,
            output,
            seconds=args.time_limit,
            layout_in=args.layout,
            layout_out=args.layout_out,
        )
        if args.png:
            write_png(result.pdf, args.png, dpi=args.dpi)
    except LayoutError as error:
        print(f"build_pdf: cannot build {args.page}:\n{error}", file=sys.stderr)
        if args.report:
            entry = build_report.failed_entry(args.page, error)
            write_atomically(args.report, build_report.report_bytes([entry]))
        return 1
    if args.report:
        written = [p for p in (output, args.png, args.layout_out) if p is not None]
        entry = build_report.built_entry(args.page, result, written)
        write_atomically(args.report, build_report.report_bytes([entry]))
    total = sum(result.timings.values())
    stages = ", ".join(f"{k} {v:.2f}" for k, v in result.timings.items())
    grid = result.layout.grid
    print(f"wrote {output} in {total:.2f} s ({stages})")
    print(
        f"grid: {grid.format.name}, {grid.columns} columns "
        f"of {grid.chars} characters of {grid.em:g} pt"
    )
    print(f"check: {result.report.summary()}")
    print("typography, measured from the PDF:")
    print(result.report.table())
    return 0


def _in_project_environment() -> None:
    """Started with a Python that lacks the packages: re-run in the project's .venv."""
    if importlib.util.find_spec("weasyprint") is not None:
        return
    venv_python = ROOT / ".venv" / "bin" / "python"
    if venv_python.exists() and Path(sys.executable) != venv_python:
        os.execv(venv_python, [str(venv_python), __file__, *sys.argv[1:]])
    sys.exit("build_pdf: the project's packages are not installed; run ./setup.sh first")


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the output quietly
    _in_project_environment()
    sys.exit(main())
