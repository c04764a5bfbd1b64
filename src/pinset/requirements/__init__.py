"""Read pip requirements files: a pure, typed library API.

``parse_file(path_or_url)`` and ``parse_text(text, origin)`` return a frozen
:class:`RequirementsFile`; every problem found is raised at once as
:class:`RequirementsFileError` (a :class:`pinset.errors.RequirementsError`) whose ``partial``
is everything that was read, with every finding. Nothing here touches the network, an index, or an
environment: URL includes go through the ``fetch`` callable the caller passes in.
"""

from pinset.requirements.loader import Fetch, parse_file, parse_text
from pinset.requirements.model import (
    FileOptions,
    IncludedFile,
    Origin,
    Requirement,
    RequirementsFile,
    RequirementsFileError,
)

__all__ = [
    "Fetch",
    "FileOptions",
    "IncludedFile",
    "Origin",
    "Requirement",
    "RequirementsFile",
    "RequirementsFileError",
    "parse_file",
    "parse_text",
]
