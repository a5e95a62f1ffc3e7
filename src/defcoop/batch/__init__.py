"""batch stage of defcoop."""
