"""One output option, from every command line down to the cache key."""

from __future__ import annotations

from pathlib import Path

import pytest

import build_pdf
from layout.options import DEFAULT, PDFA, PDFX_1A, PDFX_4, SCREEN, TARGETS, OutputOptions

FLAGS = {
    (): (SCREEN, False),
    ("--pdfa",): (PDFA, False),
    ("--pdfx",): (PDFX_4, True),
    ("--pdfx", "x-1a"): (PDFX_1A, True),
    ("--preflight",): (SCREEN, True),
    ("--pdfa", "--preflight"): (PDFA, True),
}


@pytest.mark.parametrize("flags", FLAGS, ids=lambda flags: " ".join(flags) or "plain")
@pytest.mark.parametrize(
    "parser",
    [build_pdf._parser, build_pdf._batch_parser, build_pdf._serve_parser],
    ids=["page and edition", "batch", "serve"],
)
def test_every_command_reads_the_same_output_flags(parser, flags):
    positional = {build_pdf._batch_parser: ["ROOT", "-o", "OUT"], build_pdf._serve_parser: ["DIR"]}
    args = parser().parse_args([*positional.get(parser, []), *flags, "--time-limit", "30"])
    options = build_pdf._output_options(args)
    target, preflighted = FLAGS[flags]
    assert options.target == target
    assert options.preflighted is preflighted
    assert options.time_limit == 30


def test_pdfa_and_pdfx_exclude_each_other():
    with pytest.raises(SystemExit):
        build_pdf._batch_parser().parse_args(["ROOT", "-o", "OUT", "--pdfa", "--pdfx"])


def test_targets_are_one_registry_with_distinct_variants():
    assert set(TARGETS) == {"screen", "pdfa", "x-4", "x-1a"}
    variants = [t.weasyprint_variant for t in TARGETS.values() if t.weasyprint_variant]
    assert len(variants) == len(set(variants)) == 3
    assert [t.name for t in TARGETS.values() if t.printing] == ["x-4", "x-1a"]


def test_the_cache_key_changes_with_what_changes_the_bytes_only():
    keys = {
        repr(o.cache_key())
        for o in (DEFAULT, OutputOptions(PDFA), OutputOptions(PDFX_4), OutputOptions(PDFX_1A))
    }
    assert len(keys) == 4
    assert OutputOptions(preflight=True).cache_key() != DEFAULT.cache_key()
    assert OutputOptions(ink_limit=220).cache_key() != DEFAULT.cache_key()
    assert OutputOptions(time_limit=1).cache_key() == DEFAULT.cache_key()
    # a print target is preflighted whether asked or not: one key, one PDF
    assert OutputOptions(PDFX_4, preflight=True).cache_key() == OutputOptions(PDFX_4).cache_key()


def test_the_batch_jobs_carry_the_options_unchanged(tmp_path):
    from layout.production.batch import batch_jobs

    pages = [tmp_path / "a", tmp_path / "b"]
    options = OutputOptions(PDFX_1A, time_limit=7)
    jobs = batch_jobs(tmp_path, pages, Path(tmp_path / "out"), output=options, cache=True)
    assert [job.output for job in jobs] == [options, options]
