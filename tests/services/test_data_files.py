"""The GUI's import/export/backup work without Qt: own stores, manual backup names, the backup list."""

from __future__ import annotations

import threading

from consultant_app.services.data_files import (
    back_up_now,
    export_from_own_store,
    import_in_own_store,
    live_row_counts,
)
from consultant_app.store.backup import automatic_backup, list_backups, manual_backup_path
from tests.io.sample import counts, sample, write_csvs


def test_import_and_export_run_on_another_thread_through_their_own_store(store, tmp_path):
    results = {}

    def work():
        result = import_in_own_store(store.data_dir, write_csvs(tmp_path / "in", sample()), actor=store.actor)
        results["import"] = result
        results["export"] = export_from_own_store(store.data_dir, tmp_path / "out", actor=store.actor)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert results["import"].created["companies"] == 2
    assert results["export"]["companies"] == 2
    with store.session() as session:  # the GUI's store sees what the worker wrote
        assert live_row_counts(session=session)["companies"] == 2


def test_manual_backups_are_named_apart_and_never_overwrite(store):
    first = back_up_now(store.path, store.backups_dir)
    second = back_up_now(store.path, store.backups_dir)
    assert first.name.startswith("manual-consultant-") and first != second
    assert manual_backup_path(store.path, store.backups_dir) not in (first, second)
    assert counts(store)["companies"] == 0  # a backup reads only


def test_the_backup_list_shows_newest_first_with_kind_and_size(store):
    automatic = automatic_backup(store.path, store.backups_dir, "before-restore")
    manual = back_up_now(store.path, store.backups_dir)
    (store.backups_dir / "notes.txt").write_text("not a backup")
    listed = list_backups(store.backups_dir)
    assert [b.path for b in listed] == [manual, automatic]
    assert [b.kind for b in listed] == ["manual", "before-restore"]
    assert all(b.size == b.path.stat().st_size > 0 for b in listed)
    assert list_backups(store.data_dir / "missing") == []
