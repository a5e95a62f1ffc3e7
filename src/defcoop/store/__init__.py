"""store stage of defcoop."""
