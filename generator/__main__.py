"""`python -m generator` runs the brief command line."""

from .cli import main

main()
