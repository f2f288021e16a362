"""Font roles: resolve them on this machine, measure with them, check coverage.

Line breaking happens in Python (see `linebreak.py`), so widths must come
from the very font files Pango will draw with: we ask fontconfig for each
family, load the file with HarfBuzz and shape with the same features the CSS
asks for.  A role is a chain of families; like Pango, a character the first
family lacks is taken from the next one.
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb
import yaml

from .. import PROJECT
from ..errors import FontError, Problem, SetupError
from .emoji import drawn_as_emoji

ROLES_FILE = PROJECT / "fonts" / "roles.yaml"

# Features the stylesheet turns off (font-kerning: none; font-variant-ligatures:
# none), so that a run's width is the same however the renderer splits it.
BASE_FEATURES = {"kern": False, "liga": False, "clig": False}


@dataclass(frozen=True)
class Face:
    family: str
    file: Path
    index: int


@dataclass(frozen=True)
class Role:
    name: str
    weight: int
    faces: tuple[Face, ...]

    @property
    def css_families(self) -> str:
        return ", ".join(f'"{face.family}"' for face in self.faces)


def _fontconfig_weight(css_weight: int) -> int:
    return 200 if css_weight >= 600 else 80


def _resolve_face(family: str, weight: int) -> Face:
    pattern = f"{family}:weight={_fontconfig_weight(weight)}"
    try:
        found = subprocess.run(
            ["fc-match", "--format=%{family}|%{file}|%{index}", pattern],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise SetupError(
            Problem(f"fontconfig is not usable ({error})", hint="run ./setup.sh")
        ) from error
    families, file, index = found.split("|")
    if family not in families.split(","):
        raise SetupError(
            Problem(
                f"font family {family!r} is not installed (fontconfig offers {families!r})",
                field="fonts",
                hint="run ./setup.sh, which installs Debian's CJK font packages",
            )
        )
    return Face(family, Path(file), int(index))


@functools.cache
def load_roles(roles_file: Path = ROLES_FILE) -> dict[str, Role]:
    """Every role of `fonts/roles.yaml`, resolved to installed font files."""
    config = yaml.safe_load(roles_file.read_text(encoding="utf-8"))
    return {
        name: Role(
            name,
            spec["weight"],
            tuple(_resolve_face(family, spec["weight"]) for family in spec["families"]),
        )
        for name, spec in config.items()
    }


@functools.cache
def _hb_font(face: Face) -> hb.Font:
    blob = hb.Blob.from_file_path(str(face.file))
    return hb.Font(hb.Face(blob, face.index))


@functools.cache
def _upem(face: Face) -> int:
    return _hb_font(face).face.upem


@functools.cache
def covers(face: Face, char: str) -> bool:
    return _hb_font(face).get_nominal_glyph(ord(char)) is not None


def face_for(role: Role, char: str) -> Face | None:
    """The face Pango will draw `char` with: the first of the chain that has it.

    None if no face has it, or if Pango draws it from the emoji fonts instead:
    either way it would not print in a font of the role.
    """
    if drawn_as_emoji(char):
        return None
    for face in role.faces:
        if covers(face, char):
            return face
    return None


@functools.cache
def _shape_width(face: Face, text: str, features: frozenset[str]) -> float:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    if not _has_latin_letters(text):
        # Pango shapes a run of Latin script without the page's zh language (so
        # Noto CJK's digits are 0.549 em after a Latin letter, proportional
        # elsewhere); the line breaker keeps each Latin word in its own run
        buf.language = "zh-Hans"
    hb.shape(_hb_font(face), buf, dict(BASE_FEATURES, **dict.fromkeys(features, True)))
    return sum(p.x_advance for p in buf.glyph_positions) / _upem(face)


def _has_latin_letters(text: str) -> bool:
    return any(char.isalpha() and ord(char) < 0x2E80 for char in text)


def width(role: Role, text: str, *, halt: bool = False, full_width: bool = False) -> float:
    """Advance width of `text` in em, as Pango will set it in `role`.

    Text is split where the face changes, as Pango itemises it.  `halt` sets
    punctuation half-width and `full_width` (OpenType `fwid`) gives `——` its
    Chinese two-em form: the same features the stylesheet applies.
    """
    features = frozenset(name for name, on in (("halt", halt), ("fwid", full_width)) if on)
    total = 0.0
    run, run_face = "", None
    for char in text:
        face = face_for(role, char) or role.faces[0]
        if face != run_face and run:
            total += _shape_width(run_face, run, features)
            run = ""
        run, run_face = run + char, face
    if run:
        total += _shape_width(run_face, run, features)
    return total


def missing_characters(role: Role, text: str) -> list[str]:
    """Characters of `text` no face of the role will draw: tofu, or an emoji font's glyph."""
    return sorted({c for c in text if not c.isspace() and face_for(role, c) is None})


def check_coverage(items: Iterable[tuple[Role, str, Problem]]) -> None:
    """Raise one FontError listing every character no font of its role has.

    Each item is (role, text, where): `where` locates the text in the sources.
    """
    problems = []
    for role, text, where in items:
        families = ", ".join(f.family for f in role.faces)
        for char in missing_characters(role, text):
            name = f"character {char!r} (U+{ord(char):04X})"
            if drawn_as_emoji(char):
                message = (
                    f"{name} is an emoji: Pango draws it in whatever emoji font the machine "
                    f"has, not as the {role.name!r} role says ({families})"
                )
                hint = "replace the character: fonts/roles.yaml cannot choose its font"
            else:
                message = f"{name} is in no font of the {role.name!r} role ({families})"
                hint = "replace the character, or add a font that has it to fonts/roles.yaml"
            problems.append(Problem(message, where.file, where.line, where.field, hint))
    if problems:
        raise FontError(problems)


def require_fast_subsetting() -> None:
    """Refuse to run WeasyPrint's fontTools fallback, ~40x slower on CJK fonts."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset  # noqa: PLC0415 (heavy import)

    if harfbuzz_subset is None or not harfbuzz.hb_version_atleast(4, 1, 0):
        raise SetupError(
            Problem(
                "WeasyPrint cannot find libharfbuzz-subset (>= 4.1) and would subset the "
                "CJK fonts with fontTools, taking seconds per page",
                hint="run ./setup.sh, or: apt-get install libharfbuzz-subset0",
            )
        )
