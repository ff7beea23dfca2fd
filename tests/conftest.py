"""Shared fixtures: every test gets its own data folder and a real SQLite store file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app's default data folder at the test's temporary folder."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CONSULTANT_APP_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture
def store(isolated_data_dir: Path):
    """An open store on a real SQLite file, closed after the test."""
    from consultant_app.store import Store

    opened = Store.open(isolated_data_dir, actor="tester")
    yield opened
    opened.close()
