"""The page as data: the document loaded from sources, its grid, its copy, the composed layout."""
