"""Source files as the author wrote them: text read safely, YAML that knows its line numbers.

Every problem is reported at the line the author's editor shows, so parsing
keeps the YAML nodes next to the data they became.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml

from ..errors import Problem
from ..typeset.emoji import shown_as_picture


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


class _Loader(yaml.CSafeLoader):
    """Safe YAML that leaves dates as text: PyYAML crashes on `2024-02-30`; we explain it.

    libyaml's parser (PyYAML's C loader, with the same nodes, marks and errors) reads
    a page's YAML about ten times faster: an edition reads every page.yaml to plan it."""


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

    def key(self, loc: tuple[str | int, ...], value: object) -> yaml.ScalarNode | None:
        """The key node of the mapping at `loc` that YAML read as `value` (`~` as None, `1`…).

        Validation names such a key by its value, which is not what the author wrote.
        """
        node = self.node
        for part in loc:
            found = _child(node, part) if node is not None else None
            node = found[1] if found else None
        if not isinstance(node, yaml.MappingNode):
            return None
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and _same(_construct(key), value):
                return key
        return None


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
    except _CONSTRUCTOR_ERRORS as exc:
        # PyYAML's constructors raise these for explicit tags like `!!int abc`.
        problems.append(_unreadable(node, file, first_line) or _unlocated(exc, file, first_line))
        return None
    except RecursionError as exc:
        problems.append(_unlocated(exc, file, first_line))
        return None
    finally:
        loader.dispose()
    return Yaml(file, data, node, first_line)


# What PyYAML's constructors raise, without a line, for a tagged value they cannot make.
_CONSTRUCTOR_ERRORS = (ValueError, TypeError, AttributeError, LookupError)
_TAG_PREFIX = "tag:yaml.org,2002:"
_MERGE = _TAG_PREFIX + "merge"


def _unlocated(exc: Exception, file: Path, first_line: int) -> Problem:
    return Problem(
        f"a value cannot be read ({exc})",
        file,
        first_line,
        hint="remove any `!!` tags and write values plainly",
    )


def _unreadable(root: yaml.Node | None, file: Path, first_line: int) -> Problem | None:
    """The first scalar, in the order written, that its tag cannot make a value of.

    PyYAML's error for it has no line; finding the node gives the author one.
    """
    stack: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(root, ())] if root else []
    seen: set[int] = set()
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:  # aliases share nodes
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                stack += [(value, (*loc, name)), (key, loc)]
        elif isinstance(node, yaml.SequenceNode):
            items = list(enumerate(node.value))
            stack += [(item, (*loc, index)) for index, item in reversed(items)]
        elif node.tag != _MERGE and _construct(node) is _UNREADABLE:  # `<<` is no value
            tag = node.tag.replace(_TAG_PREFIX, "!!")
            return Problem(
                f"{node.value!r} cannot be read as `{tag}`",
                file,
                node.start_mark.line + first_line,
                dotted(loc) or None,
                f"remove the `{tag}` tag and write the value plainly",
            )
    return None


_UNREADABLE = object()


def _construct(node: yaml.Node) -> object:
    """The value YAML makes of one node, or `_UNREADABLE`."""
    loader = _Loader("")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, *_CONSTRUCTOR_ERRORS, RecursionError):
        return _UNREADABLE
    finally:
        loader.dispose()


def _same(a: object, b: object) -> bool:
    """Equal and of one type: a key `1` is not the key `true`."""
    return type(a) is type(b) and a == b


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
            text.encode()[: exc.position].count(b"\n") + first_line,  # libyaml counts bytes
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


# --- Characters the paper cannot print.

_INVISIBLE = "delete it: it is invisible, and often comes with copy and paste"


def refused_characters(text: str) -> list[tuple[int, str, str]]:
    """(index, message, fix) of the first use of each character the paper cannot print.

    Combining marks, variation selectors, emoji and control characters fail the
    print check late, or nameless; refused at the source, each is named where it is.
    """
    found = []
    for char in set(text):  # a few thousand distinct characters even in a long article
        if _refused(char):
            index = text.index(char)
            found.append((index, *_why(text, index)))
    return sorted(found)


def unprintable(text: str, file: Path, first_line: int, field: str) -> list[Problem]:
    """`refused_characters` of a text that starts at `first_line`, each at its own line."""
    return [
        Problem(message, file, first_line + text.count("\n", 0, index), field, fix)
        for index, message, fix in refused_characters(text)
    ]


def _refused(char: str) -> bool:
    code = ord(char)
    if char in "\t\n":
        return False
    if unicodedata.category(char) in ("Cc", "Mn", "Me") or code == 0x200D:
        return True  # variation selectors are Mn
    return shown_as_picture(char)  # symbols shown as text (☎ ★ ✔) are the font check's


def _why(text: str, index: int) -> tuple[str, str]:
    """Message naming the character at `index`, and the fix."""
    char = text[index]
    name = f"U+{ord(char):04X} {unicodedata.name(char, '<control>')}"
    category = unicodedata.category(char)
    if category == "Cc":
        return f"{name} is a control character, which cannot be printed", _INVISIBLE
    if char == "\u200d":
        return f"{name} joins emoji into one picture; the paper prints no emoji", _INVISIBLE
    if "VARIATION SELECTOR" in name:
        return f"{name} asks for an emoji or a variant glyph, which the paper has not", _INVISIBLE
    if category in ("Mn", "Me"):
        return f"{name} is a combining mark, which cannot be printed", _combined(text, index)
    return f"{name} is an emoji; the paper prints none", "write it in words, or delete it"


def _combined(text: str, index: int) -> str:
    """The fix for a combining mark: the one character it makes with the one before, if any."""
    whole = unicodedata.normalize("NFC", text[max(index - 1, 0) : index + 1])
    if index and len(whole) == 1:
        return f"write `{whole}` as one character, U+{ord(whole):04X} {unicodedata.name(whole)}"
    return "delete it, or write the letter and its accent as one character"
