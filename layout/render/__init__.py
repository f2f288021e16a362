"""Template and render: the composed page as HTML (Jinja2), then as PDF (WeasyPrint)."""
