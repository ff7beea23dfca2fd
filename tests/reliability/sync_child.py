"""Child process for the kill tests: one sync of a laptop store against the server, until done or killed.

Usage: python -m tests.reliability.sync_child DATA_DIR BASE_URL PUSH_BATCH PULL_PAGE  (the token on standard input)

Prints ``ready`` once the store is open, ``push N`` / ``pull N`` as each step is kept, and ``done`` with the
report's figures at the end.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from consultant_app.store import Store
from consultant_app.sync.client import sync
from tests.reliability.helpers import PagedClient


def main() -> None:
    data_dir, base_url, push_batch, pull_page = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    token = sys.stdin.readline().strip()
    store = Store.open(data_dir, actor="child")
    print("ready", flush=True)

    def progress(phase: str, done: int, _total: int) -> None:
        print(phase, done, flush=True)

    with PagedClient(base_url, token, retries=3, backoff=0.05, pull_page=pull_page) as client:
        report = sync(store, client, progress=progress, push_batch=push_batch)
    store.close()
    print("done", json.dumps({"pushed": report.pushed, "applied": report.applied, "pulled": report.pulled,
                              "cursor": report.cursor, "broken": len(report.broken_links)}), flush=True)


if __name__ == "__main__":
    main()
