"""python -m defcoop."""

from defcoop.cli import main

main()
