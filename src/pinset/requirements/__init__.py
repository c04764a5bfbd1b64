"""Read pip requirements files: a pure, typed library API.

``parse_file(path_or_url)`` and ``parse_text(text, origin)`` return a frozen
:class:`RequirementsFile`; every problem found is raised at once as
:class:`pinset.errors.RequirementsError`. Nothing here touches the network, an index, or an
environment: URL includes go through the ``fetch`` callable the caller passes in.
"""

from pinset.requirements.loader import Fetch, parse_file, parse_text
from pinset.requirements.model import (
    FileOptions,
    IncludedFile,
    Origin,
    Requirement,
    RequirementsFile,
)

__all__ = [
    "Fetch",
    "FileOptions",
    "IncludedFile",
    "Origin",
    "Requirement",
    "RequirementsFile",
    "parse_file",
    "parse_text",
]
