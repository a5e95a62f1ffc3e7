"""ingest stage of defcoop."""
