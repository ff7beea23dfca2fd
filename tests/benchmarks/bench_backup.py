"""Backup benchmark: a whole archive (database + attachments, digests, fsync) and its checked restore, against a
bare ``shutil.copytree`` of the same data folder measured in the same run (and the copy fsynced file by file).

Three stores: the demo programme alone, with a few photos, and with about 200 MB of photos (random bytes, like
JPEGs they don't compress). ``copytree`` neither hashes nor fsyncs; the archive does both, so the ratio is what
checking and durability cost. Also the automatic archive at quit when nothing changed (it only compares stats).
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from consultant_app.demo import load_demo
from consultant_app.store import Store
from consultant_app.store.archive import automatic_archive, free_archive_path, write_archive
from consultant_app.store.attachments import add_attachment
from consultant_app.store.models import Engagement
from consultant_app.store.restore import restore_archive

RUNS = 3
PHOTO_BYTES = 2_500_000
LARGE_MB = 200
DEMO_PHOTOS = 8
AIM_RATIO = 3.0


def _store(folder: Path, photos: int, seed: int = 7) -> Path:
    """The demo programme with ``photos`` photo-like files as evidence; returns the data folder."""
    from sqlmodel import select

    rng = random.Random(seed)
    with Store.open(folder, actor="bench") as store:
        load_demo(store)
        with store.session() as session:
            engagements = session.exec(select(Engagement.id)).all()
        incoming = folder.parent / f"{folder.name}-photos"
        incoming.mkdir()
        with store.transaction() as db:
            for number in range(photos):
                photo = incoming / f"photo-{number}.jpg"
                photo.write_bytes(rng.randbytes(PHOTO_BYTES))
                add_attachment(db, store.attachments_dir, photo, engagement_id=engagements[number % len(engagements)])
        shutil.rmtree(incoming)
    return folder


def _median(work: Callable[[int], object], runs: int = RUNS) -> float:
    times = []
    for run in range(runs):
        started = time.perf_counter()
        work(run)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _copy_and_sync(source: Path, target: Path) -> None:
    """copytree, then fsync every file: the bare copy made as durable as the archive."""
    import os

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups", "*.sqlite3-shm"))
    for path in target.rglob("*"):
        if path.is_file():
            descriptor = os.open(path, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(root: Path, name: str, photos: int) -> dict[str, float]:
    """Archive, copytree and restore of one store, each the median of RUNS, in alternating order."""
    data = _store(root / f"{name}-data", photos)
    out = root / f"{name}-out"
    out.mkdir()
    copied = _median(lambda run: shutil.copytree(data, out / f"copy-{run}",
                                                 ignore=shutil.ignore_patterns("backups", "*.sqlite3-shm")))
    synced = _median(lambda run: _copy_and_sync(data, out / f"synced-{run}"))
    archives: list[Path] = []
    archived = _median(lambda run: archives.append(write_archive(data, free_archive_path(out / f"zip-{run}")).path))
    restored = _median(lambda run: restore_archive(archives[0], root / f"{name}-restored-{run}"))
    automatic_archive(data, reason="quit")
    unchanged = _median(lambda _run: automatic_archive(data, reason="quit"))
    folder_bytes = _size(data) - _size(data / "backups")
    figures = {"folder_mb": folder_bytes / 1e6, "archive_mb": archives[0].stat().st_size / 1e6,
               "copytree_s": copied, "copytree_fsync_s": synced, "archive_s": archived, "restore_s": restored,
               "quit_unchanged_s": unchanged,
               "archive_ratio": archived / copied, "archive_ratio_fsync": archived / synced,
               "restore_ratio": restored / copied}
    print(f"  {name}: data folder {figures['folder_mb']:,.1f} MB ({photos} photos), archive "
          f"{figures['archive_mb']:,.1f} MB")
    print(f"    bare copytree        {copied:7.3f} s")
    print(f"    copytree + fsync     {synced:7.3f} s")
    print(f"    archive              {archived:7.3f} s  ratio {figures['archive_ratio']:.1f}× copytree, "
          f"{figures['archive_ratio_fsync']:.1f}× copytree + fsync (aim ≤ {AIM_RATIO:g}×: "
          f"{'met' if figures['archive_ratio_fsync'] <= AIM_RATIO else 'NOT met'})")
    print(f"    checked restore      {restored:7.3f} s  ratio {figures['restore_ratio']:.1f}× copytree")
    print(f"    quit, nothing changed {unchanged * 1000:6.2f} ms")
    return figures


def main(scale: float = 1.0) -> dict[str, dict[str, float]]:
    """The demo store alone, with a few photos, then with ~200 MB of photos (× scale); print and return them."""
    large = max(2, round(LARGE_MB * 1e6 * scale / PHOTO_BYTES))
    print(f"backup: median of {RUNS}, archive (SHA-256, ZIP64, fsync) against shutil.copytree of the same folder")
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as temporary:
        root = Path(temporary)
        return {"demo": measure(root, "demo", 0), "demo+photos": measure(root, "demo+photos", DEMO_PHOTOS),
                "large": measure(root, "large", large)}


if __name__ == "__main__":
    main()
