"""The import benchmark still runs (at a tiny scale, no timings asserted), so it can't rot."""

from __future__ import annotations

from tests.benchmarks import bench_import, run
from tests.benchmarks.programme import generate


def test_the_import_benchmark_runs_at_a_tiny_scale(capsys):
    figures = bench_import.main(scale=0.002)
    assert figures["engagements"] == 20 and figures["kpi_rows"] == 80
    assert figures["problems"] == 0
    assert figures["journal_rows"] == 2 * figures["data_rows"]
    assert "import_path" in capsys.readouterr().out


def test_the_runner_finds_the_benchmarks():
    assert "import" in run.discover()


def test_the_generated_programme_is_deterministic(tmp_path):
    first = generate(tmp_path / "a", 50, seed=11)
    second = generate(tmp_path / "b", 50, seed=11)
    assert first == second and first.engagements == 50 and first.kpis == 200
    for name in ("companies", "engagements", "kpis", "surveys"):
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (tmp_path / "b" / f"{name}.csv").read_bytes()
