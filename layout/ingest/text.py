"""Plain text extracted from a printed page (an archive's OCR or PDF text) to a draft.

Such text keeps the page's reading order but loses its structure: the banner,
lede, headlines, `——访…` subheads, bylines and credit lines are plain lines,
and paragraphs are cut wherever a column ended.  The rules here recognise
each kind of line by its shape (a Chinese page writes them in fixed forms)
and rejoin a chunk that does not end a sentence with the next one.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem, SourceError
from ..sources.body import escape_markdown
from .draft import DraftArticle, DraftPage

SENTENCE_END = re.compile(r"[。！？!?…”」』）)]$")
SUBHEAD = re.compile(r"^——")
BYLINE = re.compile(r"^(本报记者|记者|通讯员|本报通讯员)[\s　]*\S")
CREDIT_PHOTOS = re.compile(r"^本版(文图|图文|文字|图片).*(提供|摄)$")
CREDIT_EDITORS = re.compile(
    r"^(?:本版)?(?:责任)?编辑[:：]\s*(?P<editors>.*?)(?:\s*美编[:：]\s*(?P<designer>\S+))?$"
)
PAPER = re.compile(r"由(\S+?报)记者")  # 本版文图由包头日报记者…提供
HEADLINE_MAX = 40  # characters: a longer line is body text


def _chunks(text: str) -> list[tuple[int, str]]:
    """Non-blank blocks of the text with the line each starts on."""
    chunks: list[tuple[int, str]] = []
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line.strip())
        elif lines:
            chunks.append((start, "\n".join(lines)))
            lines = []
    if lines:
        chunks.append((start, "\n".join(lines)))
    return chunks


def _is_headline(chunks: list[tuple[int, str]], index: int) -> bool:
    """A short line that ends no sentence, followed by a subhead or by body text."""
    text = chunks[index][1]
    if len(text) > HEADLINE_MAX or "\n" in text or SENTENCE_END.search(text):
        return False
    following = chunks[index + 1][1] if index + 1 < len(chunks) else ""
    return bool(SUBHEAD.match(following)) or len(following) > 2 * HEADLINE_MAX


def _credit(text: str, line: int, draft: DraftPage) -> bool:
    """Take a credit line into the draft; False if `text` is not one."""
    if CREDIT_PHOTOS.match(text):
        draft.credit_lines.append(text)
        return True
    editors = CREDIT_EDITORS.match(text)
    if not editors:
        return False
    if editors.group("editors").split():
        draft.editors = editors.group("editors").split()
        draft.designer = editors.group("designer")
    else:
        draft.credit_lines.append(text)
        draft.notes.append(f"line {line}: looks like a credit but no name found; kept as written")
    return True


def read_text(path: Path) -> DraftPage:
    """Recognise the page in `path`: banner, lede, articles, credits."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(
            Problem(f"cannot be read as UTF-8 text ({error})", path, hint="save it as UTF-8")
        ) from None
    chunks = _chunks(text)
    if not chunks:
        raise SourceError(Problem("is empty", path, hint="give the text of a page"))
    draft = DraftPage()
    article: DraftArticle | None = None
    index = 0
    while index < len(chunks):
        line, chunk = chunks[index]
        if _credit(chunk, line, draft):
            pass
        elif _is_headline(chunks, index) and (draft.banner is not None or index > 0):
            article = DraftArticle(headline=chunk)
            draft.articles.append(article)
            if index + 1 < len(chunks) and SUBHEAD.match(chunks[index + 1][1]):
                article.subhead = chunks[index + 1][1]
                index += 1
        elif index == 0 and len(chunk) <= HEADLINE_MAX and not SENTENCE_END.search(chunk):
            draft.banner = chunk
        elif article is not None and BYLINE.match(chunk) and len(chunk) < HEADLINE_MAX:
            article.byline = chunk
        else:
            target = article.paragraphs if article is not None else draft.lede
            if target and not SENTENCE_END.search(target[-1]):
                target[-1] += "\n" + chunk  # a paragraph cut by a column break
            else:
                target.append(chunk)
        index += 1
    _infer_paper(draft)
    _escape(draft.articles)
    if not draft.articles:
        draft.notes.append("no article headline was recognised: the text is kept as the lede")
    return draft


def _escape(articles: list[DraftArticle]) -> None:
    """Articles are written as Markdown, and a `**`, `###` or `>` in plain text is not markup."""
    for article in articles:
        article.paragraphs = [escape_markdown(text) for text in article.paragraphs]


def _infer_paper(draft: DraftPage) -> None:
    for line in draft.credit_lines:
        found = PAPER.search(line)
        if found:
            draft.paper = found.group(1)
            return
