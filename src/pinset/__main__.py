"""``python -m pinset``: as ``python -m pip``, the running interpreter may be the target."""

from pinset.cli.main import end, main

end(main(as_module=True))
