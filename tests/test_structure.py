"""The shape of `layout/` that ARCHITECTURE.md promises: small modules, subsystems as packages,
and no subsystem reaching into another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

LAYOUT = ROOT / "layout"
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 200
MAX_TOP_LEVEL_MODULES = 8
# What ARCHITECTURE.md draws; a new subsystem is added there and here together.
SUBSYSTEMS = {
    "model",
    "sources",
    "typeset",
    "compose",
    "render",
    "verify",
    "output",
    "production",
    "live",
    "ingest",
}


def modules(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / "layout").rglob("*.py") if "__pycache__" not in p.parts)


def dotted(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def subsystem(name: str) -> str:
    """`layout.compose.sizes` → compose; a top-level module (`layout.errors`) is its own."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imports(path: Path, root: Path = ROOT) -> list[tuple[str, str, int]]:
    """(module imported from, name, line) of every `from … import name` in the file."""
    package = dotted(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            source = ".".join(base + ([node.module] if node.module else []))
            found += [(source, alias.name, node.lineno) for alias in node.names]
    return found


def reaching(root: Path = ROOT) -> list[str]:
    """Imports of another subsystem's private names (`_x`, or from a `_module`)."""
    found = []
    for path in modules(root):
        here = subsystem(dotted(path, root))
        for source, name, line in imports(path, root):
            if not source.startswith("layout.") or subsystem(source) == here:
                continue
            if name.startswith("_") or any(p.startswith("_") for p in source.split(".")):
                found.append(f"{path.relative_to(root)}:{line}: {source}.{name}")
    return found


def test_no_module_is_longer_than_the_limit():
    long = {
        str(p.relative_to(ROOT)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_class_is_longer_than_the_limit():
    long = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_CLASS_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = length
    assert long == {}


def test_layout_is_a_few_modules_beside_its_subsystems():
    top = sorted(p.name for p in LAYOUT.glob("*.py"))
    packages = {p.name for p in LAYOUT.iterdir() if (p / "__init__.py").is_file()}
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top
    assert packages == SUBSYSTEMS


def test_subsystems_use_only_each_others_public_names():
    assert reaching() == []


def test_a_private_name_taken_from_another_subsystem_is_seen(tmp_path):
    live = tmp_path / "layout" / "live"
    live.mkdir(parents=True)
    (live / "x.py").write_text(
        "from ..compose.sizes import _secret\nfrom ..compose import compose\nfrom .y import _own\n",
        encoding="utf-8",
    )
    assert reaching(tmp_path) == ["layout/live/x.py:1: layout.compose.sizes._secret"]
