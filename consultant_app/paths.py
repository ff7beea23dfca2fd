"""Where the user's data lives and where bundled resources are found."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

from consultant_app import APP_NAME, ORG_NAME

DATA_DIR_ENV = "CONSULTANT_APP_DATA_DIR"
STORE_FILE_NAME = "consultant.sqlite3"
OFFICE_KEYS_DIR = "office-keys"  # in the data folder: the central office's public keys, kept by sync, used by verify


def default_data_dir() -> Path:
    """The data folder: $CONSULTANT_APP_DATA_DIR, else the user's platform data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME, ORG_NAME))


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``, in a source checkout, an installed wheel or a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root, "resources", *parts)
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "resources"
    root = installed if installed.is_dir() else package_dir.parent / "resources"
    return root.joinpath(*parts)
