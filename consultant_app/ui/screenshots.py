"""Render every main page, in Korean and English, from the real app with the demo data.

    python -m consultant_app.ui.screenshots OUTDIR
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

WINDOW_SIZE = (1366, 820)


def _settle(app, tasks, rounds: int = 30) -> None:
    """Let queued signals, background results (the app's task pool) and layouts land."""
    for _ in range(rounds):
        app.processEvents()
        tasks.wait(20)
    while tasks.active:  # a result may start a follow-up task
        tasks.wait(50)
        app.processEvents()
    app.processEvents()


def render_all(out_dir: Path) -> list[Path]:
    """Write one PNG per page and workspace tab and language; returns the files."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from consultant_app.demo import load_demo
    from consultant_app.store import Store
    from consultant_app.ui.app import Controller, application
    from consultant_app.ui.main_window import PAGES
    from consultant_app.ui.pages.workspace import TABS

    out_dir.mkdir(parents=True, exist_ok=True)
    app = application()
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        store = Store.open(data_dir, actor="demo")
        load_demo(store)
        with store.session() as session:
            from sqlmodel import select

            from consultant_app.store.models import Company

            company_id = session.exec(select(Company.id).order_by(Company.name)).first()
        controller = Controller(store, data_dir)
        for lang in ("ko", "en"):
            controller.switch_language(lang)
            window = controller.window
            window.resize(*WINDOW_SIZE)
            window.show()
            for spec in PAGES:
                if spec.key == "workspace":
                    window.open_company(company_id)
                    workspace = window.page("workspace")
                    for index, (key, _title, _target) in enumerate(TABS):
                        workspace.tabs.setCurrentIndex(index)
                        _settle(app, controller.tasks, 60)
                        path = out_dir / f"{lang}-workspace-{key}.png"
                        window.grab().save(str(path))
                        written.append(path)
                    continue
                window.show_page(spec.key)
                _settle(app, controller.tasks, 60)
                path = out_dir / f"{lang}-{spec.key}.png"
                window.grab().save(str(path))
                written.append(path)
        controller.window.close_confirmed()
        controller.shutdown()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m consultant_app.ui.screenshots OUTDIR", file=sys.stderr)
        return 2
    for path in render_all(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
