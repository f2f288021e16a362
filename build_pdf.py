#!/usr/bin/env python3
"""Build a newspaper page PDF from a page directory (page.yaml + articles).

    python build_pdf.py                      # the bundled seed page, into build/
                                             # (re-runs itself in .venv made by ./setup.sh)
    python build_pdf.py PAGE_DIR [-o OUT.pdf] [--png PREVIEW.png]
                             [--layout-out LAYOUT.yaml] [--layout LAYOUT.yaml]
                             [--report REPORT.json] [--pdfa | --pdfx [x-4|x-1a]]
                             [--preflight] [--watch]
    python build_pdf.py EDITION_DIR [-o OUT_DIR] [-j N] [--no-cache] [--proof]
                             [--report REPORT.json] [--pdfa | --pdfx [x-4|x-1a]]
                             [--preflight] [--quiet] [--watch]
    python build_pdf.py batch ROOT -o OUT_DIR [--scheduler tcp://HOST:PORT]
    python build_pdf.py serve PAGE_OR_EDITION_DIR [--port 8000] [--host 127.0.0.1]
    python build_pdf.py import {text,nitf,docx} FILE… -o PAGE_DIR [--paper … --date … --page …]

A directory holding edition.yaml is an edition: each page is built to its own
PDF in OUT_DIR (default build/NAME/), then edition.pdf with bookmarks and
page labels, through a build cache in OUT_DIR/.cache.

Exit status: 0 built; 1 the content cannot be typeset as asked (the message
names the file, field and fix); 2 wrong usage; 3 this machine lacks something
every build needs (fonts, fontconfig, the HarfBuzz subsetter: run ./setup.sh);
130 stopped by Ctrl-C (nothing written).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from layout.errors import shown  # the standard library only: safe before the re-run in .venv

if TYPE_CHECKING:
    from layout.production.page_job import PageOutcome

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
        help="an existing Dask scheduler (default: a local cluster of worker processes)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes of the local cluster (default: one per core)",
    )
    _output_arguments(parser)
    parser.add_argument("--no-cache", action="store_true", help="rebuild pages already built")
    parser.add_argument("--report", type=Path, metavar="REPORT.json", help="write what was built")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    return parser


def batch_main(argv: list[str]) -> int:
    """`batch ROOT -o OUT`: every page under ROOT; exit 1 if any failed (after one retry)."""
    parser = _batch_parser()
    args = parser.parse_args(argv)
    from layout.output.paths import directory_refusal, file_refusal  # noqa: PLC0415
    from layout.output.write import write_atomically  # noqa: PLC0415
    from layout.production import report as build_report  # noqa: PLC0415
    from layout.production.batch import batch_jobs, connect, find_pages, run_batch  # noqa: PLC0415
    from layout.production.progress import Progress  # noqa: PLC0415

    started = time.monotonic()
    pages = find_pages(args.root, skip=args.output)
    if not pages:
        print(f"build_pdf: no page directories (with page.yaml) under {args.root}", file=sys.stderr)
        return 1
    refusal = directory_refusal("-o", args.output, pages)
    if refusal := refusal or file_refusal({"--report": args.report}, (), pages):
        parser.error(refusal)
    output = _output_options(args)
    jobs = batch_jobs(args.root, pages, args.output, output=output, cache=not args.no_cache)
    progress = Progress(len(jobs), sys.stderr, quiet=args.quiet)
    with connect(args.scheduler, args.workers) as client:
        outcomes = run_batch(jobs, client, on_page=progress.page_done)
    progress.close()
    if args.report:
        write_atomically(args.report, build_report.report_bytes([o.entry for o in outcomes]))
    return 1 if _tell(outcomes, started) else 0


def _tell(outcomes: list[PageOutcome], started: float) -> bool:
    """Print each failed page's problems and a tally of the pages; True if any failed."""
    for outcome in outcomes:
        if outcome.status == "failed":
            print(f"build_pdf: cannot build {shown(outcome.directory)}:", file=sys.stderr)
            print(outcome.error, file=sys.stderr)
        for warning in outcome.entry.get("warnings", []):
            print(f"{shown(outcome.directory)}: {warning['text']}")
    counts = Counter(outcome.status for outcome in outcomes)
    tally = ", ".join(f"{counts[s]} {s}" for s in ("built", "cached", "failed") if counts[s])
    print(f"{len(outcomes)} pages ({tally}) in {time.monotonic() - started:.1f} s")
    return bool(counts["failed"])


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build_pdf.py serve", description="Live proof of a page or an edition."
    )
    parser.add_argument("directory", type=Path, help="page or edition directory")
    parser.add_argument("--port", type=_within(1, 65535), default=8000)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: this machine only)"
    )
    _output_arguments(parser)
    return parser


def serve_main(argv: list[str]) -> int:
    """`serve DIR`: a live proof in the browser, rebuilt on every save, until Ctrl-C."""
    parser = _serve_parser()
    args = parser.parse_args(argv)
    if not any((args.directory / name).is_file() for name in ("page.yaml", "edition.yaml")):
        parser.error(f"{shown(args.directory)} is not a page or edition directory")
    import uvicorn  # noqa: PLC0415

    from layout.errors import LayoutError  # noqa: PLC0415
    from layout.live.serve import create_app  # noqa: PLC0415

    try:
        app = create_app(args.directory, output=_output_options(args), host=args.host)
    except LayoutError as error:
        print(f"build_pdf: cannot serve {shown(args.directory)}:\n{error}", file=sys.stderr)
        return 1
    where = f"http://{args.host}:{args.port}/"
    print(f"live proof of {shown(args.directory)} at {where}", file=sys.stderr)

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            app.state.end_streams()  # each open browser holds an event stream
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning")
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once it has stopped
        Server(config).run()
    return 0


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
    if argv[:1] == ["serve"]:
        return serve_main(argv[1:])
    if argv[:1] == ["import"]:
        return import_main(argv[1:])
    if argv[:1] == ["batch"]:
        return batch_main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    edition = (args.page / "edition.yaml").is_file()
    if edition and (args.layout or args.layout_out or args.png):
        parser.error("--layout, --layout-out and --png are for a single page")
    if refusal := _refusal(args, edition=edition):
        parser.error(refusal)
    run = edition_main if edition else page_main
    if not args.watch:
        return run(args)
    return watch_main(args, run)


def watch_main(args: argparse.Namespace, run: Callable[[argparse.Namespace], int]) -> int:
    """Build, then build again after every save of a source or style file, until Ctrl-C."""
    from layout.errors import LayoutError  # noqa: PLC0415
    from layout.production.watch import watch  # noqa: PLC0415
    from layout.render.html_to_pdf import STYLES  # noqa: PLC0415
    from layout.sources.edition import page_directories  # noqa: PLC0415

    run(args)
    paths = [args.page, STYLES]
    with contextlib.suppress(LayoutError):  # a broken edition.yaml is watched for its fix
        paths += page_directories(args.page)
    outputs = [p for p in (args.output, args.png, args.report, args.layout_out) if p]
    print(f"watching {args.page} and the styles; Ctrl-C stops", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        watch(paths, lambda changed: run(args), ignore=tuple(outputs))
    return 0


def _page_outputs(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """A page's PDF (by default under build/) and PNG preview (with --png or --proof)."""
    output = args.output or ROOT / "build" / f"{args.page.resolve().name}.pdf"
    return output, args.png or (output.with_suffix(".png") if args.proof else None)


def _edition_output(args: argparse.Namespace) -> Path:
    return args.output or ROOT / "build" / args.page.resolve().name


def _refusal(args: argparse.Namespace, *, edition: bool) -> str | None:
    """Why the outputs asked for cannot be written, said before any build; or None."""
    from layout.output import paths  # noqa: PLC0415

    if edition:
        return paths.edition_refusal(args.page, _edition_output(args), args.report)
    output, png = _page_outputs(args)
    named = {"-o": output, "--png": png, "--layout-out": args.layout_out, "--report": args.report}
    return paths.file_refusal(named, paths.page_sources(args.page, args.layout))


def page_main(args: argparse.Namespace) -> int:
    """Build one page; print where it went and what the check measured."""
    from layout.errors import LayoutError  # noqa: PLC0415
    from layout.output.write import write_atomically  # noqa: PLC0415
    from layout.pipeline import build  # noqa: PLC0415
    from layout.production import report as build_report  # noqa: PLC0415 (keep --help fast)

    output, png = _page_outputs(args)
    try:
        result = build(
            args.page,
            output,
            options=_output_options(args),
            layout_in=args.layout,
            layout_out=args.layout_out,
            png=png,
            dpi=args.dpi,
        )
    except LayoutError as error:
        print(f"build_pdf: cannot build {shown(args.page)}:\n{error}", file=sys.stderr)
        entry = build_report.failed_entry(args.page, error)
        written = []
    else:
        written = [p for p in (output, png, args.layout_out) if p is not None]
        entry = build_report.built_entry(args.page, result, written)
    if args.report:
        write_atomically(args.report, build_report.report_bytes([entry]))
    if not written:
        return 1
    total = sum(result.timings.values())
    stages = ", ".join(f"{k} {v:.2f}" for k, v in result.timings.items())
    grid = result.layout.grid
    print(f"wrote {shown(output)} in {total:.2f} s ({stages})")
    print(
        f"grid: {grid.format.name}, {grid.columns} columns "
        f"of {grid.chars} characters of {grid.em:g} pt"
    )
    print(f"check: {result.report.summary()}")
    if result.preflight is not None:
        print(result.preflight.summary())
    for warning in result.warnings:
        print(warning)
    if not args.quiet:
        print("typography, measured from the PDF:")
        print(result.report.table())
    return 0


def edition_main(args: argparse.Namespace) -> int:
    """Build an edition's pages in parallel, then the edition PDF; exit 1 if any page failed."""
    from layout.errors import LayoutError  # noqa: PLC0415
    from layout.output.write import write_atomically  # noqa: PLC0415
    from layout.production import edition as editions  # noqa: PLC0415
    from layout.production import report as build_report  # noqa: PLC0415
    from layout.production.progress import Progress  # noqa: PLC0415
    from layout.sources.edition import load_edition  # noqa: PLC0415

    started = time.monotonic()
    out = _edition_output(args)
    try:
        edition = load_edition(args.page)
    except LayoutError as error:
        print(f"build_pdf: cannot build the edition {shown(args.page)}:\n{error}", file=sys.stderr)
        editions.discard_edition_pdf(out)
        if args.report:
            entry = build_report.failed_entry(args.page, error)
            write_atomically(args.report, build_report.report_bytes([entry]))
        return 1
    options = editions.EditionOptions(
        jobs=max(1, args.jobs),
        cache=not args.no_cache,
        proof=args.proof,
        output=_output_options(args),
    )
    progress = Progress(len(edition.pages), sys.stderr, quiet=args.quiet)
    result = editions.build_edition(edition, out, options, on_page=progress.page_done)
    progress.close()
    if args.report:
        written = [p for p in (result.pdf, result.contact_sheet) if p is not None]
        summary: dict[str, object] = {"status": "failed" if result.failed else "built"}
        summary["outputs"] = build_report.outputs_of(written)
        entries = [outcome.entry for outcome in result.outcomes]
        write_atomically(args.report, build_report.report_bytes(entries, summary))
    failed = _tell(list(result.outcomes), started)
    for made in (result.pdf, result.contact_sheet):
        if made is not None:
            print(f"wrote {shown(made)}")
    return 1 if failed else 0


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
