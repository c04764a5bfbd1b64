"""The script run inside a target interpreter to learn the facts pinset needs about it.

It must run on any Python 3 pinset may target (3.6+ syntax, standard library only) and prints one
JSON object after a marker line, so that output from ``.pth`` files or ``sitecustomize`` cannot
be mistaken for it. Tags are *not* computed here (the target may not have ``packaging``); pinset
derives them from these facts (see :mod:`pinset.environment.tags`).

It runs with ``-I -S``: isolated (no ``PYTHON*`` variables, no user site, no script directory)
and *without* ``site``, which would run every ``.pth`` file and ``sitecustomize`` in the
environment — code from the packages installed there, at every pinset run that probes. In a
virtual environment ``site`` is also what makes ``sys.prefix`` the environment (on every Python
3.8–3.13), so the probe does that one part itself, as ``site`` does it: a ``pyvenv.cfg`` beside
the executable or one directory up makes that directory's parent the prefix. This happens before
``sysconfig`` is imported, since it reads ``sys.prefix`` at import.
"""

from __future__ import annotations

PROBE_VERSION = 3
MARKER = "@@pinset-probe@@"
BASE_MARK = "@@pinset-base@@"
"""Stands for the base directory in the ``prefix`` and ``user`` scheme templates."""

PROBE_SOURCE = r"""
import os
import sys


def _venv_prefix():
    exe_dir = os.path.dirname(os.path.abspath(sys.executable))
    for directory in (exe_dir, os.path.dirname(exe_dir)):
        if os.path.isfile(os.path.join(directory, "pyvenv.cfg")):
            return os.path.dirname(exe_dir)
    return None


_VENV = _venv_prefix()
if _VENV is not None:
    sys.prefix = sys.exec_prefix = _VENV

import json
import platform
import struct
import sysconfig


def _impl_version():
    info = sys.implementation.version
    text = "%d.%d.%d" % (info[0], info[1], info[2])
    if info.releaselevel != "final":
        text += info.releaselevel[0] + str(info.serial)
    return text


def _glibc():
    try:
        value = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, OSError, ValueError):
        return None
    return value or None


def _markers():
    return {
        "implementation_name": sys.implementation.name,
        "implementation_version": _impl_version(),
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }


def _schemes(mark):
    prefix_name = "nt" if os.name == "nt" else "posix_prefix"
    user_name = "nt_user" if os.name == "nt" else "posix_user"
    preferred = getattr(sysconfig, "get_preferred_scheme", None)
    if preferred is not None:
        prefix_name, user_name = preferred("prefix"), preferred("user")
    bases = {"base": mark, "platbase": mark, "installed_base": mark,
             "installed_platbase": mark, "userbase": mark}
    return {
        "prefix": dict(sysconfig.get_paths(prefix_name, vars=bases)),
        "user": dict(sysconfig.get_paths(user_name, vars=bases)),
    }


def collect(mark="@@pinset-base@@"):
    names = ("SOABI", "EXT_SUFFIX", "Py_DEBUG", "WITH_PYMALLOC", "Py_GIL_DISABLED",
             "py_version_nodot")
    config = dict((name, sysconfig.get_config_var(name)) for name in names)
    paths = dict(sysconfig.get_paths())
    return {
        "executable": sys.executable,
        "version": list(sys.version_info[:3]),
        "implementation": sys.implementation.name,
        "markers": _markers(),
        "paths": paths,
        "prefix": sys.prefix,
        "base_prefix": getattr(sys, "base_prefix", sys.prefix),
        "platform": sysconfig.get_platform(),
        "pointer_bits": struct.calcsize("P") * 8,
        "glibc": _glibc(),
        "mac_version": platform.mac_ver()[0],
        "config": config,
        "debug_refcount": hasattr(sys, "gettotalrefcount"),
        "cache_tag": sys.implementation.cache_tag,
        "schemes": _schemes(mark),
    }


if __name__ == "__main__":
    sys.stdout.write("\n%s%s\n" % (sys.argv[1], json.dumps(collect(sys.argv[2]))))
    sys.stdout.flush()
"""
