"""The structured fuzzer (tests/fuzz.py): a short fixed run in CI, ten minutes with --fuzz."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.fuzz import changes, check_example

pytestmark = pytest.mark.slow  # builds a page per example

SHORT_EXAMPLES = 25
LONG_SECONDS = 600.0
ROUND_EXAMPLES = 40


def _fuzz(tmp_path, tally: Counter, examples: int, derandomize: bool) -> None:
    @settings(
        max_examples=examples,
        derandomize=derandomize,
        # A long run reports a failing example as found: shrinking rebuilds it many times.
        phases=(Phase.explicit, Phase.generate) if not derandomize else tuple(Phase),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(change=changes)
    def example(change):
        check_example(change, tmp_path / "example", tally)
        tally["examples"] += 1

    example()


def test_hostile_pages_keep_every_promise(tmp_path, request, capsys):
    tally: Counter = Counter()
    if request.config.getoption("--fuzz"):
        stop = time.monotonic() + LONG_SECONDS
        while time.monotonic() < stop:
            _fuzz(tmp_path, tally, ROUND_EXAMPLES, derandomize=False)
            with capsys.disabled():
                print(f"\nfuzz so far: {dict(sorted(tally.items()))}", flush=True)
    else:
        _fuzz(tmp_path, tally, SHORT_EXAMPLES, derandomize=True)
    with capsys.disabled():
        print(f"\nfuzz: {dict(sorted(tally.items()))}")
    assert tally["examples"] >= SHORT_EXAMPLES
