"""Run the app with ``python -m consultant_app``."""

import sys

from consultant_app.cli import main

sys.exit(main())
