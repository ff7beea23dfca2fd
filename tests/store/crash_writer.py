"""Child process for the crash test: writes to the store in a loop until it is killed.

Usage: python crash_writer.py DATA_DIR ROUND

Each loop is one transaction through ``Store.transaction()``: a new company and its engagement, plus an update
of the previous company. Only after the commit returns does it print ``<company id> <engagement id>`` and flush,
so every printed line is a promise that those rows are durable.
"""

from __future__ import annotations

import sys
from pathlib import Path

from consultant_app.store import Store
from consultant_app.store.models import Company, Engagement


def main() -> None:
    data_dir, round_number = Path(sys.argv[1]), int(sys.argv[2])
    store = Store.open(data_dir, actor=f"crash-writer-{round_number}")
    print("ready", flush=True)
    previous_id = None
    index = 0
    while True:
        company = Company(business_no=f"{round_number:03d}{index:07d}", name=f"충돌시험 {round_number}-{index}",
                          region="경남 창원", employees=index)
        engagement = Engagement(company_id=company.id, year=1 + index % 4, phase=1, support_krw=30_000_000)
        with store.transaction() as db:
            db.add_all([company, engagement])
            if previous_id is not None:
                db.get(Company, previous_id).region = "부산"
        print(company.id, engagement.id, flush=True)
        previous_id = company.id
        index += 1


if __name__ == "__main__":
    main()
