"""freeze: the installed set → requirement lines, as ``pip freeze`` writes them.

:mod:`.entries` turns each installed distribution into its line (``name==version``,
``name===version``, ``name @ url``, ``-e ...``); :mod:`.checkout` reads the git checkout of an
editable install from its files; :mod:`.template` keeps a template's lines, order and comments
and pins each requirement in it.
"""
