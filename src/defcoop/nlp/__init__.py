"""nlp stage of defcoop."""
