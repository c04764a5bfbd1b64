"""Version-control sources: one module per tool behind :class:`pinset.vcs.base.Backend`.

``url`` splits a requirement's ``vcs+transport://…@rev`` URL; ``git`` (and later ``hg``,
``svn``, ``bzr``) run the tool through ``_run``, never interactive, with credentials passed
outside the command line. ``backends.BACKENDS`` maps a tool's name to its backend.
"""
