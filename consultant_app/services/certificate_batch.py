"""Certificates for many engagements at once: rendered in worker processes, one file each, optionally merged."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from consultant_app.domain.certificate import (
    CertificateSource,
    CertificateView,
    Missing,
    build_certificate,
    certificate_file_name,
)
from consultant_app.domain.kpi import KpiCatalogue, default_catalogue
from consultant_app.errors import AppError
from consultant_app.files import write_atomically
from consultant_app.services.certificates import CertificateFilter, certificate_sources, eligibility
from consultant_app.store import Store

Progress = Callable[[int, int], None]
CHUNK = 8  # certificates per task sent to a worker: enough to hide the pickling, small enough to cancel quickly
IN_PROCESS_BELOW = 6  # fewer certificates than this are rendered here: starting workers would cost more


@dataclass
class BatchResult:
    """What a batch wrote, what it skipped and why, and whether it was cancelled."""

    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[CertificateSource, list[Missing]]] = field(default_factory=list)
    merged: Path | None = None
    cancelled: bool = False


def default_workers() -> int:
    """One worker per core, at most four (the renderer is CPU-bound)."""
    return max(1, min(os.cpu_count() or 1, 4))


def _unique_paths(views: list[CertificateView], out_dir: Path) -> list[Path]:
    # Two companies with the same name in the same year still get their own file (the number tells them apart,
    # but a name cut to the length limit might not).
    taken: set[str] = set()
    paths = []
    for view in views:
        name = certificate_file_name(view.source)
        stem, suffix, counter = name[:-4], ".pdf", 2
        while name.casefold() in taken:
            name = f"{stem} ({counter}){suffix}"
            counter += 1
        taken.add(name.casefold())
        paths.append(out_dir / name)
    return paths


def render_chunk(jobs: list[tuple[CertificateView, str]]) -> list[str]:
    """Render and write each (view, path); runs in a worker process."""
    from consultant_app.reports.certificate_pdf import render_certificate

    for view, path in jobs:
        write_atomically(Path(path), render_certificate(view))
    return [path for _, path in jobs]


def _warm_up() -> None:
    # Each worker registers the font once, before its first certificate.
    from consultant_app.reports.fonts import register_fonts

    register_fonts()


def export_certificates(store: Store, out_dir: Path, *, certificate_filter: CertificateFilter = CertificateFilter(),
                        merged: Path | None = None, workers: int | None = None, printed_on: date | None = None,
                        progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                        catalogue: KpiCatalogue | None = None) -> BatchResult:
    """Write a certificate for every eligible engagement matching the filter into ``out_dir``."""
    catalogue = catalogue or default_catalogue()
    is_cancelled = cancelled or (lambda: False)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with store.session() as session:
        sources = [s for s in certificate_sources(session=session, catalogue=catalogue)
                   if certificate_filter.matches(s)]
    result = BatchResult()
    views = []
    today = printed_on or date.today()
    for source, missing in eligibility(sources, catalogue):
        if missing:
            result.skipped.append((source, missing))
        else:
            views.append(build_certificate(source, catalogue, printed_on=today))
    jobs = list(zip(views, (str(p) for p in _unique_paths(views, out_dir))))
    total = len(jobs) + (len(jobs) if merged else 0)
    report = progress or (lambda _done, _total: None)
    report(0, total)
    try:
        done = _render(jobs, workers=workers or default_workers(), cancelled=is_cancelled,
                       on_done=lambda n: report(n, total))
    except BrokenProcessPool as exc:
        raise AppError("확인서를 만드는 작업 프로세스가 비정상적으로 끝났습니다. 이미 저장된 파일은 온전합니다. 다시 시도하세요.",
                       "A worker process making certificates ended abnormally. Files already written are whole; "
                       "try again.") from exc
    result.written = [Path(p) for p in done]
    if len(done) < len(jobs):
        result.cancelled = True
        return result
    if merged is not None and jobs:
        result.merged = merge_pdfs([Path(path) for _, path in jobs], merged, cancelled=is_cancelled,
                                   on_done=lambda n: report(len(jobs) + n, total))
        result.cancelled = result.merged is None
    return result


def _render(jobs: list[tuple[CertificateView, str]], *, workers: int, cancelled: Callable[[], bool],
            on_done: Callable[[int], None]) -> list[str]:
    """Render every job (in order of completion); stops early when cancelled. Returns the paths written."""
    written: list[str] = []
    chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    if workers <= 1 or len(jobs) < IN_PROCESS_BELOW:
        for chunk in chunks:
            if cancelled():
                break
            written += render_chunk(chunk)
            on_done(len(written))
        return written
    # "spawn", not fork: forking a process that runs Qt's threads (the GUI) can deadlock the child.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm_up) as pool:
        pending: set[Future] = set()
        queue = iter(chunks)

        def fill() -> None:
            # At most two chunks waiting per worker: a cancel drops the rest without rendering them.
            while len(pending) < 2 * workers and not cancelled():
                chunk = next(queue, None)
                if chunk is None:
                    return
                pending.add(pool.submit(render_chunk, chunk))

        fill()
        while pending:
            finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                pending.discard(future)
                written += future.result()
                on_done(len(written))
            if cancelled():
                for future in pending:
                    future.cancel()
                finished, _ = wait(pending)  # chunks already running finish their files
                written += [p for f in finished if not f.cancelled() for p in f.result()]
                break
            fill()
    return written


class MergeFailed(AppError):
    """The merged file could not be written."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"합친 PDF를 저장하지 못했습니다: {path} ({reason})",
                         f"The merged PDF could not be written: {path} ({reason})")


def merge_pdfs(files: list[Path], destination: Path, *, cancelled: Callable[[], bool] | None = None,
               on_done: Callable[[int], None] | None = None) -> Path | None:
    """One PDF of ``files`` in order, for printing; None when cancelled (nothing written)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for index, path in enumerate(files, start=1):
        if cancelled and cancelled():
            return None
        writer.append(str(path))
        if on_done:
            on_done(index)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    try:
        with partial.open("wb") as handle:
            writer.write(handle)
        os.replace(partial, destination)
    except OSError as exc:
        raise MergeFailed(destination, exc.strerror or str(exc)) from exc
    return destination
