"""Applications built as a platform builds them: ``pinset app build`` and ``pinset app run``.

``detect`` (what the application is: a ``requirements.txt``, or a project installed as
``-e .``), ``pythons`` (``.python-version`` / ``runtime.txt`` → one of the machine's
interpreters), ``key`` (the build key: every file a build reads, and the interpreter),
``build`` (the environment brought to the requirements in a new directory and swapped in by
rename), ``procfile`` (process types, and how one is run).
"""
