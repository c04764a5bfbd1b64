"""Install one verified, unpacked wheel into a target interpreter's scheme.

:func:`layout` decides where every file goes, before anything changes: root files to purelib
(``Root-Is-Purelib: true``) or platlib, ``.data/<key>/`` to the scheme's ``purelib``,
``platlib``, ``scripts``, ``headers`` (``<headers>/<Name>/``) or ``data`` directory; console and
GUI launchers to ``scripts`` with the target interpreter in their shebang; ``INSTALLER``
(``pinset``), ``REQUESTED`` (top-level requirements only) and PEP 610 ``direct_url.json`` to the
``.dist-info``. Any destination outside the environment refuses the wheel, and so does any
under ``.pinset`` at the top of a scheme directory or the prefix (pinset's own state: its lock
and install journals live in ``<purelib>/.pinset/``; the others are refused so that no layout of
schemes, such as ``--target``, ``--prefix`` or a platlib equal to purelib, opens a way in).

:func:`place` then writes through a :class:`~pinset.install.journal.Journal`: hard links, copies
or symbolic links from an unpacked-wheel cache (:mod:`pinset.install.linking`), or renames out of
a scratch unpack.
:func:`write_record` writes RECORD last, listing every file placed (and its bytecode).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from packaging.utils import NormalizedName
from packaging.version import Version

from pinset._dataclass import dataclass
from pinset.direct_url import FILENAME as DIRECT_URL
from pinset.direct_url import DirectUrl
from pinset.dists import InstalledDist
from pinset.environment.schemes import Scheme
from pinset.errors import InstallError, IntegrityError
from pinset.install.journal import Journal
from pinset.install.journal_key import KEY_FILE, key_path
from pinset.install.linking import How, transfer
from pinset.install.record import RecordRow, hash_bytes, render_record
from pinset.install.scripts import (
    check_script_name,
    launcher,
    parse_entry_points,
    rewrite_shebang,
)
from pinset.install.state import STATE_DIR
from pinset.install.uninstall import Guard
from pinset.install.wheelfile import UnpackedWheel
from pinset.interpreter import Interpreter

SCHEME_KEYS = ("purelib", "platlib", "scripts", "headers", "data")
INSTALLER = "pinset"
"""What ``INSTALLER`` says (PEP 376)."""
_OURS = ("INSTALLER", "REQUESTED", DIRECT_URL, "RECORD")


@dataclass(frozen=True, slots=True)
class PlacedFile:
    dest: str  # paths as strings: a large install places tens of thousands of files
    source: str | None  # a verified unpacked member, or None when ``content`` is set
    content: bytes | None
    hash: str
    size: int
    mode: int = 0o644


@dataclass(frozen=True)
class Layout:
    """Where one wheel's files go; computed and checked before the environment changes."""

    name: NormalizedName
    display_name: str
    version: Version
    site_dir: Path
    dist_info: Path
    files: tuple[PlacedFile, ...]
    unpacked_root: Path
    """The unpacked wheel's member tree the files come from (a cache entry's ``files``, or a
    scratch unpack)."""
    requested: bool = False
    direct_url: DirectUrl | None = None

    def installed(self) -> InstalledDist:
        """The distribution as a scan of the environment reads it once this layout is placed
        (its METADATA names this name and version: checked when the wheel was unpacked)."""
        return InstalledDist(
            self.name,
            self.version,
            self.dist_info,
            installer=INSTALLER,
            requested=self.requested,
            direct_url=self.direct_url,
        )

    def python_files(self, site_dirs: Guard) -> list[PlacedFile]:
        """The ``.py`` files placed in the importable site directories (what pip compiles).
        A file under the wheel's own site directory is one (:func:`layout` checked every
        destination); only the others, from ``.data/``, are checked against ``site_dirs``
        (a guard of those directories)."""
        guard = site_dirs
        site = os.fspath(self.site_dir) + os.sep
        return [
            f
            for f in self.files
            if f.dest.endswith(".py") and (f.dest.startswith(site) or guard(f.dest))
        ]

    def python_members(self) -> list[str]:
        """The archive paths of the wheel's ``.py`` members that are placed as they are."""
        root = os.fspath(self.unpacked_root) + os.sep
        found = (f.source for f in self.files if f.source is not None)
        return [
            s[len(root) :].replace(os.sep, "/")
            for s in found
            if s.endswith(".py") and s.startswith(root)
        ]


def environment_roots(scheme: Scheme) -> tuple[Path, ...]:
    """Every directory pinset may write to in ``scheme``."""
    keys = (*SCHEME_KEYS, "include")
    found = [scheme.prefix, *(Path(scheme.paths[k]) for k in keys if k in scheme.paths)]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Bounds:
    """Where wheels may write in a scheme, worked out once for all the wheels of a transaction:
    the environment's directories (a guard, which remembers each directory it resolved) and
    pinset's own state, which no wheel may reach (see the module's doc)."""

    guard: Guard
    reserved: tuple[str, ...]

    @classmethod
    def of(cls, scheme: Scheme) -> Bounds:
        return cls(Guard(environment_roots(scheme)), _reserved(scheme))


def layout(
    wheel: UnpackedWheel,
    interp: Interpreter,
    scheme: Scheme,
    *,
    requested: bool,
    direct_url: DirectUrl | None,
    extra_files: Mapping[str, bytes] | None = None,
    bounds: Bounds | None = None,
) -> Layout:
    """Decide every destination of ``wheel`` in ``scheme`` (launchers and shebangs name
    ``interp``); refuse any outside the environment (``bounds``: the scheme's, when the caller
    lays out several wheels)."""
    site_dir = scheme.purelib if wheel.root_is_purelib else scheme.platlib
    dist_info = site_dir / wheel.dist_info
    files: dict[str, PlacedFile] = {}
    site, root = os.fspath(site_dir) + os.sep, os.fspath(wheel.root) + os.sep
    data_prefix = wheel.data_dir + "/"
    ours = {f"{wheel.dist_info}/{name}" for name in _OURS}
    bounds = bounds or Bounds.of(scheme)
    for member in wheel.members:
        path = member.path
        if path in ours:
            continue
        mode = 0o755 if member.executable else 0o644
        native = path if os.sep == "/" else path.replace("/", os.sep)
        if not path.startswith(data_prefix):
            dest = site + native
            files[dest] = PlacedFile(dest, root + native, None, member.hash, member.size, mode)
            continue
        dest, content = _place_data(wheel, path, interp, scheme)
        if content is not None:
            files[dest] = _generated(dest, content, 0o755)
        else:
            files[dest] = PlacedFile(dest, root + native, None, member.hash, member.size, mode)
    generated_files = _generated_files(
        wheel, interp, scheme, dist_info=dist_info, requested=requested, direct_url=direct_url
    )
    for generated in generated_files:
        files[generated.dest] = generated
    for name, content in (extra_files or {}).items():  # pinset's own, named by the caller
        dest = os.path.join(dist_info, name)
        files[dest] = _generated(dest, content)
    _check_not_reserved(wheel, files.values(), bounds.reserved)
    _check_inside(wheel, files, bounds.guard)
    return Layout(
        wheel.name,
        wheel.display_name,
        wheel.version,
        site_dir,
        dist_info,
        tuple(files.values()),
        wheel.root,
        requested,
        direct_url,
    )


def _reserved(scheme: Scheme) -> tuple[str, ...]:
    """``<dir>/.pinset`` for the prefix and every scheme directory (see the module's doc),
    and the journal key (which an install with ``--prefix ~`` could otherwise reach)."""
    dirs = [scheme.prefix, scheme.purelib, scheme.platlib]
    dirs += [Path(scheme.paths[k]) for k in SCHEME_KEYS if k in scheme.paths]
    found = [os.path.normpath(os.path.join(d, STATE_DIR)) for d in dirs]
    return tuple(dict.fromkeys([*found, os.path.normpath(key_path())]))


def _check_not_reserved(
    wheel: UnpackedWheel, files: Iterable[PlacedFile], reserved: tuple[str, ...]
) -> None:
    """Refuse the wheel when a file would go to pinset's own state (``<dir>/.pinset``)."""
    for item in files:
        if STATE_DIR not in item.dest and KEY_FILE not in item.dest:
            continue  # the common case, decided cheaply
        dest = os.path.normpath(item.dest)
        hit = next((r for r in reserved if dest == r or dest.startswith(r + os.sep)), None)
        if hit is None:
            continue
        member = _member_of(wheel, item)
        raise IntegrityError(
            f"{wheel.display_name} {wheel.version} ships {member}, which would write into "
            f"pinset's own state at {hit}",
            hint="the wheel was not installed",
        )


def _member_of(wheel: UnpackedWheel, item: PlacedFile) -> str:
    """The archive path of a placed file (its destination when pinset generated it)."""
    root = os.fspath(wheel.root) + os.sep
    if item.source is not None and item.source.startswith(root):
        return item.source[len(root) :].replace(os.sep, "/")
    return item.dest


def _check_inside(wheel: UnpackedWheel, dests: Iterable[str], guard: Guard) -> None:
    """Refuse the wheel when a destination is outside the environment. Directories that
    exist are checked with their symbolic links resolved (once each); one that does not is
    inside when its parent is and its name is plain; a file name must be plain too. A
    directory whose parent does not exist is not looked up (it cannot exist either)."""
    checked: dict[str, tuple[bool, bool]] = {}  # directory -> (inside, exists)

    def probe(directory: str) -> tuple[bool, bool]:
        found = checked.get(directory)
        if found is None:
            parent, _sep, name = directory.rpartition(os.sep)
            if not parent or parent == directory:
                found = (guard(Path(directory, "_")), True)
            else:
                parent_ok, parent_exists = probe(parent)
                if parent_exists and os.path.lexists(directory):
                    found = (guard(Path(directory, "_")), True)
                else:
                    found = (name not in ("", ".", "..") and parent_ok, False)
            checked[directory] = found
        return found

    last: str | None = None  # files come grouped by directory: each probed once in a row
    for dest in dests:
        parent, _sep, name = dest.rpartition(os.sep)
        if name not in ("", ".", "..") and (parent == last or probe(parent)[0]):
            last = parent
            continue
        raise IntegrityError(
            f"{wheel.display_name} {wheel.version} would write {dest}, outside the environment",
            hint="the wheel was not installed",
        )


def _generated(dest: str, content: bytes, mode: int = 0o644) -> PlacedFile:
    return PlacedFile(dest, None, content, hash_bytes(content), len(content), mode)


def _place_data(
    wheel: UnpackedWheel, path: str, interp: Interpreter, scheme: Scheme
) -> tuple[str, bytes | None]:
    """Where a ``.data/<key>/`` member goes (and, for a script, its rewritten content)."""
    key, _sep, rest = path[len(wheel.data_dir) + 1 :].partition("/")
    if key not in SCHEME_KEYS or not rest:
        raise InstallError(
            f"{wheel.display_name} {wheel.version}: unknown data directory {key!r} in {path}"
        )
    if key == "headers":
        return os.fspath(Path(scheme.paths["headers"]) / wheel.display_name / rest), None
    if key != "scripts":
        return os.fspath(Path(scheme.paths[key]) / rest), None
    check_script_name(rest, source=f"{wheel.display_name} {wheel.version}")
    content = (wheel.root / path).read_bytes()
    executable = str(interp.executable)
    dest = os.fspath(scheme.scripts / rest)
    rewritten = rewrite_shebang(content, executable, relocatable=scheme.relocatable)
    return dest, rewritten or content


def _generated_files(
    wheel: UnpackedWheel,
    interp: Interpreter,
    scheme: Scheme,
    *,
    dist_info: Path,
    requested: bool,
    direct_url: DirectUrl | None,
) -> Iterable[PlacedFile]:
    ep_file = wheel.root / wheel.dist_info / "entry_points.txt"
    if ep_file.is_file():
        text = ep_file.read_text(encoding="utf-8")
        source = f"{wheel.display_name} {wheel.version}"
        kind = _windows_kind(interp)
        for entry in parse_entry_points(text, source=source):
            name = entry.name + (".exe" if kind else "")
            content = launcher(
                entry, str(interp.executable), windows_kind=kind, relocatable=scheme.relocatable
            )
            yield _generated(os.path.join(scheme.scripts, name), content, 0o755)
    info = os.fspath(dist_info)
    yield _generated(os.path.join(info, "INSTALLER"), f"{INSTALLER}\n".encode())
    if requested:
        yield _generated(os.path.join(info, "REQUESTED"), b"")
    if direct_url is not None:
        yield _generated(os.path.join(info, DIRECT_URL), direct_url.to_json().encode("utf-8"))


def _windows_kind(interp: Interpreter) -> str | None:
    if interp.markers.get("os_name") != "nt":
        return None
    machine = interp.markers.get("platform_machine", "").lower()
    return {"arm64": "win-arm64", "x86": "win-ia32", "i386": "win-ia32"}.get(machine, "win-amd64")


@dataclass(frozen=True, slots=True)
class Batch:
    """What one writer places: the new directories it makes first (parents first; one that
    several batches need is made by whichever gets there first), then its files."""

    dirs: list[str]
    files: list[PlacedFile]


def announce(
    plans: Sequence[Layout], journal: Journal, extra: Sequence[Sequence[PlacedFile]] = ()
) -> list[Batch]:
    """Journal every file of ``plans`` (RECORD excepted), each followed by ``extra``'s files
    for it (its bytecode); returns, per plan, what it writes. A path two wheels both ship is
    written once, by the later wheel, as installing them one after the other would leave it."""
    more = [*extra, *([()] * (len(plans) - len(extra)))]
    owner: dict[str, int] = {}
    for index, plan in enumerate(plans):
        for item in plan.files:
            owner[item.dest] = index
        for item in more[index]:
            owner[item.dest] = index
    groups = [
        [item for files in (plan.files, more[index]) for item in files if owner[item.dest] == index]
        for index, plan in enumerate(plans)
    ]
    return batches(journal, groups)


def batches(journal: Journal, groups: Sequence[list[PlacedFile]]) -> list[Batch]:
    """Journal the files of ``groups`` (see :meth:`Journal.announce_many`) and give each group
    the directories its files need that do not exist yet, so that writers make them side by
    side (making a directory waits on the filesystem, as linking does)."""
    order = {d: i for i, d in enumerate(journal.announce_many(i.dest for g in groups for i in g))}
    found: list[Batch] = []
    for group in groups:
        needed: set[str] = set()
        last = ""
        for item in group:
            directory = item.dest.rpartition(os.sep)[0]
            if directory == last:
                continue
            last = directory
            while directory in order and directory not in needed:
                needed.add(directory)
                directory = directory.rpartition(os.sep)[0]
        found.append(Batch(sorted(needed, key=order.__getitem__), group))
    return found


def write_files(files: Iterable[PlacedFile], *, how: How, dirs: Iterable[str] = ()) -> How:
    """Make ``dirs`` (parents first; one that exists already is fine), then write announced
    files: linked or copied from an unpacked-wheel cache as ``how`` says, moved out of a scratch
    unpack (``move``), or generated content; a file with neither is left to its caller. Returns
    how the last file was placed (``copy`` when the filesystem refused ``how``: see
    :mod:`pinset.install.linking`)."""
    for directory in dirs:
        with contextlib.suppress(FileExistsError):
            os.mkdir(directory)
    link = os.link if how == "hardlink" else None
    for item in files:
        source = item.source
        if item.content is not None:
            _write_content(item.dest, item.content, item.mode)
        elif source is not None:
            if link is not None:
                try:
                    link(source, item.dest)  # the common case, without a call per file
                    continue
                except OSError:
                    pass  # transfer says what to do instead
            how = transfer(source, item.dest, how)
            link = os.link if how == "hardlink" else None
    return how


def _write_content(dest: str, content: bytes, mode: int) -> None:
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(fd, content)
    finally:
        os.close(fd)
    os.chmod(dest, mode)


def place(plan: Layout, journal: Journal, *, how: How) -> How:
    """Write every file of ``plan`` (RECORD excepted) through ``journal``."""
    (batch,) = announce([plan], journal)
    return write_files(batch.files, how=how, dirs=batch.dirs)


def write_record(plan: Layout, journal: Journal, bytecode: Mapping[str, PlacedFile]) -> None:
    """Write RECORD for ``plan``: its files, their bytecode (by source destination: the ``.pyc``
    placed, with its hash and size, or an empty hash when the target compiled it in place and
    it is read here), RECORD itself."""
    base = os.fspath(plan.site_dir) + os.sep
    cut = len(base) if os.sep == "/" else 0  # elsewhere every path goes through _rel
    rows = [
        RecordRow(
            f.dest[cut:] if cut and f.dest.startswith(base) else _rel(f.dest, base), f.hash, f.size
        )
        for f in plan.files
    ]
    for item in plan.files:
        pyc = bytecode.get(item.dest)
        if pyc is None:
            continue
        if pyc.hash:
            rows.append(RecordRow(_rel(pyc.dest, base), pyc.hash, pyc.size))
            continue
        try:
            with open(pyc.dest, "rb") as fh:
                data = fh.read()
        except OSError:
            continue  # the target did not compile it (a syntax error for that Python)
        rows.append(RecordRow(_rel(pyc.dest, base), hash_bytes(data), len(data)))
    record = plan.dist_info / "RECORD"
    rows.append(RecordRow(_rel(record, base), "", None))
    journal.create(record)
    with open(record, "x", encoding="utf-8", newline="") as out:
        out.write(render_record(rows))


def _rel(path: str | Path, base: str) -> str:
    """``path`` relative to the directory ``base`` (given with a trailing separator)."""
    text = os.fspath(path)
    rel = text[len(base) :] if text.startswith(base) else os.path.relpath(text, base)
    return rel.replace(os.sep, "/") if os.sep != "/" else rel
