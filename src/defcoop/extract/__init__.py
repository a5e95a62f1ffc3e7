"""extract stage of defcoop."""
