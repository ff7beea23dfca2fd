"""Packaging: ``--self-test`` from source (the bundle runs the same code in CI), and what build.spec asks for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from consultant_app import __version__
from consultant_app.cli import build_parser
from consultant_app.store import database
from consultant_app.ui.main_window import PAGES
from consultant_app.ui.pages.workspace import TABS

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build.spec"


def _run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    """A new Python process on this checkout, with no display and nothing of the user's to touch."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(PYTHONPATH=str(ROOT), HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg"),
               CONSULTANT_APP_DATA_DIR=str(tmp_path / "user-data"), **extra)
    return subprocess.run([sys.executable, *args], check=False, capture_output=True, text=True, timeout=120, env=env,
                          cwd=ROOT)


def test_self_test_from_source_passes_with_one_line(tmp_path):
    done = _run(["-m", "consultant_app", "--self-test"], tmp_path, CONSULTANT_APP_SELFTEST_SHOT=str(tmp_path / "w.png"))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "propagateSizeHints" not in done.stderr  # no Qt chatter either
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"self-test ok: consultant-app {__version__} (from source)")
    assert "font: NanumGothic" in lines[0] and "30 companies" in lines[0]
    assert (tmp_path / "w.png").stat().st_size > 10_000  # the rendered window, kept on request
    assert not (tmp_path / "user-data").exists()  # it worked on a temporary store, not the user's


def test_self_test_fails_with_one_line_and_exit_1_when_resources_are_missing(tmp_path):
    # A frozen bundle without its resources: resource_path() looks under sys._MEIPASS.
    empty = tmp_path / "bundle"
    empty.mkdir()
    code = ("import sys; sys._MEIPASS = sys.argv[1]; "
            "from consultant_app.cli import main; sys.exit(main(['--self-test']))")
    done = _run(["-c", code, str(empty)], tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"self-test FAILED at font: the bundled font is missing: {empty / 'resources' / 'fonts' / 'NanumGothic.ttf'}"]


def test_self_test_is_a_top_level_option():
    assert build_parser("en").parse_args(["--self-test"]).self_test
    assert not build_parser("en").parse_args([]).self_test


class _Recorder:
    """Stands in for PyInstaller's Analysis/PYZ/EXE/COLLECT: keeps what the spec passes."""

    made: ClassVar[dict[str, list]] = {}

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.datas, self.binaries, self.pure, self.scripts = [], [], [], []
        _Recorder.made.setdefault(type(self).__name__, []).append(self)


def _exec_spec(workpath: Path) -> dict:
    kinds = {name: type(name, (_Recorder,), {}) for name in ("Analysis", "PYZ", "EXE", "COLLECT")}
    _Recorder.made = {}
    namespace = {"SPECPATH": str(ROOT), "workpath": str(workpath), "DISTPATH": str(workpath / "dist"), **kinds}
    try:
        from PyInstaller.utils.hooks.qt import QtLibraryInfo
    except ImportError:  # the build extra is not installed: the spec skips its plugin filter
        QtLibraryInfo = None  # noqa: N806 - the class's name, or None
    original = QtLibraryInfo.collect_plugins if QtLibraryInfo else None
    code = compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")
    try:
        exec(code, namespace)  # noqa: S102 - the way PyInstaller runs a spec
    finally:
        if QtLibraryInfo:
            QtLibraryInfo.collect_plugins = original
    return namespace


@pytest.fixture(scope="module")
def spec(tmp_path_factory) -> dict:
    return _exec_spec(tmp_path_factory.mktemp("pyinstaller-work"))


def test_build_spec_builds_one_onedir_bundle_named_consultant_app_from_the_cli(spec):
    (analysis,), (exe,), (collect,) = (_Recorder.made[k] for k in ("Analysis", "EXE", "COLLECT"))
    entry = Path(analysis.args[0][0])
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert "from consultant_app.cli import main" in lines
    # worker processes of a frozen app start through freeze_support(), before the command line is parsed
    assert lines.index("    multiprocessing.freeze_support()") < lines.index("    sys.exit(main())")
    assert "consultant_app" not in entry.parent.parts  # the package folder is never a search path (io!)
    assert exe.kwargs["name"] == collect.kwargs["name"] == "consultant-app"
    assert exe.kwargs["exclude_binaries"] is True  # onedir: binaries go to COLLECT, nothing unpacks at start
    assert spec["VERSION"] == __version__


def test_build_spec_bundles_the_resources_and_the_migrations_where_the_code_looks(spec):
    datas = {(Path(src).relative_to(ROOT).as_posix(), dest.replace(os.sep, "/")) for src, dest in spec["DATAS"]}
    assert all(Path(src).is_file() for src, _ in spec["DATAS"])
    assert ("resources/kpi_catalogue.csv", "resources") in datas
    assert ("resources/fonts/NanumGothic.ttf", "resources/fonts") in datas
    assert ("resources/fonts/OFL.txt", "resources/fonts") in datas
    assert not any(src.endswith(".ts") for src, _ in datas)
    # The store finds its migrations next to its own module: the same place relative to the package root.
    migrations = database.MIGRATIONS_DIR.relative_to(ROOT).as_posix()
    assert (f"{migrations}/env.py", migrations) in datas
    versions = sorted(p.relative_to(ROOT).as_posix() for p in (database.MIGRATIONS_DIR / "versions").glob("*.py"))
    assert versions and all((v, f"{migrations}/versions") in datas for v in versions)


def test_build_spec_names_the_modules_imported_by_name(spec):
    hidden = set(spec["HIDDEN_IMPORTS"])
    targets = [page.target for page in PAGES] + [target for _key, _title, target in TABS]
    assert {target.split(":")[0] for target in targets} <= hidden
    assert {"alembic.op", "sqlmodel", "sqlalchemy.dialects.sqlite", "pyqtgraph"} <= hidden
    assert not any(".migrations" in name for name in hidden)  # run by Alembic from files, never imported


def test_build_spec_leaves_out_the_server_unused_qt_and_foreign_translations(spec):
    excludes = set(spec["EXCLUDES"])
    assert {"central_server", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore", "PySide6.Qt3DCore",
            "PySide6.QtMultimedia", "PySide6.QtNetwork"} <= excludes
    keep = spec["keep_entry"]
    translations = "PySide6/Qt/translations"
    assert keep((f"{translations}/qtbase_ko.qm", "x")) and keep((f"{translations}/qtbase_en.qm", "x"))
    assert not keep((f"{translations}/qtbase_de.qm", "x")) and not keep((f"{translations}/qt_ko.qm", "x"))
    assert not keep(("PySide6/Qt/plugins/platforms/libqvnc.so", "x"))
    assert keep(("PySide6/Qt/plugins/platforms/libqxcb.so", "x"))
    assert keep(("PySide6/Qt/plugins/platforms/libqoffscreen.so", "x"))  # the self-test needs it
    assert keep(("resources/translations/consultant_app_en.qm", "x"))
