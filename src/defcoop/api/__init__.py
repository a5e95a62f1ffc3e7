"""api stage of defcoop."""
