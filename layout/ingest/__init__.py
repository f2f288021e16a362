"""Importers: newsroom text, NITF and Word files to page sources (see draft.py)."""
