"""Good pages typeset as stored: layout, line breaks and measured figures, per case.

The expected files are under tests/golden/; `tests/golden.py` says what each
holds and how to rewrite them after a change that is meant to move the type.
"""

from __future__ import annotations

import pytest

from tests import golden


@pytest.mark.slow
@pytest.mark.parametrize("name", list(golden.CASES))
def test_a_good_page_typesets_as_stored(name, tmp_path):
    case = golden.CASES[name]
    diff = golden.differences(case, golden.compute(case, tmp_path))
    assert not diff, (
        f"{name} no longer typesets as stored in tests/golden/{name}/:\n{diff}\n"
        f"If the change is meant, run `{golden.REGENERATE} {name}` and review `git diff`."
    )
