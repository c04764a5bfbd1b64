"""Finding distribution files: simple indexes (PEP 503/691), find-links, evaluation, metadata.

See ``finder`` for the entry point, ``evaluate`` for the rules a file must pass, and
``metadata`` for the cheapest way to a candidate's METADATA.
"""
