"""Which versions a run's requirements pin exactly: the wheels an installing run downloads whole
while resolving (see ``IndexSource.will_install``)."""

from __future__ import annotations

from packaging.version import Version

from pinset.ops.inputs import Inputs
from pinset.ops.pipeline import exact_pins
from pinset.requirements import parse_text


def _inputs(text: str, constraints: str = "") -> Inputs:
    reqs = parse_text(text, "requirements.txt").requirements
    cons = parse_text(constraints, "c.txt", constraint=True).constraints if constraints else ()
    return Inputs(requirements=reqs, constraints=cons, options=(), diagnostics=())


def test_exact_pins_of_a_lock_file_and_constraints() -> None:
    text = "Flask==3.0.0\nrequests===2.31.0\nidna>=3\nurllib3==2.*\nclick==8.1.7,!=8.1.6\n"
    pins = exact_pins(_inputs(text, "Jinja2==3.1.2\n"))
    assert pins == {
        "flask": Version("3.0.0"),
        "requests": Version("2.31.0"),
        "jinja2": Version("3.1.2"),
    }


def test_urls_and_unpinned_names_are_not_pins() -> None:
    text = "demo @ https://example.org/demo-1.0-py3-none-any.whl\nother\n"
    assert exact_pins(_inputs(text)) == {}
