"""LibreOffice itself, headless: what our exports become in a real spreadsheet program (openpyxl alone can't tell)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

# Comma, double quote, UTF-8 (76), from line 1; token 9 saves cells as shown (formatted) or as their values;
# the last (-1) writes every sheet, as <name>-<sheet>.csv.
CSV_OUT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,{shown},false,false,-1"
CSV_IN = "Text - txt - csv (StarCalc):44,34,76,1"
TIMEOUT_S = 180  # a first start on a cold profile can take a while

_profile: Path | None = None


def soffice() -> str:
    """The soffice program; a test fails without it (CI installs it), and skips only when CI is unset."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    why = "LibreOffice (soffice) is not installed; Debian: apt-get install libreoffice-calc-nogui"
    if os.environ.get("CI"):
        pytest.fail(f"{why}. CI must install it: these tests check exports with LibreOffice itself.")
    print(f"{why}. Skipping because the CI environment variable is unset.")
    pytest.skip(why)


def _user_profile() -> str:
    # One profile per test process: two soffice processes sharing a profile block each other.
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile.as_uri()


def convert(source: Path, target_format: str, out_dir: Path, *, infilter: str | None = None) -> list[Path]:
    """Convert ``source`` with ``soffice --headless --convert-to``; the files it wrote into ``out_dir``."""
    program = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    before = set(out_dir.iterdir())
    command = [program, "--headless", "--norestore", f"-env:UserInstallation={_user_profile()}",
               "--convert-to", target_format, "--outdir", str(out_dir)]
    if infilter:
        command.append(f"--infilter={infilter}")
    command.append(str(source))
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    written = sorted(set(out_dir.iterdir()) - before)
    if done.returncode != 0 or not written:
        pytest.fail(f"soffice could not convert {source.name} to {target_format} (exit {done.returncode}):\n"
                    f"{done.stdout}\n{done.stderr}")
    return written


def workbook_to_csvs(workbook: Path, out_dir: Path, *, as_shown: bool = False) -> dict[str, Path]:
    """Every sheet of ``workbook`` as LibreOffice saves it to CSV (UTF-8), by sheet name; ``as_shown`` writes
    each cell as the sheet displays it (amounts with separators, dates in their format)."""
    files = convert(workbook, CSV_OUT.format(shown="true" if as_shown else "false"), out_dir)
    prefix = f"{workbook.stem}-"
    return {path.stem[len(prefix):]: path for path in files if path.stem.startswith(prefix)}


def csv_to_workbook(csv_file: Path, out_dir: Path) -> Path:
    """A CSV file opened by LibreOffice as a person would (formulas evaluated) and saved as .xlsx."""
    [written] = convert(csv_file, "xlsx", out_dir, infilter=CSV_IN)
    return written
