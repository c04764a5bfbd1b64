"""pinset: repeatable, fast Python environments from pip requirements files."""

__version__ = "0.1.0"
