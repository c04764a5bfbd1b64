"""Every JSON the CLI prints or writes hides URL credentials, at any depth, keys included."""

from __future__ import annotations

import io
import json

from pinset.cli import jsonout


def test_every_string_at_every_depth_is_redacted() -> None:
    payload = {
        "url": "https://alice:s3cret@example.com/simple/",
        "https://bob:hunter2@x.example/": ["git+https://tok3n@github.com/o/r.git", 3, None],
        "nested": {"raw": "pkg @ https://u:p4ss@h/pkg.whl ; python_version > '3'"},
        "plain": "https://example.com/simple/",
        "count": 2,
        "ok": True,
    }
    out = io.StringIO()
    jsonout.write(payload, out)
    text = out.getvalue()
    for secret in ("s3cret", "hunter2", "tok3n", "p4ss"):
        assert secret not in text
    assert json.loads(text) == {
        "url": "https://alice:****@example.com/simple/",
        "https://bob:****@x.example/": ["git+https://****@github.com/o/r.git", 3, None],
        "nested": {"raw": "pkg @ https://u:****@h/pkg.whl ; python_version > '3'"},
        "plain": "https://example.com/simple/",
        "count": 2,
        "ok": True,
    }
    assert text.endswith("}\n")
