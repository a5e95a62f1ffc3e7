"""Bulk load: many reports resolved at once and written in bulk, equal to one-by-one ingest."""
