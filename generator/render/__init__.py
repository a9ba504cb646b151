"""From facts to a checked document: context, the sandboxed Jinja environment, gettext,
the document model and its vocabulary, charts, and render errors in the analyst's words."""
