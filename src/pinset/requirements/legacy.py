"""Old spellings from pip's early documentation that pinset still reads, each with a warning.

Each function recognises one old form and returns the text to read instead, the spelling
today's pip accepts (``Requirement.legacy_form``) and the warning to show:

- extras written after the version: ``MyPackage==3.0 [PDF]`` -> ``MyPackage[PDF]==3.0``;
- ``#egg=name`` naming a non-editable URL -> ``name @ URL``;
- bare version-control URLs: ``git://host/repo`` -> ``git+git://host/repo``;
- Subversion date revisions ``@{20080101}``, braces that are not valid URL characters ->
  ``@%7B20080101%7D`` (pip and pinset decode percent-escapes in revisions).
"""

from __future__ import annotations

import re

from pinset._dataclass import dataclass
from pinset.errors import Severity
from pinset.requirements.locations import VCS_SCHEMES, is_vcs_url
from pinset.requirements.problems import Finding

_NAME_SPEC_RE = re.compile(
    r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*((?:[<>=!~]=?|===)[^\[\]]*)"
)
EXTRAS_CODE = "legacy-extras-after-version"
_SVN_DATE_RE = re.compile(r"@\{([^{}/@#]*)\}")


@dataclass(frozen=True, slots=True)
class LegacyFix:
    text: str
    """What pinset reads."""
    spelling: str
    """How today's pip spells it."""
    finding: Finding


def _warning(message: str, code: str, hint: str, offset: int = 0) -> Finding:
    return Finding(Severity.WARNING, message, code, hint=hint, offset=offset)


def extras_after_version(text: str) -> LegacyFix | None:
    """``name==1.0 [extra]`` -> ``name[extra]==1.0``."""
    stripped = text.rstrip()
    start = stripped.rfind("[")
    if not stripped.endswith("]") or start == -1 or "]" in stripped[start:-1]:
        return None
    found = _NAME_SPEC_RE.fullmatch(stripped[:start].rstrip())
    if found is None:
        return None
    name, extras = found.group(1), stripped[start:]
    spec = re.sub(r"\s+", "", found.group(2))
    fixed = f"{name}{extras}{spec}"
    finding = _warning(
        f"extras after the version ({extras}) is an old form that pip no longer reads; "
        f"read as {fixed}",
        EXTRAS_CODE,
        f"write `{fixed}`",
        start,
    )
    return LegacyFix(fixed, fixed, finding)


def bare_vcs_url(text: str) -> LegacyFix | None:
    """``git://host/repo`` (and ``hg:``, ``svn:``, ``bzr:``) -> ``git+git://host/repo``."""
    lowered = text[:4].lower()
    for vcs in VCS_SCHEMES:
        if lowered.startswith(f"{vcs}:"):
            fixed = f"{vcs}+{text}"
            if not is_vcs_url(fixed):
                return None
            finding = _warning(
                f"a bare {vcs}: URL is an old form that pip reads only after -e; read as {fixed}",
                "legacy-bare-vcs-url",
                f"write `{fixed}`",
            )
            return LegacyFix(fixed, fixed, finding)
    return None


def egg_on_url(name: str, url: str) -> LegacyFix:
    """``URL#egg=name`` -> ``name @ URL`` (without the egg part)."""
    base, sep, fragment = url.partition("#")
    kept = "&".join(p for p in fragment.split("&") if not p.startswith("egg="))
    clean = f"{base}#{kept}" if sep and kept else base
    fixed = f"{name} @ {clean}"
    finding = _warning(
        f"#egg={name} names a non-editable URL requirement; today's spelling is {fixed}",
        "legacy-egg-fragment",
        f"write `{fixed}`",
        max(0, url.find("egg=")),
    )
    return LegacyFix(url, fixed, finding)


def svn_date_revision(url: str) -> LegacyFix | None:
    """``svn+...@{20080101}`` -> ``svn+...@%7B20080101%7D``."""
    if not url[:4].lower().startswith("svn+"):
        return None
    found = _SVN_DATE_RE.search(url.partition("#")[0])
    if found is None:
        return None
    fixed = f"{url[: found.start()]}@%7B{found.group(1)}%7D{url[found.end() :]}"
    finding = _warning(
        f"Subversion date revision {{{found.group(1)}}}: braces are not valid in a URL; "
        "percent-encode them",
        "legacy-svn-date-revision",
        f"write `{fixed}`",
        found.start(),
    )
    return LegacyFix(url, fixed, finding)
