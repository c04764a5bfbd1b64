"""The option spellings a no-op verdict understands: plain data for
``pinset.ops.noop_verdict``, which runs before anything heavy is imported.

Generated from the option table (``pinset.options``) by ``dev/gen-option-names``;
do not edit.
"""

VALUE_OPTIONS = frozenset(
    {
        "--cache-dir",
        "--constraint",
        "--extra-index-url",
        "--find-links",
        "--index-url",
        "--link-mode",
        "--pypi-url",
        "--python",
        "--requirement",
        "-c",
        "-f",
        "-i",
        "-r",
    }
)
FLAGS = frozenset(
    {
        "--break-system-packages",
        "--compile",
        "--isolated",
        "--no-compile",
        "--no-dependencies",
        "--no-deps",
        "--no-index",
        "--quiet",
        "--require-hashes",
        "--verbose",
        "-q",
        "-v",
    }
)
ATTACHED = frozenset(
    {
        "-c",
        "-f",
        "-i",
        "-r",
    }
)
COUNT_LETTERS = frozenset(
    {
        "q",
        "v",
    }
)
