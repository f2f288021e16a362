"""Chinese newspaper pages from structured copy; ARCHITECTURE.md maps the subpackages."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent  # the checkout: styles/, fonts/, schema/
