"""python -m defcoop."""

from defcoop.cli import main

# Guarded: a bulk load's worker processes (spawned) import this module again.
if __name__ == "__main__":
    main()
