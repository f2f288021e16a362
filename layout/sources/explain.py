"""Validation errors as problems: each located at its line, in the author's terms, with a fix."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from ..errors import Problem, SourceError
from .located import Yaml, describe, dotted, parse_yaml, read_text
from .models import PULLQUOTE_FIX, Source

T = TypeVar("T")
S = TypeVar("S", bound=Source)


_MESSAGES = {
    "missing": "required field is missing",
    "string_type": "expected text, got {got}",
    "string_too_short": "must not be empty",
    "string_too_long": "has {length:,} characters; at most {max_length:,} can be set",
    "int_type": "expected a whole number, got {got}",
    "greater_than_equal": "must be {ge} or more, got {got}",
    "list_type": "expected a list, got {got}",
    "too_short": "must list at least one entry",
    "too_long": "lists {actual_length} entries; a page holds at most {max_length}",
    "literal_error": "must be {expected}, got {got}",
    "string_pattern_mismatch": "is not in the expected form: got {got}",
    "model_type": "expected `key: value` fields, got {got}",
}
# Fixes that depend on the error, not on the field: they win over the field's hint.
_FIXES = {
    "string_too_long": "shorten `{field}` to at most {max_length:,} characters",
    "unprintable": "{fix}",
    "pullquote_too_long": PULLQUOTE_FIX,
}
_TYPE_HINTS = {
    "string_type": "write it as text; put it in quotes if it looks like a number, date or yes/no",
    "list_type": "write a list: `[a, b]`, or one `- item` per line",
    "model_type": "write `key: value` lines, indented under the field they belong to",
}


def validate(model: type[S], doc: Yaml, problems: list[Problem]) -> S | None:
    """`doc` as `model`, or None with every error added to `problems`, not just the first."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(_explain(error, doc, model) for error in exc.errors())
        return None


def _explain(error: ErrorDetails, doc: Yaml, model: type[Source]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = list(_model_at(model, loc[:-1]).model_fields)
        return doc.problem(f"unknown field `{loc[-1]}`", loc, suggest(str(loc[-1]), allowed))
    if kind == "invalid_key":
        return _invalid_key(error, doc)
    context = {
        **error.get("ctx", {}),
        "got": describe(error["input"]),
        "length": len(error["input"].strip()) if isinstance(error["input"], str) else 0,
        "field": dotted(loc),
    }
    template = _MESSAGES.get(kind)
    message = template.format(**context) if template else error["msg"]
    pattern = re.sub(r"\[\d+\]", "[]", dotted(loc))
    fix = _FIXES[kind].format(**context) if kind in _FIXES else None
    return doc.problem(message, loc, fix or model.hints.get(pattern) or _TYPE_HINTS.get(kind))


def _invalid_key(error: ErrorDetails, doc: Yaml) -> Problem:
    """A key YAML did not read as text (`~:`, `1:`), named and located as the author wrote it."""
    loc = tuple(error["loc"])[:-1]
    key = doc.key(loc, error["input"])
    if key is None:  # not found: say where the mapping is
        return doc.problem(f"field names must be text, got {describe(error['input'])}", loc)
    return Problem(
        f"`{key.value}` is not a field name: YAML reads it as {describe(error['input'])}",
        doc.file,
        key.start_mark.line + doc.first_line,
        dotted((*loc, key.value)),
        "write the field's name as text; put it in quotes if it looks like a number or yes/no",
    )


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel]:
    """The nested model that validates the mapping at `loc` (list indices skipped)."""
    for part in loc:
        if isinstance(part, str):
            model = _nested_model(model.model_fields[part].annotation) or model
    return model


def _nested_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None


def suggest(name: str, allowed: list[str]) -> str:
    """The allowed name a typo most likely meant, else all of them: a fix, not just a refusal."""
    close = difflib.get_close_matches(name, allowed, n=1)
    if close:
        return f"did you mean `{close[0]}`?"
    return "remove it; the fields allowed here are " + ", ".join(f"`{a}`" for a in allowed)


def valid_items(data: object, key: str, adapter: TypeAdapter[T]) -> Iterator[tuple[int, T]]:
    """The well-formed entries of a list field; the malformed ones are reported by validation."""
    items = data.get(key) if isinstance(data, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        try:
            value = adapter.validate_python(item, strict=True)
        except ValidationError:
            continue
        yield index, value


def in_reading_order(problems: list[Problem]) -> list[Problem]:
    """Files in the order first met, lines ascending: the order an author fixes them in."""
    rank: dict[Path | None, int] = {}
    for problem in problems:
        rank.setdefault(problem.file, len(rank))
    return sorted(problems, key=lambda p: (rank[p.file], p.line or 0))


def read_model(path: Path, model: type[S], missing: Problem) -> tuple[Yaml, S]:
    """A YAML file validated as `model`, or SourceError with every problem (`missing` if absent)."""
    problems: list[Problem] = []
    text = read_text(path, problems) if path.is_file() else None
    if text is None:
        raise SourceError(problems or [missing])
    doc = parse_yaml(text, path, 1, problems)
    source = validate(model, doc, problems) if doc else None
    if source is None or doc is None:  # no document, no source
        raise SourceError(in_reading_order(problems))
    return doc, source
