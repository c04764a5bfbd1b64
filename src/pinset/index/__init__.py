"""Finding distribution files: simple indexes (PEP 503/691), find-links, evaluation.

See ``finder`` for the entry point and ``evaluate`` for the rules a file must pass; what a
found file holds (its metadata, its wheel) is :mod:`pinset.distribution`'s.
"""
