"""Long imports report progress and can be cancelled at any point, writing nothing."""

from __future__ import annotations

import pytest

from consultant_app.io import ImportCancelled, import_path
from consultant_app.store import Store
from tests.benchmarks.programme import generate
from tests.io.sample import counts, sample, write_csvs


@pytest.fixture
def programme(tmp_path):
    """Enough rows (~4,000) that progress and the cancel flag are consulted many times."""
    folder = tmp_path / "programme"
    generate(folder, 600, seed=7)
    return folder


def test_cancelled_before_anything_writes_nothing(store, tmp_path):
    before = counts(store)
    with pytest.raises(ImportCancelled) as caught:
        import_path(store, write_csvs(tmp_path / "files", sample()), cancelled=lambda: True)
    assert caught.value.message("en") and caught.value.message("ko")
    assert counts(store) == before


def test_progress_rises_to_the_total(store, programme):
    seen = []
    import_path(store, programme, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) > 3
    totals = {total for _, total in seen}
    assert len(totals) == 1
    dones = [done for done, _ in seen]
    assert dones == sorted(dones) and dones[-1] == seen[-1][1]


class CancelAt:
    """A cancel flag that turns true at its n-th reading."""

    def __init__(self, call: int):
        self.call = call
        self.calls = 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.calls >= self.call


def test_a_cancel_at_any_check_writes_nothing(tmp_path, programme):
    never = CancelAt(10**9)
    with Store.open(tmp_path / "counting", actor="tester") as store:
        import_path(store, programme, cancelled=never)
    checks = never.calls
    assert checks > 3
    # The first check is while reading, the middle ones while checking rows, the last inside the write
    # transaction after every row went in: it must all roll back.
    for stop_at in sorted({1, checks // 2, checks - 1, checks}):
        with Store.open(tmp_path / f"store-{stop_at}", actor="tester") as store:
            before = counts(store)
            with pytest.raises(ImportCancelled):
                import_path(store, programme, cancelled=CancelAt(stop_at))
            assert counts(store) == before
            assert import_path(store, programme).created["kpi_measurements"] == 2400  # and nothing is left locked
