"""Building wheels from source trees through PEP 517/660 backends (see ``builder``)."""
