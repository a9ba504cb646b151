"""`python -m generator` runs the brief command line."""

from generator.cli import main

main()
