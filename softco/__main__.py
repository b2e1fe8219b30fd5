"""`python -m softco` is the `softco` command."""

from softco.cli import main

main()
