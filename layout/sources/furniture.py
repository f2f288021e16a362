"""The furniture an article's front matter asks for, held to what the page can set.

A box names one of the page's box styles, which styles/boxes.css defines
(`.box-NAME`), so a newsroom adds a style by adding its rule there; a photo
story (图片新闻) has its photo and a short text, and its headline goes under
the photo, never beside it vertically.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .. import PROJECT
from ..errors import Problem
from ..model.document import PHOTO_STORY, Block
from .located import Yaml
from .models import ArticleSource

BOX_STYLES = PROJECT / "styles" / "boxes.css"
MAX_PHOTO_STORY_CHARS = 300  # a photo story's text: a few sentences beside or under its photo


@functools.cache
def box_styles(css: Path = BOX_STYLES) -> tuple[str, ...]:
    """The box styles the page's stylesheet defines, in the order it defines them."""
    names = re.findall(r"\.box-([a-z][a-z0-9-]*)", css.read_text(encoding="utf-8"))
    return tuple(dict.fromkeys(names))


def furniture_problems(
    source: ArticleSource, doc: Yaml, blocks: tuple[Block, ...], images: int
) -> list[Problem]:
    """What is wrong with the article's furniture, each at its field."""
    problems = []
    styles = box_styles()
    if source.box is not None and source.box not in styles:
        listed = ", ".join(styles)
        problems.append(
            doc.problem(
                f"there is no box style `{source.box}`; the page's box styles are {listed}",
                ("box",),
                f"write one of {listed}, or add a `.box-{source.box}` rule to styles/boxes.css",
            )
        )
    if source.kind == PHOTO_STORY:
        if not images:
            problems.append(
                doc.problem(
                    "a photo story has its photo: it has none",
                    ("kind",),
                    "add `images: [{file: photo.jpg, caption: …}]`, or remove `kind: photo-story`",
                )
            )
        length = sum(len(block.text) for block in blocks)
        if length > MAX_PHOTO_STORY_CHARS:
            problems.append(
                doc.problem(
                    f"a photo story's text is at most {MAX_PHOTO_STORY_CHARS} characters; "
                    f"this one has {length}",
                    ("kind",),
                    "shorten the text, or set it as a story: remove `kind: photo-story`",
                )
            )
        if source.headline_vertical:
            problems.append(
                doc.problem(
                    "a photo story's headline is set under its photo, not vertically",
                    ("headline_vertical",),
                    "remove `headline_vertical: true`, or `kind: photo-story`",
                )
            )
    return problems
