#!/usr/bin/env python3
"""Build a newspaper page PDF from a page directory (page.yaml + articles).

This file parses and checks the arguments; layout/cli.py runs the command.

    python build_pdf.py                      # the bundled seed page, into build/
                                             # (re-runs itself in .venv made by ./setup.sh)
    python build_pdf.py PAGE_DIR [-o OUT.pdf] [--png PREVIEW.png]
                             [--layout-out LAYOUT.yaml] [--layout LAYOUT.yaml]
                             [--report REPORT.json] [--pdfa | --pdfx [x-4|x-1a]]
                             [--preflight] [--alto] [--watch]
    python build_pdf.py EDITION_DIR [-o OUT_DIR] [-j N] [--no-cache] [--proof]
                             [--report REPORT.json] [--pdfa | --pdfx [x-4|x-1a]]
                             [--preflight] [--alto] [--quiet] [--watch]
    python build_pdf.py batch ROOT -o OUT_DIR [--scheduler tcp://HOST:PORT] [--alto]
    python build_pdf.py serve PAGE_OR_EDITION_DIR [--port 8000] [--host 127.0.0.1]
                             [--layout LAYOUT.yaml]
    python build_pdf.py import {text,nitf,docx} FILE… -o PAGE_DIR [--paper … --date … --page …]

A directory holding edition.yaml is an edition: each page is built to its own
PDF in OUT_DIR (default build/NAME/), then edition.pdf with bookmarks and
page labels (with --alto, also each page's ALTO and the issue's METS,
edition.mets.xml), through a build cache in OUT_DIR/.cache.

Exit status: 0 built; 1 the content cannot be typeset as asked (the message
names the file, field and fix); 2 wrong usage; 3 this machine lacks something
every build needs (fonts, fontconfig, the HarfBuzz subsetter: run ./setup.sh);
130 stopped by Ctrl-C (nothing written).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from layout.errors import shown  # the standard library only: safe before the re-run in .venv

ROOT = Path(__file__).resolve().parent
SEED_PAGE = ROOT / "source" / "baotou-daily-2024-03-26-p5"
SETUP_FAILED = 3  # exit status: the machine, not the content, needs fixing
INTERRUPTED = 130  # exit status after Ctrl-C, as a shell reports SIGINT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build_pdf.py", description="Typeset a Chinese newspaper page to PDF."
    )
    parser.add_argument(
        "page",
        nargs="?",
        type=Path,
        default=SEED_PAGE,
        help="page or edition directory (default: the seed page)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="PDF to write, or an edition's output directory (default: under build/)",
    )
    parser.add_argument("--png", type=Path, help="also write a PNG preview of the page")
    _alto_argument(parser)
    parser.add_argument(
        "--proof",
        action="store_true",
        help="PNG proofs (an edition: of every page, and a contact sheet)",
    )
    _output_arguments(parser)
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="an edition: pages built at once (default: one per core)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="an edition: rebuild every page, cached or not"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    parser.add_argument(
        "--watch", action="store_true", help="rebuild whenever a source or style file is saved"
    )
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
    parser.add_argument(
        "--dpi", type=_within(10, 600), default=100, help="resolution of the PNG preview"
    )
    return parser


def _within(low: float, high: float, kind: type = int) -> Callable[[str], float]:
    """An argparse type: a number of `kind` from `low` to `high` (never nan or inf)."""

    def number(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is not from {low:g} to {high:g}")
        return value

    return number


def _output_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags that say which PDF to make: the same for a page, an edition, batch and serve."""
    variant = parser.add_mutually_exclusive_group()
    variant.add_argument("--pdfa", action="store_true", help="write archival PDF/A-3b")
    variant.add_argument(
        "--pdfx",
        nargs="?",
        const="x-4",
        choices=("x-4", "x-1a"),
        help="write the print plant's PDF/X in CMYK with bleed and marks (default x-4)",
    )
    parser.add_argument(
        "--preflight",
        action="store_true",
        help="check fonts, colours, image resolution, ink, text size, rules as a plant does"
        " (always with --pdfx)",
    )
    parser.add_argument(
        "--time-limit",
        type=_within(0.01, 86400, float),
        default=120.0,
        metavar="SECONDS",
        help="give up on a page that takes longer (default: 120)",
    )


def _output_options(args: argparse.Namespace):
    from layout.options import OutputOptions  # noqa: PLC0415 (keep --help fast)

    return OutputOptions.from_flags(
        pdfa=args.pdfa, pdfx=args.pdfx, preflight=args.preflight, time_limit=args.time_limit
    )


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


def _alto_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--alto",
        action="store_true",
        help="also write each page's text and line positions as ALTO 4.4, beside its PDF"
        " (X.pdf: X.alto.xml), and for an edition its METS (edition.mets.xml), for library"
        " archives",
    )


def _batch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build_pdf.py batch",
        description="Build every page under ROOT on a Dask cluster, through the build cache.",
    )
    parser.add_argument("root", type=Path, help="directory searched for page directories")
    parser.add_argument("-o", "--output", type=Path, required=True, help="output directory")
    parser.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="an existing Dask scheduler, it and its workers started from an environment"
        " with the project installed (./setup.sh; no shared disk needed)"
        " (default: a local cluster of worker processes)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes of the local cluster (default: one per core)",
    )
    _output_arguments(parser)
    _alto_argument(parser)
    parser.add_argument("--no-cache", action="store_true", help="rebuild pages already built")
    parser.add_argument("--report", type=Path, metavar="REPORT.json", help="write what was built")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    return parser


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build_pdf.py serve", description="Live proof of a page or an edition."
    )
    parser.add_argument("directory", type=Path, help="page or edition directory")
    parser.add_argument("--port", type=_within(1, 65535), default=8000)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: this machine only)"
    )
    parser.add_argument(
        "--layout",
        type=Path,
        metavar="LAYOUT.yaml",
        help="the layout file the make-up writes and builds with (default: makeup.yaml beside "
        "page.yaml)",
    )
    _output_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        from layout.errors import SetupError  # noqa: PLC0415 (after the re-run in .venv)

        try:
            return _dispatch(argv)
        except SetupError as error:
            print(f"build_pdf: this machine cannot build pages:\n{error}", file=sys.stderr)
            return SETUP_FAILED
    except KeyboardInterrupt:  # every output is written atomically: nothing partial is left
        return INTERRUPTED


def _dispatch(argv: list[str]) -> int:
    """Parse and check the arguments, then hand them to what runs the command (layout.cli)."""
    from layout import cli  # noqa: PLC0415 (after the re-run in .venv)

    command = argv[:1]
    if command == ["import"]:
        return cli.run_import(_import_parser().parse_args(argv[1:]))
    if command == ["batch"]:
        parser = _batch_parser()
        args = parser.parse_args(argv[1:])
        return cli.run_batch(args, _output_options(args), parser.error)
    if command == ["serve"]:
        parser = _serve_parser()
        args = parser.parse_args(argv[1:])
        if not any((args.directory / name).is_file() for name in ("page.yaml", "edition.yaml")):
            parser.error(f"{shown(args.directory)} is not a page or edition directory")
        return cli.run_serve(args, _output_options(args))
    parser = _parser()
    args = parser.parse_args(argv)
    edition = (args.page / "edition.yaml").is_file()
    if edition and (args.layout or args.layout_out or args.png):
        parser.error("--layout, --layout-out and --png are for a single page")
    if refusal := cli.refusal(args, edition=edition):
        parser.error(refusal)
    options = _output_options(args)
    run = cli.run_edition if edition else cli.run_page
    if not args.watch:
        return run(args, options)
    return cli.run_watch(args, lambda: run(args, options))


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
