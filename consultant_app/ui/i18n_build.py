"""Keep the English translation in step with the Korean source strings.

    python -m consultant_app.ui.i18n_build          # lupdate the .ts from the sources, then lrelease the .qm

pyside6-lupdate finds every ``translate("Context", "원문")`` call under consultant_app/ui and merges it
into ``resources/translations/consultant_app_en.ts`` (existing translations are kept); a translator (or
Qt Linguist) fills in the English; pyside6-lrelease compiles the ``.qm`` the app loads.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from consultant_app.paths import resource_path

UI_DIR = Path(__file__).resolve().parent
LANGUAGES = ("en",)


def ts_path(lang: str) -> Path:
    return resource_path("translations", f"consultant_app_{lang}.ts")


def qm_path(lang: str) -> Path:
    return resource_path("translations", f"consultant_app_{lang}.qm")


def ui_sources() -> list[Path]:
    """Every Python file of the GUI, in a stable order."""
    return sorted(p for p in UI_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _tool(name: str) -> str:
    # The environment's own scripts first: a virtual environment's bin/ need not be on PATH.
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: pip install PySide6-Essentials")
    return found


def lupdate(target: Path) -> None:
    """Merge the sources' strings into ``target`` (obsolete ones dropped)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sources = [str(p) for p in ui_sources()]
    subprocess.run([_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources, "-ts", str(target)],
                   check=True, capture_output=True)


def lrelease(source: Path, target: Path) -> None:
    """Compile a .ts file to the .qm the app loads."""
    subprocess.run([_tool("pyside6-lrelease"), str(source), "-qm", str(target)], check=True, capture_output=True)


def main() -> int:
    for lang in LANGUAGES:
        lupdate(ts_path(lang))
        lrelease(ts_path(lang), qm_path(lang))
        print(ts_path(lang), qm_path(lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
