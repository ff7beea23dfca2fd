"""The sync benchmark still runs (at a tiny scale, no timings asserted), so it can't rot."""

from __future__ import annotations

from tests.benchmarks import bench_sync, run


def test_the_sync_benchmark_runs_at_a_tiny_scale(capsys):
    figures = bench_sync.main(scale=0.01)
    assert figures["kpi_rows"] == 2 * bench_sync.YEARS * bench_sync.KPIS
    assert figures["push_ops"] == 100 and figures["push_s"] > 0
    assert "the server in its own process" in capsys.readouterr().out
    assert "sync" in run.discover()
