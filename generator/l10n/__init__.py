"""Locale-bound formatting in each language's house style: locales and the one time zone,
house style, the formatter, and the catalogs of the templates' fixed strings."""
