"""What every importer produces, and how it becomes a page directory.

Importers (plain text, NITF, Word) differ in what they read; they all fill a
`DraftPage` and hand it to `write_page`, which writes `page.yaml` and one
Markdown file per article in the source format the build reads.  Whatever an
importer could not place goes into `notes`, never silently away.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..sources.body import escape_markdown
from ..typeset.normalise import normalise_text


@dataclass
class DraftImage:
    name: str  # file name to write next to the article
    data: bytes
    caption: str | None = None
    credit: str | None = None


@dataclass
class DraftArticle:
    headline: str
    paragraphs: list[str] = field(default_factory=list)  # Markdown: escaped text, `### x`, **b**
    kicker: str | None = None
    subhead: str | None = None
    byline: str | None = None
    images: list[DraftImage] = field(default_factory=list)


@dataclass
class DraftPage:
    articles: list[DraftArticle] = field(default_factory=list)
    paper: str | None = None
    date: datetime.date | None = None
    page: int | None = None
    section: str | None = None
    format: str | None = None  # None: written `auto`
    banner: str | None = None
    lede: list[str] = field(default_factory=list)
    credit_lines: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    designer: str | None = None
    notes: list[str] = field(default_factory=list)  # what could not be placed, and why


class _Dumper(yaml.SafeDumper):
    """YAML as an editor would write it: multi-line text as a `|` block."""


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    ),
)


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def bold_markdown(runs: Iterable[tuple[str, bool]]) -> str:
    """Runs of (text, bold) as one Markdown paragraph: adjacent bold runs share one `**…**`.

    The runs' own text is escaped, so a `**` or `###` typed in it stays text.
    Blanks stay outside the markers, which the body parser only takes when they
    hug text; a bold run of blanks alone is plain text.
    """
    merged: list[list] = []
    for text, bold in runs:
        if merged and merged[-1][1] == bold:
            merged[-1][0] += text
        elif text:
            merged.append([text, bold])
    return "".join(_marked(escape_markdown(text), bold) for text, bold in merged).strip()


def crosshead_markdown(text: str) -> str:
    """A crosshead (小标题) holding `text` literally."""
    return f"### {escape_markdown(text)}"


def _marked(text: str, bold: bool) -> str:
    core = text.strip()
    if not (bold and core):
        return text
    start = text.index(core)
    return f"{text[:start]}**{core}**{text[start + len(core) :]}"


def _clean(text: str | None) -> str | None:
    return normalise_text(text) if text else text


def page_yaml(draft: DraftPage, files: list[str]) -> str:
    """page.yaml for the draft; fields the source did not give are left for the editor, and
    the format, unless given, to the composer (`auto`)."""
    data: dict = {}
    for key in ("paper", "date", "page", "section"):
        value = getattr(draft, key)
        if value is not None:
            data[key] = value
    data["format"] = draft.format or "auto"  # the composer picks by the amount of copy
    if draft.banner:
        data["headline"] = {"title": _clean(draft.banner)}
    if draft.lede:
        data["lede"] = "\n\n".join(normalise_text(p) for p in draft.lede) + "\n"
    data["articles"] = files
    credits: dict = {}
    if draft.credit_lines:
        credits["lines"] = [normalise_text(line) for line in draft.credit_lines]
    if draft.editors:
        credits["editors"] = list(draft.editors)
    if draft.designer:
        credits["designer"] = draft.designer
    if credits:
        data["credits"] = credits
    text = _dump(data)
    missing = [key for key in ("paper", "date", "page") if key not in data]
    if missing:
        text = "".join(f"# {key}: not found in the source; fill it in\n" for key in missing) + text
    return text


def article_markdown(article: DraftArticle) -> str:
    front: dict = {"headline": _clean(article.headline)}
    for key in ("kicker", "subhead", "byline"):
        value = getattr(article, key)
        if value:
            front[key] = _clean(value)
    if article.images:
        front["images"] = [
            {
                key: value
                for key, value in (
                    ("file", image.name),
                    ("caption", _clean(image.caption)),
                    ("credit", _clean(image.credit)),
                )
                if value
            }
            for image in article.images
        ]
    head = _dump(front)
    body = "\n\n".join(normalise_text(p) for p in article.paragraphs)
    return f"---\n{head}---\n\n{body}\n"


def write_page(draft: DraftPage, directory: Path) -> list[Path]:
    """Write the draft as a page directory; the same draft always writes the same bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    files = []
    for number, article in enumerate(draft.articles, 1):
        name = f"{number:02d}.md"
        files.append(name)
        for image in article.images:
            (directory / image.name).write_bytes(image.data)
            written.append(directory / image.name)
        (directory / name).write_text(article_markdown(article), encoding="utf-8")
        written.append(directory / name)
    (directory / "page.yaml").write_text(page_yaml(draft, files), encoding="utf-8")
    written.append(directory / "page.yaml")
    return written
