"""Layering: the domain is pure Python, with no screen, no database and no network loaded by importing it."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import consultant_app.domain

FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "sqlalchemy", "sqlmodel", "sqlite3", "_sqlite3",
             "alembic", "httpx", "requests", "http.client", "urllib3",
             # nor the layers above it
             "consultant_app.store", "consultant_app.io", "consultant_app.reports", "consultant_app.sync",
             "consultant_app.ui", "consultant_app.cli")

DOMAIN_MODULES = sorted(f"consultant_app.domain.{m.name}" for m in pkgutil.iter_modules(consultant_app.domain.__path__))

_PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
from consultant_app.domain.kpi import default_catalogue
default_catalogue()  # reading the bundled catalogue must not pull anything in either
print(json.dumps(sorted(sys.modules)))
"""


def test_domain_has_the_modules_this_test_expects():
    assert {"aggregates", "codes", "formulas", "kpi", "messages", "records", "summary", "validation"} <= {
        name.rsplit(".", 1)[1] for name in DOMAIN_MODULES}


def test_importing_every_domain_module_loads_no_qt_sql_or_http():
    result = subprocess.run([sys.executable, "-c", _PROBE, "consultant_app.domain", *DOMAIN_MODULES],
                            capture_output=True, text=True, timeout=60, check=True)
    loaded = set(json.loads(result.stdout))
    assert set(DOMAIN_MODULES) <= loaded  # the probe really imported them
    offending = sorted(m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN))
    assert offending == []


def test_the_probe_would_see_a_forbidden_module():
    # guards the test above against a probe that cannot fail
    result = subprocess.run([sys.executable, "-c", _PROBE, "sqlite3"], capture_output=True, text=True,
                            timeout=60, check=True)
    assert "sqlite3" in json.loads(result.stdout)
