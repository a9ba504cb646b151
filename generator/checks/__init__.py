"""The checks of `brief check`, one module per kind of input: facts, templates, catalogs, styles."""
