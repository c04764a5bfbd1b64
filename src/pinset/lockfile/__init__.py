"""Lock files: a locked set written as pip-compile's requirements.txt or PEP 751 pylock.toml,
and read back (the pins an existing lock keeps; a pylock's packages to install).

Pure: text in, data out, and the reverse; the resolution and the index are the caller's.
``model`` (the locked set), ``requirements_txt``, ``pylock`` (through ``packaging.pylock``,
imported only by a run that reads or writes one) and ``names`` (which names are pylock files:
cheap, for every install).
"""
