"""The verbs of the command line: build, check, serve, list, mail."""
