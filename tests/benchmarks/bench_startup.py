"""Start-up benchmark: process start → the main window's first paint, the real app against a bare QMainWindow.

Each run is a new process (``startup_probe.py``, offscreen) timed from the moment this process starts it to the
moment the probe has handled the window's first paint; the two kinds alternate so drift hits both alike. When
``dist/consultant-app`` has been built, the frozen ``--self-test`` is timed beside the one from source: its
"window ... after start" is process start → main window exposed, on a new store.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from consultant_app.demo import load_demo
from consultant_app.store import Store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROBE = HERE / "startup_probe.py"
BUNDLE = ROOT / "dist" / "consultant-app" / ("consultant-app.exe" if os.name == "nt" else "consultant-app")
RUNS = 7
AIM_RATIO = 2.0
TIMEOUT_S = 120
WINDOW_LINE = re.compile(r"window: ([0-9.]+) s after start")


def child_env() -> dict[str, str]:
    """Offscreen, and this checkout's consultant_app first on the path."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def probe(*args: str) -> dict[str, float]:
    """One probe process; its figures plus ``since_spawn`` (seconds from starting it to its report)."""
    started = time.time()
    done = subprocess.run([sys.executable, str(PROBE), *args], check=False, capture_output=True, text=True,
                          timeout=TIMEOUT_S, env=child_env(), cwd=ROOT)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"startup probe {args[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    figures = json.loads(lines[-1])
    figures["since_spawn"] = figures["wall"] - started
    return figures


def self_test(command: list[str]) -> tuple[float, float | None]:
    """Seconds for the whole ``--self-test`` and, where the platform tells, process start → window shown."""
    started = time.perf_counter()
    done = subprocess.run([*command, "--self-test"], check=False, capture_output=True, text=True,
                          timeout=TIMEOUT_S, env=child_env(), cwd=ROOT)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} --self-test failed: {(done.stderr or done.stdout).strip()[-500:]}")
    window = WINDOW_LINE.search(done.stdout)
    return elapsed, float(window.group(1)) if window else None


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def _row(label: str, runs: list[dict[str, float]]) -> str:
    spawn = [r["since_spawn"] for r in runs]
    return (f"  {label:<28} median {statistics.median(spawn):6.3f} s  (min {min(spawn):.3f}, max {max(spawn):.3f}; "
            f"from the script's first line {statistics.median(r['since_script'] for r in runs):.3f} s; "
            f"{int(statistics.median(r['modules'] for r in runs))} modules)")


def main(scale: float = 1.0) -> dict[str, float]:
    """Time both probes (and the self-tests) a few times; print and return the medians."""
    runs = max(3, round(RUNS * scale))
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as temporary:
        data_dir = Path(temporary) / "data"
        store = Store.open(data_dir, actor="bench")
        try:
            load_demo(store)
        finally:
            store.close()
        probe("bare"), probe("app", str(data_dir))  # warm-up: disk cache, the app's settings file
        bare, app = [], []
        for _ in range(runs):
            bare.append(probe("bare"))
            app.append(probe("app", str(data_dir)))
    bare_s = statistics.median(r["since_spawn"] for r in bare)
    app_s = statistics.median(r["since_spawn"] for r in app)
    figures = {"runs": runs, "bare_s": bare_s, "app_s": app_s, "ratio": app_s / bare_s}
    print(f"startup: process start → main window's first paint, offscreen, {runs} runs each (demo store, "
          f"{sys.executable})")
    print(_row("bare QMainWindow", bare))
    print(_row("consultant-app", app))
    verdict = "ok" if figures["ratio"] <= AIM_RATIO else "OVER THE AIM"
    print(f"  ratio {figures['ratio']:.1f}× (aim ≤ {AIM_RATIO:.0f}×): {verdict}")

    commands = {"source": [sys.executable, "-m", "consultant_app"]}
    if BUNDLE.is_file():
        commands["frozen"] = [str(BUNDLE)]
    else:
        print(f"  (no bundle at {BUNDLE.relative_to(ROOT)}: build it with `pyinstaller --noconfirm build.spec` "
              "to time the frozen start too)")
    for kind, command in commands.items():
        self_test(command)  # warm-up
        results = [self_test(command) for _ in range(max(3, round(5 * scale)))]
        total, window = _median([r[0] for r in results]), _median([r[1] for r in results])
        figures[f"{kind}_self_test_s"] = total
        shown = f"; window shown {window:.2f} s after process start" if window is not None else ""
        if window is not None:
            figures[f"{kind}_window_s"] = window
        print(f"  --self-test, {kind:<6} median {total:6.3f} s in all{shown}")
    return figures


if __name__ == "__main__":
    main()
