"""How both command lines (consultant-app, consultant-central) report a failed command: one clear line per
problem on stderr in the user's language and exit 1; an unexpected error also goes, with its traceback, to a log."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from consultant_app.errors import AppError, local_fault, short_text

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130
Explain = Callable[[BaseException], "list[str] | None"]  # a program's own errors as lines, None: not one of them


def run_reporting_errors(run: Callable[[], int], *, lang: str, program: str, log_path: Callable[[], Path | None],
                         explain: Explain | None = None) -> int:
    """``run()``'s exit code; any error is reported as lines on stderr (never a traceback) and gives 1."""
    def t(ko: str, en: str) -> str:
        return en if lang == "en" else ko

    try:
        return run()
    except KeyboardInterrupt:
        _err(t("중단했습니다.", "Interrupted."))
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into ``head`` and the like: nothing left to tell
        sys.stdout = open(os.devnull, "w")
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - every error ends as a message
        lines = (explain(exc) if explain else None) or _known(exc, lang)
        if lines is None:
            log = _log_traceback(log_path, program)
            where = t(f" 자세한 내용: {log}", f" Details: {log}") if log else ""
            lines = [t(f"예기치 않은 오류: {short_text(exc)}.{where}", f"Unexpected error: {short_text(exc)}.{where}")]
        for line in lines:
            _err(line)
        return EXIT_ERROR


def _known(exc: BaseException, lang: str) -> list[str] | None:
    if isinstance(exc, AppError):
        return [exc.message(lang)]
    fault = local_fault(exc)  # a read-only folder or a full disk, wrapped by SQLAlchemy or not
    if fault is not None:
        return [fault.message(lang)]
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        ko = f"파일 작업에 실패했습니다: {where}{exc.strerror or exc}"
        en = f"A file operation failed: {where}{exc.strerror or exc}"
        return [en if lang == "en" else ko]
    return None


def _log_traceback(log_path: Callable[[], Path | None], program: str) -> Path | None:
    """Append the current exception's traceback to the program's log; None when it cannot be written."""
    try:
        log = log_path()
        if log is None:
            return None
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat(timespec='seconds')} {program} "
                         f"{' '.join(sys.argv[1:])}\n{traceback.format_exc()}\n")
    except (OSError, AppError):
        return None
    return log


def _err(line: str) -> None:
    print(line, file=sys.stderr)
