"""Typesetting text: normalised punctuation, font roles, clreq line breaking, measurement."""
