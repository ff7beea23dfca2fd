"""Run the benchmarks: ``python tests/benchmarks/run.py [--scale X] [names...]`` from the repository root."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``tests.benchmarks`` and ``consultant_app`` importable
    sys.path.insert(0, str(ROOT))


def discover() -> dict[str, str]:
    """Benchmark names (``import`` for ``bench_import.py``) and their modules."""
    return {path.stem.removeprefix("bench_"): f"tests.benchmarks.{path.stem}"
            for path in sorted(HERE.glob("bench_*.py"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the benchmarks in tests/benchmarks/.")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1.0)")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all), e.g. import")
    args = parser.parse_args(argv)
    available = discover()
    unknown = [n for n in args.names if n.removeprefix("bench_") not in available]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; available: {', '.join(available)}")
    chosen = [n.removeprefix("bench_") for n in args.names] or list(available)
    for name in chosen:
        print(f"== {name} (scale {args.scale:g})")
        started = time.perf_counter()
        importlib.import_module(available[name]).main(scale=args.scale)
        print(f"== {name}: {time.perf_counter() - started:.1f} s in all\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
