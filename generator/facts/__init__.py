"""The fact base: YAML read with lines, value types, the schema, the model, project loading.

Nothing here imports the later stages. Importing this package is cheap: each module pulls
in what it needs (pydantic, ruamel.yaml) only when it is imported itself.
"""
