"""``python -m pinset``."""

from pinset.cli.main import main

raise SystemExit(main())
