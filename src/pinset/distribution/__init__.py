"""Distributions: what one is (its kind) and how its metadata and its wheel are obtained.

``source`` is the resolver's candidate source over the finder and ``metadata`` (PEP 658 file →
HTTP range requests via ``lazy_zip`` → whole download); ``fetch`` puts verified wheels on disk
(``download`` checks the index's hashes, ``archives`` keeps files in the cache under one key);
``build`` is the seam where anything that is not a wheel is built, ``builder`` the build layer
behind it (sdists, archives, local trees; built wheels cached); ``planner`` decides per pin.
"""
