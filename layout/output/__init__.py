"""Print output: PDF/A and PDF/X variants, the preflight, previews, atomic writes."""
