"""Source files as the author wrote them: text read safely, YAML that knows its line numbers.

Every problem is reported at the line the author's editor shows, so parsing
keeps the YAML nodes next to the data they became.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import Problem


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """Text of a UTF-8 file (a BOM is fine), or None with the reason added to `problems`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(f"cannot read the file: {exc.strerror}", path))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                "the file is not UTF-8 text",
                path,
                data[: exc.start].count(b"\n") + 1,
                hint="save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)",
            )
        )
        return None


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: PyYAML crashes on `2024-02-30`; we explain it."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Yaml:
    """Parsed YAML that remembers where each field was written, to locate problems."""

    def __init__(self, file: Path, data: object, node: yaml.Node | None, first_line: int) -> None:
        self.file = file
        self.data = data
        self.node = node
        self.first_line = first_line  # line in `file` of the YAML text's first line

    def line(self, loc: tuple[str | int, ...]) -> int:
        """Line of the deepest key or item of `loc` present (the enclosing one if missing)."""
        node = self.node
        if node is None:
            return self.first_line
        line = node.start_mark.line
        for part in loc:
            found = _child(node, part)
            if found is None:
                break
            marker, node = found
            line = marker.start_mark.line
        return line + self.first_line

    def problem(
        self, message: str, loc: tuple[str | int, ...] = (), hint: str | None = None
    ) -> Problem:
        return Problem(message, self.file, self.line(loc), dotted(loc) or None, hint)


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """(node marking the line, value node) for a key or index; the last key wins, as in YAML."""
    if isinstance(node, yaml.MappingNode):
        found = None
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                found = key, value
        return found
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part], node.value[part]
    return None


def dotted(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def parse_yaml(text: str, file: Path, first_line: int, problems: list[Problem]) -> Yaml | None:
    try:
        loader = _Loader(text)  # checks for control characters already
    except yaml.YAMLError as exc:
        problems.append(_yaml_error(exc, text, file, first_line))
        return None
    try:
        node = loader.get_single_node()
        if node is not None:
            problems.extend(_duplicate_keys(node, (), file, first_line, set()))
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        problems.append(_yaml_error(exc, text, file, first_line))
        return None
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        # PyYAML's constructors raise these for explicit tags like `!!int abc`.
        problems.append(
            Problem(
                f"a value cannot be read ({exc})",
                file,
                first_line,
                hint="remove any `!!` tags and write values plainly",
            )
        )
        return None
    finally:
        loader.dispose()
    return Yaml(file, data, node, first_line)


def _yaml_error(exc: yaml.YAMLError, text: str, file: Path, first_line: int) -> Problem:
    hint = (
        "indent with spaces, not tabs, and put text in quotes if it contains `: ` or ` #`"
        " or starts with [ { * & ! | > % @ or a quote"
    )
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        message = f"YAML syntax error: {getattr(exc, 'problem', exc)}"
        return Problem(message, file, mark.line + first_line, hint=hint)
    if isinstance(exc, yaml.reader.ReaderError):
        return Problem(
            f"the character U+{exc.character:04X} is not allowed here",
            file,
            text.count("\n", 0, exc.position) + first_line,
            hint="delete the invisible control character (it often comes with copy and paste)",
        )
    return Problem(f"YAML syntax error: {exc}", file, first_line, hint=hint)


def _duplicate_keys(
    node: yaml.Node, loc: tuple[str | int, ...], file: Path, first_line: int, seen: set[int]
) -> list[Problem]:
    """YAML silently keeps the last of two equal keys; that loses text, so report it."""
    if id(node) in seen:  # aliases may make the node graph cyclic
        return []
    seen.add(id(node))
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name in first:
                problems.append(
                    Problem(
                        f"`{name}` is given twice (first on line {first[name]})",
                        file,
                        key.start_mark.line + first_line,
                        dotted((*loc, name)),
                        "keep one of them; YAML would silently drop the first",
                    )
                )
            elif name is not None:
                first[name] = key.start_mark.line + first_line
            problems += _duplicate_keys(value, (*loc, name or "?"), file, first_line, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_keys(item, (*loc, index), file, first_line, seen)
    return problems


_KINDS = {type(None): "nothing", list: "a list", dict: "`key: value` fields"}


def describe(value: object) -> str:
    """What YAML made of a value, in the author's terms."""
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return _KINDS.get(type(value), type(value).__name__)
