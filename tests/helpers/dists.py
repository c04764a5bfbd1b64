"""Generate real distribution files for tests: wheels (valid, tampered, malicious) and sdists.

Output is deterministic: fixed zip/tar timestamps, sorted entries, so the same arguments give
the same bytes (and the same sha256) every time.

``make_wheel`` writes a wheel a real installer accepts: a ``.dist-info`` named with the
normalised project name, ``WHEEL``, ``METADATA`` (``Requires-Dist`` with extras markers,
``Requires-Python``, ``Provides-Extra``), ``entry_points.txt`` and a ``RECORD`` whose entries carry
urlsafe-base64 sha256 digests. For safety tests:

- ``tamper=True`` changes one file's last byte (same size) after its RECORD line was written, so
  the RECORD hash no longer matches (the first file of the package unless ``tamper`` names a path);
- ``raw_entries`` adds zip members with arbitrary names (``../x``, ``/abs``, ``a/../../b``),
  listed in RECORD with *correct* hashes so only a path check can refuse them;
- ``symlinks`` adds zip members marked as symbolic links (name -> link target).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import stat
import tarfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import Version

ZIP_DATE = (2020, 1, 1, 0, 0, 0)
TAR_MTIME = 1577836800  # 2020-01-01T00:00:00Z


def wheel_name_part(name: str) -> str:
    """The project name as it appears in wheel/sdist file names and ``.dist-info`` dirs."""
    return canonicalize_name(name).replace("-", "_")


def record_hash(data: bytes) -> str:
    """``sha256=<urlsafe b64, no padding>`` as written in RECORD."""
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def metadata_text(
    name: str,
    version: str,
    *,
    requires: Sequence[str] = (),
    extras: Mapping[str, Sequence[str]] | None = None,
    requires_python: str | None = None,
    summary: str = "A test distribution",
) -> str:
    """Core metadata 2.1 text for ``name``/``version`` with dependencies and extras."""
    extras = extras or {}
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {summary}",
    ]
    if requires_python is not None:
        lines.append(f"Requires-Python: {requires_python}")
    lines.extend(f"Requires-Dist: {req}" for req in requires)
    for extra, reqs in extras.items():
        lines.append(f"Provides-Extra: {extra}")
        for req in reqs:
            lines.append(f"Requires-Dist: {_with_extra_marker(req, extra)}")
    return "\n".join(lines) + "\n\n"


def _with_extra_marker(req: str, extra: str) -> str:
    if ";" in req:
        base, marker = req.split(";", 1)
        return f'{base.strip()} ; ({marker.strip()}) and extra == "{extra}"'
    return f'{req} ; extra == "{extra}"'


def _entry_points_text(entry_points: Mapping[str, Mapping[str, str]]) -> str:
    out: list[str] = []
    for group, entries in entry_points.items():
        out.append(f"[{group}]")
        out.extend(f"{key} = {value}" for key, value in entries.items())
        out.append("")
    return "\n".join(out)


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _zip_info(arcname: str, *, mode: int = 0o644, symlink: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(arcname, date_time=ZIP_DATE)
    kind = stat.S_IFLNK if symlink else stat.S_IFREG
    info.external_attr = ((kind | mode) & 0xFFFF) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, so external_attr modes are honoured
    return info


def make_wheel(
    dest_dir: Path,
    name: str,
    version: str,
    *,
    requires: Sequence[str] = (),
    extras: Mapping[str, Sequence[str]] | None = None,
    requires_python: str | None = None,
    tag: str = "py3-none-any",
    files: Mapping[str, str | bytes] | None = None,
    entry_points: Mapping[str, Mapping[str, str]] | None = None,
    data: Mapping[str, Mapping[str, str | bytes]] | None = None,
    build_tag: str | None = None,
    root_is_purelib: bool | None = None,
    executable: Sequence[str] = (),
    tamper: bool | str = False,
    raw_entries: Mapping[str, str | bytes] | None = None,
    symlinks: Mapping[str, str] | None = None,
    omit_record: bool = False,
    extra_dist_info: Mapping[str, str | bytes] | None = None,
) -> Path:
    """Write ``<name>-<version>[-<build>]-<tag>.whl`` into ``dest_dir`` and return its path.

    ``files`` maps archive paths to contents (default: ``<pkg>/__init__.py`` defining
    ``__version__``, where ``<pkg>`` is the normalised name with underscores). ``data`` maps a
    ``.data`` scheme key (``scripts``, ``data``, ``headers``, ``purelib``, ``platlib``) to files.
    ``executable`` lists archive paths (in ``files`` or ``data`` as ``<key>/<path>``) given mode
    0o755. ``root_is_purelib`` defaults to True for ``-none-any`` tags, else False.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    extras, entry_points, data = extras or {}, entry_points or {}, data or {}
    raw_entries, symlinks = raw_entries or {}, symlinks or {}
    extra_dist_info = extra_dist_info or {}
    part = wheel_name_part(name)
    norm_version = str(Version(version))
    dist_info = f"{part}-{norm_version}.dist-info"
    data_dir = f"{part}-{norm_version}.data"
    if files is None:
        files = {f"{part}/__init__.py": f'__version__ = "{norm_version}"\n'}
    if root_is_purelib is None:
        root_is_purelib = tag.endswith("-none-any")

    members: list[tuple[str, bytes, int]] = []
    execs = set(executable)
    for path, content in sorted(files.items()):
        members.append((path, _as_bytes(content), 0o755 if path in execs else 0o644))
    for key, entries in sorted(data.items()):
        for path, content in sorted(entries.items()):
            mode = 0o755 if key == "scripts" or f"{key}/{path}" in execs else 0o644
            members.append((f"{data_dir}/{key}/{path}", _as_bytes(content), mode))
    for path, content in raw_entries.items():
        members.append((path, _as_bytes(content), 0o644))

    meta = metadata_text(
        name, norm_version, requires=requires, extras=extras, requires_python=requires_python
    )
    wheel_lines = [
        "Wheel-Version: 1.0",
        "Generator: pinset-tests",
        f"Root-Is-Purelib: {'true' if root_is_purelib else 'false'}",
    ]
    wheel_lines.extend(f"Tag: {t}" for t in _expand_tag(tag))
    if build_tag is not None:
        wheel_lines.append(f"Build: {build_tag}")
    members.append((f"{dist_info}/METADATA", meta.encode("utf-8"), 0o644))
    members.append((f"{dist_info}/WHEEL", ("\n".join(wheel_lines) + "\n\n").encode(), 0o644))
    if entry_points:
        ep_text = _entry_points_text(entry_points)
        members.append((f"{dist_info}/entry_points.txt", ep_text.encode("utf-8"), 0o644))
    for path, content in sorted(extra_dist_info.items()):
        members.append((f"{dist_info}/{path}", _as_bytes(content), 0o644))

    record_lines = [f"{path},{record_hash(body)},{len(body)}" for path, body, _ in members]
    record_lines += [
        f"{path},{record_hash(target.encode())},{len(target)}" for path, target in symlinks.items()
    ]
    record_lines.append(f"{dist_info}/RECORD,,")
    record = ("\n".join(record_lines) + "\n").encode("utf-8")

    if tamper:
        victim = tamper if isinstance(tamper, str) else members[0][0]
        members = [
            (path, _flip_last_byte(body) if path == victim else body, mode)
            for path, body, mode in members
        ]

    filename = f"{part}-{norm_version}{'-' + build_tag if build_tag else ''}-{tag}.whl"
    out = dest_dir / filename
    with zipfile.ZipFile(out, "w") as zf:
        for path, body, mode in members:
            zf.writestr(_zip_info(path, mode=mode), body)
        for path, target in symlinks.items():
            zf.writestr(_zip_info(path, mode=0o777, symlink=True), target)
        if not omit_record:
            zf.writestr(_zip_info(f"{dist_info}/RECORD"), record)
    return out


def _flip_last_byte(body: bytes) -> bytes:
    """Same size, different bytes: only a hash check can tell."""
    if not body:
        return b"#"
    return body[:-1] + bytes([body[-1] ^ 0x01])


def _expand_tag(tag: str) -> list[str]:
    interp, abi, plat = tag.split("-")
    return [
        f"{i}-{a}-{p}" for i in interp.split(".") for a in abi.split(".") for p in plat.split(".")
    ]


def make_sdist(
    dest_dir: Path,
    name: str,
    version: str,
    *,
    requires: Sequence[str] = (),
    extras: Mapping[str, Sequence[str]] | None = None,
    requires_python: str | None = None,
    files: Mapping[str, str | bytes] | None = None,
    build_requires: Sequence[str] = ("setuptools>=61",),
    build_backend: str = "setuptools.build_meta",
    pyproject: str | None = None,
    setup_py: str | None = None,
    extra_members: Mapping[str, str | bytes] | None = None,
) -> Path:
    """Write ``<name>-<version>.tar.gz`` (PEP 625 name) with pyproject.toml, PKG-INFO and code.

    The default ``pyproject.toml`` uses a setuptools backend with a ``[project]`` table carrying
    ``dependencies``, ``optional-dependencies`` and ``requires-python``; ``pyproject`` replaces
    it whole. ``files`` are paths relative to the project root (default: ``<pkg>/__init__.py``).
    ``extra_members`` are added verbatim under the archive (names not prefixed: for hostile-archive
    tests such as ``../evil``).
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    extras, extra_members = extras or {}, extra_members or {}
    part = wheel_name_part(name)
    norm_version = str(Version(version))
    root = f"{part}-{norm_version}"
    if files is None:
        files = {f"{part}/__init__.py": f'__version__ = "{norm_version}"\n'}
    if pyproject is None:
        pyproject = _pyproject_text(
            name,
            norm_version,
            requires=requires,
            extras=extras,
            requires_python=requires_python,
            build_requires=build_requires,
            build_backend=build_backend,
        )
    members: dict[str, bytes] = {
        f"{root}/pyproject.toml": pyproject.encode("utf-8"),
        f"{root}/PKG-INFO": metadata_text(
            name, norm_version, requires=requires, extras=extras, requires_python=requires_python
        ).encode("utf-8"),
    }
    if setup_py is not None:
        members[f"{root}/setup.py"] = setup_py.encode("utf-8")
    for path, content in files.items():
        members[f"{root}/{path}"] = _as_bytes(content)
    for path, content in extra_members.items():
        members[path] = _as_bytes(content)

    out = dest_dir / f"{root}.tar.gz"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for path, body in sorted(members.items()):
            info = tarfile.TarInfo(path)
            info.size = len(body)
            info.mtime = TAR_MTIME
            info.mode = 0o644
            info.uname = info.gname = ""
            tf.addfile(info, io.BytesIO(body))
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as gz:
        gz.write(raw.getvalue())
    out.write_bytes(buf.getvalue())
    return out


def _toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(_toml_str(i) for i in items) + "]"


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pyproject_text(
    name: str,
    version: str,
    *,
    requires: Sequence[str],
    extras: Mapping[str, Sequence[str]],
    requires_python: str | None,
    build_requires: Sequence[str],
    build_backend: str,
) -> str:
    lines = [
        "[build-system]",
        f"requires = {_toml_list(build_requires)}",
        f"build-backend = {_toml_str(build_backend)}",
        "",
        "[project]",
        f"name = {_toml_str(name)}",
        f"version = {_toml_str(version)}",
        f"dependencies = {_toml_list(requires)}",
    ]
    if requires_python is not None:
        lines.append(f"requires-python = {_toml_str(requires_python)}")
    if extras:
        lines.append("")
        lines.append("[project.optional-dependencies]")
        lines.extend(f"{_toml_str(k)} = {_toml_list(v)}" for k, v in extras.items())
    return "\n".join(lines) + "\n"
