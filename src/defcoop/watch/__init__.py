"""watch stage of defcoop: follow feeds and sitemaps into the store."""
