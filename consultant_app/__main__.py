"""Run the app with ``python -m consultant_app``."""

import multiprocessing
import sys

from consultant_app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen bundle's certificate workers start through here
    sys.exit(main())
