"""JSON Schemas of the source files, for editor completion and checking; a test keeps them current.

Regenerate them with `python -m layout.sources.schema --write-schema`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .. import PROJECT
from .models import ArticleSource, EditionSource, LayoutSource, PageSource

SCHEMA_DIR = PROJECT / "schema"


def page_schema() -> dict[str, Any]:
    """JSON Schema for page.yaml, for editor completion and checking."""
    return _schema(PageSource)


def article_schema() -> dict[str, Any]:
    """JSON Schema for an article's front matter."""
    return _schema(ArticleSource)


def edition_schema() -> dict[str, Any]:
    return _schema(EditionSource)


def layout_schema() -> dict[str, Any]:
    """JSON Schema for a layout file."""
    return _schema(LayoutSource)


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """(Re)write the page, article and layout schemas; a test keeps them current."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    schemas = (
        ("page", page_schema()),
        ("article", article_schema()),
        ("layout", layout_schema()),
        ("edition", edition_schema()),
    )
    for name, schema in schemas:
        path = directory / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}


def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m layout.sources.schema", description=__doc__)
    parser.add_argument(
        "--write-schema", action="store_true", required=True, help="regenerate schema/*.json"
    )
    parser.parse_args(argv)
    for path in write_schemas():
        print(path)


if __name__ == "__main__":
    _main()
