"""brief: briefing notes for diplomats from sourced facts, in Kazakh, Russian and English.

The package reads as the pipeline, one folder a stage, each depending only on those below:
`facts` (YAML, schema, model, project) → `l10n` (locales, house style, formatter,
catalogs) → `render` (context, sandboxed Jinja, document and vocabulary) → `writers` (PDF,
DOCX, HTML) → `checks` (static analyses of `brief check`) → `commands` (build, check,
serve, list, mail) → `cli`. `mail` (addresses, MIME, SMTP) and `errors` are beneath them all.
"""

__version__ = "0.1.0"
