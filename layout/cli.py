"""What the command line runs once build_pdf.py has parsed its arguments.

Each function builds a page, an edition or a batch, serves the live proof or
imports copy, prints what a person reads, and returns the exit status;
build_pdf.py only parses and checks the arguments.  WeasyPrint, Dask and
uvicorn are imported by the function that needs them, so `--help` and a
cached edition stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import PROJECT
from .errors import LayoutError, shown

if TYPE_CHECKING:
    from .model.layout import Layout
    from .options import OutputOptions
    from .production.page_job import PageOutcome


def run_import(args: argparse.Namespace) -> int:
    """`import KIND FILE… -o PAGE_DIR`: write page sources, print what could not be placed."""
    from .ingest import read_all  # noqa: PLC0415
    from .ingest.draft import write_page  # noqa: PLC0415

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


CLUSTER_UNFIT = 3  # exit status of batch on a cluster that cannot build: a SetupError's


def run_batch(
    args: argparse.Namespace, options: OutputOptions, usage_error: Callable[[str], NoReturn]
) -> int:
    """`batch ROOT -o OUT`: every page under ROOT; exit 1 if any failed (after one retry),
    3 if the cluster cannot build pages (said on one line with the fix)."""
    from .output.paths import directory_refusal, file_refusal  # noqa: PLC0415
    from .output.write import write_atomically  # noqa: PLC0415
    from .production import batch, batch_issues  # noqa: PLC0415
    from .production import report as build_report  # noqa: PLC0415
    from .production.progress import Progress  # noqa: PLC0415

    started = time.monotonic()
    pages = batch.find_pages(args.root, skip=args.output)
    if not pages:
        print(f"build_pdf: no page directories (with page.yaml) under {args.root}", file=sys.stderr)
        return 1
    refusal = directory_refusal("-o", args.output, pages)
    if refusal := refusal or file_refusal({"--report": args.report}, (), pages):
        usage_error(refusal)
    jobs = batch.batch_jobs(
        args.root, pages, args.output, output=options, cache=not args.no_cache, alto=args.alto
    )
    editions = batch_issues.find_editions(args.root, skip=args.output)
    issues = batch_issues.plan_issues(args.root, editions, jobs, args.output)
    links = tuple(link for issue in issues for link in issue.links)
    progress = Progress(len(jobs), sys.stderr, quiet=args.quiet)
    try:
        with batch.connect(args.scheduler, args.workers) as client:
            outcomes = batch.run_batch(jobs, client, links=links, on_page=progress.page_done)
    except batch.ClusterError as error:  # found before any page was sent
        print(f"build_pdf: {error}", file=sys.stderr)
        return CLUSTER_UNFIT
    progress.close()
    issues = batch_issues.write_issues(
        args.root, issues, jobs, outcomes, args.output, output=options
    )
    if args.report:
        entries = [o.entry for o in outcomes]
        listed = [issue.entry() for issue in issues] if issues else None
        write_atomically(args.report, build_report.report_bytes(entries, editions=listed))
    failed = _tell(outcomes, started)
    for issue in issues:
        if issue.error is not None:
            print(
                f"build_pdf: no edition PDF for {shown(issue.directory)}: {issue.error}",
                file=sys.stderr,
            )
    if made := [issue for issue in issues if issue.pdf is not None]:
        print(
            f"wrote the edition PDF{' and METS' if args.alto else ''} of {len(made)} of "
            f"{len(issues)} editions"
        )
    return 1 if failed or any(issue.error for issue in issues) else 0


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


def run_serve(args: argparse.Namespace, options: OutputOptions) -> int:
    """`serve DIR`: a live proof in the browser, rebuilt on every save, until Ctrl-C."""
    import uvicorn  # noqa: PLC0415

    from .live.serve import create_app  # noqa: PLC0415

    try:
        app = create_app(args.directory, output=options, host=args.host, layout_file=args.layout)
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


def run_watch(args: argparse.Namespace, run: Callable[[], int]) -> int:
    """Build, then build again after every save of a source or style file, until Ctrl-C."""
    from .output.alto import alto_path  # noqa: PLC0415
    from .output.paths import draft_path  # noqa: PLC0415
    from .production.watch import watch  # noqa: PLC0415
    from .render.html_to_pdf import STYLES  # noqa: PLC0415
    from .sources.edition import page_directories  # noqa: PLC0415

    run()
    paths = [args.page, STYLES]
    with contextlib.suppress(LayoutError):  # a broken edition.yaml is watched for its fix
        paths += page_directories(args.page)
    outputs = [p for p in (args.output, args.png, args.report, args.layout_out) if p]
    outputs += [alto_path(args.output)] if args.alto and args.output else []
    outputs += [draft_path(p) for p in (args.output, args.png) if p]
    print(f"watching {args.page} and the styles; Ctrl-C stops", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        watch(paths, lambda changed: run(), ignore=tuple(outputs))
    return 0


def page_outputs(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """A page's PDF (by default under build/) and PNG preview (with --png or --proof)."""
    output = args.output or PROJECT / "build" / f"{args.page.resolve().name}.pdf"
    return output, args.png or (output.with_suffix(".png") if args.proof else None)


def edition_output(args: argparse.Namespace) -> Path:
    return args.output or PROJECT / "build" / args.page.resolve().name


def refusal(args: argparse.Namespace, *, edition: bool) -> str | None:
    """Why the outputs asked for cannot be written, said before any build; or None."""
    from .output import paths  # noqa: PLC0415

    if edition:
        return paths.edition_refusal(args.page, edition_output(args), args.report)
    from .output.alto import alto_path  # noqa: PLC0415

    output, png = page_outputs(args)
    named = {"-o": output, "--png": png, "--layout-out": args.layout_out, "--report": args.report}
    named["--alto"] = alto_path(output) if args.alto else None
    return paths.file_refusal(paths.with_drafts(named), paths.page_sources(args.page, args.layout))


def fitting(layout: Layout) -> str:
    """The levers the composer used and the fillers it placed, as the editor reads them."""
    fillers = [m.article.file.name for m in layout.modules if m.filler]
    levers = [lever for lever in layout.levers if lever != "filler"]
    shown_fillers = [f"filler {name}" for name in fillers]
    return ", ".join(levers + shown_fillers) or "no lever (the copy fitted as set)"


def run_page(args: argparse.Namespace, options: OutputOptions) -> int:
    """Build one page; print where it went and what the check measured."""
    from .output.alto import alto_path  # noqa: PLC0415
    from .output.write import write_atomically  # noqa: PLC0415
    from .pipeline import build, drafts_written  # noqa: PLC0415 (WeasyPrint: only a build needs it)
    from .production import report as build_report  # noqa: PLC0415

    output, png = page_outputs(args)
    alto = alto_path(output) if args.alto else None
    try:
        result = build(
            args.page,
            output,
            options=options,
            layout_in=args.layout,
            layout_out=args.layout_out,
            png=png,
            dpi=args.dpi,
            alto=alto,
        )
    except LayoutError as error:
        # a page that does not fit ends its problems with the draft proof it wrote
        print(f"build_pdf: cannot build {shown(args.page)}:\n{error}", file=sys.stderr)
        entry = build_report.failed_entry(args.page, error)
        if drafts := drafts_written(error):
            entry["draft"] = build_report.outputs_of(drafts)
        written = []
    else:
        written = [p for p in (output, png, args.layout_out, alto) if p is not None]
        entry = build_report.built_entry(args.page, result, written)
    if args.report:
        write_atomically(args.report, build_report.report_bytes([entry]))
    if not written:
        return 1
    total = sum(result.timings.values())
    stages = ", ".join(f"{k} {v:.2f}" for k, v in result.timings.items())
    grid = result.layout.grid
    print(f"wrote {shown(output)} in {total:.2f} s ({stages})")
    if alto is not None:
        print(f"wrote {shown(alto)}")
    print(
        f"grid: {grid.format.name}, {grid.columns} columns "
        f"of {grid.chars} characters of {grid.em:g} pt"
    )
    print(f"check: {result.report.summary()}")
    print(f"fitted with: {fitting(result.layout)}")
    if result.preflight is not None:
        print(result.preflight.summary())
    for warning in result.warnings:
        print(warning)
    if not args.quiet:
        print("typography, measured from the PDF:")
        print(result.report.table())
    return 0


def run_edition(args: argparse.Namespace, options: OutputOptions) -> int:
    """Build an edition's pages in parallel, then the edition PDF; exit 1 if any page failed."""
    from .output.write import write_atomically  # noqa: PLC0415
    from .production import edition as editions  # noqa: PLC0415
    from .production import report as build_report  # noqa: PLC0415
    from .production.progress import Progress  # noqa: PLC0415
    from .sources.edition import load_edition  # noqa: PLC0415

    started = time.monotonic()
    out = edition_output(args)
    try:
        edition = load_edition(args.page)
    except LayoutError as error:
        print(f"build_pdf: cannot build the edition {shown(args.page)}:\n{error}", file=sys.stderr)
        editions.discard_edition_pdf(out)
        if args.report:
            entry = build_report.failed_entry(args.page, error)
            write_atomically(args.report, build_report.report_bytes([entry]))
        return 1
    settings = editions.EditionOptions(
        jobs=max(1, args.jobs),
        cache=not args.no_cache,
        proof=args.proof,
        alto=args.alto,
        output=options,
    )
    progress = Progress(len(edition.pages), sys.stderr, quiet=args.quiet)
    result = editions.build_edition(edition, out, settings, on_page=progress.page_done)
    progress.close()
    if args.report:
        written = [p for p in (result.pdf, result.mets, result.contact_sheet) if p is not None]
        summary: dict[str, object] = {"status": "failed" if result.failed else "built"}
        summary["outputs"] = build_report.outputs_of(written)
        entries = [outcome.entry for outcome in result.outcomes]
        write_atomically(args.report, build_report.report_bytes(entries, summary))
    failed = _tell(list(result.outcomes), started)
    for made in (result.pdf, result.mets, result.contact_sheet):
        if made is not None:
            print(f"wrote {shown(made)}")
    return 1 if failed else 0
