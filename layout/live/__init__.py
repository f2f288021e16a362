"""The live proof: a page or edition in the browser, rebuilt on every save."""
