"""resolve stage of defcoop."""
