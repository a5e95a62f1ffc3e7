"""web stage of defcoop."""
