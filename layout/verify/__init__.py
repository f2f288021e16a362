"""Check: the rendered PDF read back and measured as a print professional would."""
