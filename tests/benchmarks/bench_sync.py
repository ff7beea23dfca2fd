"""Sync benchmark, through the real server and the real client. The server runs in a process of its own, as the
office's does on another machine (uvicorn on loopback, a SQLite server database); the bare endpoints are served by
that same process, so both sides of each ratio share one setup.

- First full pull of 200 companies with 20,000 KPI rows (``sync`` on an empty laptop) against a bare endpoint
  serving the same rows as JSON, fetched with httpx in pages of the same size (and, to show
  the laptop's share, the bare fetch plus raw ``executemany`` of the rows into an empty laptop file).
- A sync with nothing to do: the median of several.
- 5,000 ops pushed in one sync: seconds and ops/s, against a bare endpoint that writes the same rows with one
  ``executemany`` per table per batch.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import insert, select, update
from sqlmodel import SQLModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from central_server.app import create_app
from central_server.changes import record_changes
from central_server.config import Settings
from central_server.db import make_engine, write_transaction
from central_server.migrate import upgrade_database
from central_server.schema import assignments, row_meta
from central_server.users import add_user, require_user
from consultant_app.domain.kpi import default_catalogue
from consultant_app.store import Store
from consultant_app.store.journal import CREATE, Change
from consultant_app.store.models import PULLED_TABLES, SYNCED_TABLES, KpiMeasurement, new_id, utc_now
from consultant_app.sync.client import PULL_PAGE, PUSH_BATCH, CentralClient, sync
from consultant_app.sync.local import outgoing_ops
from consultant_app.sync.wire import PushRequest, from_wire, to_wire
from tests.reliability.helpers import (
    business_number,
    edit_rows,
    kpi_values,
    write_programme,
)

COMPANIES = 200
YEARS = 10  # engagements per company
KPIS = 10  # per engagement: 200 × 10 × 10 = 20,000 KPI rows
PUSH_OPS = 5_000
NOOP_RUNS = 15
PULL_RUNS = 3
AIM_PULL_RATIO = 3.0
AIM_NOOP_MS = 100.0
PASSWORD = "benchmark pass 1"
ID_CHUNK = 500
ROOT = Path(__file__).resolve().parents[2]


# -- the bare endpoints: the same rows as JSON, and the same ops written with executemany

def bare_routes(engine, push_engine) -> list[Route]:
    """The bare pull and push, with no token, scope, journal or checks."""

    def pull(request: Request) -> Response:
        after, limit = int(request.query_params["after"]), int(request.query_params["limit"])
        with engine.connect() as connection:
            listed = connection.execute(select(row_meta.c.entity, row_meta.c.row_id, row_meta.c.seq)
                                        .where(row_meta.c.seq > after).order_by(row_meta.c.seq).limit(limit)).all()
            by_entity = defaultdict(list)
            for entity, row_id, _ in listed:
                by_entity[entity].append(row_id)
            rows, columns = {}, {}
            for entity, ids in by_entity.items():
                table = PULLED_TABLES[entity].__table__
                columns[entity] = [column.name for column in table.columns]
                for start in range(0, len(ids), ID_CHUNK):
                    for found in connection.execute(select(table).where(table.c.id.in_(ids[start:start + ID_CHUNK]))):
                        rows[(entity, found.id)] = [to_wire(v) for v in found]
        page = [[entity, seq, rows[(entity, row_id)]] for entity, row_id, seq in listed]
        body = json.dumps({"columns": columns, "rows": page, "cursor": listed[-1][2] if listed else after,
                           "more": len(listed) == limit}, ensure_ascii=False)
        return Response(body, media_type="application/json")

    async def push(request: Request) -> Response:
        ops = json.loads(await request.body())["ops"]
        creates, updates = defaultdict(list), []
        for op in ops:
            values = from_wire(op["entity"], {k: v[1] for k, v in op["changes"].items()})
            if op["action"] == "create":
                creates[op["entity"]].append({**values, "id": op["row_id"], "created_at": utc_now(),
                                              "updated_at": utc_now(), "version": 1})
            else:
                updates.append((op["entity"], op["row_id"], values))
        with write_transaction(push_engine) as connection:
            for entity, rows in creates.items():
                connection.execute(insert(SYNCED_TABLES[entity].__table__), rows)
            for entity, row_id, values in updates:
                table = SYNCED_TABLES[entity].__table__
                connection.execute(update(table).where(table.c.id == row_id).values(**values))
        return Response(json.dumps({"written": len(ops)}), media_type="application/json")

    return [Route("/bare/pull", pull), Route("/bare/push", push, methods=["POST"])]


def serve_office(central_dir: str, bare_push_dir: str, fd: int) -> None:
    """The office's app with the bare routes beside it, on the listening socket ``fd`` (in its own process)."""
    settings = Settings(data_dir=Path(central_dir))
    app = create_app(settings)
    push_engine = make_engine(Settings(data_dir=Path(bare_push_dir)))
    app.router.routes.extend(bare_routes(app.state.engine, push_engine))
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[socket.socket(fileno=fd)])


@contextmanager
def office_process(central_dir: Path, bare_push_dir: Path) -> Iterator[str]:
    """The office served by a process of its own until the block ends; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    child = subprocess.Popen([sys.executable, "-c", "import sys; from tests.benchmarks.bench_sync import "
                              "serve_office; serve_office(*sys.argv[1:3], int(sys.argv[3]))",
                              str(central_dir), str(bare_push_dir), str(sock.fileno())],
                             pass_fds=[sock.fileno()], cwd=ROOT)
    sock.close()  # the child has it
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the benchmark's server did not start")
            time.sleep(0.05)
        yield url
    finally:
        child.terminate()
        child.wait(timeout=30)


def bare_fetch(http: httpx.Client, page: int, store_file: Path | None = None) -> int:
    """Fetch every page of the bare endpoint; with ``store_file``, write each page there (raw executemany, one
    transaction per page, the cursor with it)."""
    connection = None
    if store_file is not None:
        connection = sqlite3.connect(store_file, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=OFF"):
            connection.execute(f"PRAGMA {pragma}")
    after, fetched = 0, 0
    try:
        while True:
            body = http.get("/bare/pull", params={"after": after, "limit": page}).json()
            fetched += len(body["rows"])
            if connection is not None:
                by_entity = defaultdict(list)
                for entity, _seq, row in body["rows"]:
                    by_entity[entity].append(row)
                connection.execute("BEGIN")
                for entity, rows in by_entity.items():
                    names = body["columns"][entity]
                    connection.executemany(f"INSERT OR REPLACE INTO {entity} ({', '.join(names)}) "
                                           f"VALUES ({','.join('?' * len(names))})", rows)
                connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('bare.cursor', ?)",
                                   (str(body["cursor"]),))
                connection.execute("COMMIT")
            after = body["cursor"]
            if not body["more"]:
                return fetched
    finally:
        if connection is not None:
            connection.close()


# -- data

def seed_server(engine, username: str, companies: int, years: int, kpis: int) -> dict[str, int]:
    """The programme written straight into the server database, journalled by the server's own record_changes
    (setting up the benchmark: 22,000 pushed ops would take minutes) and assigned to ``username``."""
    import random

    rng = random.Random(2018)
    catalogue = list(default_catalogue())
    now = utc_now()
    bookkeeping = {"created_at": now, "updated_at": now, "version": 0, "deleted": False}
    sponsors = [{"id": new_id(), "name": name, **bookkeeping} for name in ("한빛전자", "대성자동차", "세진중공업")]
    rows = defaultdict(list, sponsors=sponsors)
    used: set[str] = set()
    for index in range(companies):
        company_id = new_id()
        rows["companies"].append({"id": company_id, "business_no": business_number(rng, used),
                                  "name": f"벤치마크 {index}", "representative": "김대표", "region": "경기",
                                  "industry": "금속가공", "manufacturing": True, "employees": rng.randint(5, 300),
                                  "supplier_tier": 2, "sponsor_id": rng.choice(sponsors)["id"],
                                  "growth_stage": None, **bookkeeping})
        for year in range(1, years + 1):
            start = date(2013, 3, 1) + timedelta(days=365 * (year - 1))
            engagement_id = new_id()
            rows["engagements"].append({"id": engagement_id, "company_id": company_id, "year": year, "phase": 1,
                                        "field": "productivity", "support_krw": 30_000_000, "start_date": start,
                                        "end_date": start + timedelta(days=200), "status": "completed",
                                        "consultant": "이컨설", **bookkeeping})
            for definition in rng.sample(catalogue, kpis):
                baseline, target, post = kpi_values(rng, definition)
                rows["kpi_measurements"].append({
                    "id": new_id(), "engagement_id": engagement_id, "kpi_code": definition.code,
                    "baseline": baseline, "baseline_date": start + timedelta(days=10), "baseline_numerator": None,
                    "baseline_denominator": None, "target": target, "post": post,
                    "post_date": start + timedelta(days=190), "post_numerator": None, "post_denominator": None,
                    "note": None, **bookkeeping})
    with write_transaction(engine) as connection:
        user = require_user(connection, username)
        changes = []
        for entity in ("sponsors", "companies", "engagements", "kpi_measurements"):
            connection.execute(insert(SYNCED_TABLES[entity].__table__), rows[entity])
            changes += [Change(entity, row["id"], CREATE, {}, 0) for row in rows[entity]]
        connection.execute(insert(assignments), [{"user_id": user.id, "company_id": row["id"], "assigned_at": now}
                                                 for row in rows["companies"]])
        record_changes(connection, changes, actor="bench")
    return {entity: len(found) for entity, found in rows.items()}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main(scale: float = 1.0) -> dict[str, float]:
    companies = max(2, round(COMPANIES * scale))
    push_ops = max(100, round(PUSH_OPS * scale))
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as temporary:
        root = Path(temporary)
        settings = Settings(data_dir=root / "central")  # the embedded default: a SQLite file
        engine = make_engine(settings)
        upgrade_database(engine, settings)
        with write_transaction(engine) as connection:
            add_user(connection, "kim", role="consultant", password=PASSWORD)
        started = time.perf_counter()
        seeded = seed_server(engine, "kim", companies, YEARS, KPIS)
        seed_seconds = time.perf_counter() - started
        engine.dispose()
        rows = sum(seeded.values())
        bare_push_engine = make_engine(Settings(data_dir=root / "bare-push"))
        SQLModel.metadata.create_all(bare_push_engine, tables=[m.__table__ for m in SYNCED_TABLES.values()])
        bare_push_engine.dispose()
        with office_process(settings.data_dir, root / "bare-push") as office_url:
            with CentralClient(office_url) as client:
                token = client.login("kim", PASSWORD)

            # First full pull: the real client on an empty laptop, then the bare endpoint, alternately.
            pulls, bare, bare_written = [], [], []
            for run in range(PULL_RUNS):
                store = Store.open(root / f"laptop-{run}", actor="bench")
                with CentralClient(office_url, token) as client:
                    started = time.perf_counter()
                    report = sync(store, client)
                    pulls.append(time.perf_counter() - started)
                assert report.pulled == rows and not report.broken_links, report
                store.close()
                with httpx.Client(base_url=office_url, timeout=60) as http:
                    started = time.perf_counter()
                    assert bare_fetch(http, PULL_PAGE) == rows
                    bare.append(time.perf_counter() - started)
                    empty = Store.open(root / f"bare-laptop-{run}", actor="bench")
                    empty.close()
                    started = time.perf_counter()
                    assert bare_fetch(http, PULL_PAGE, empty.path) == rows
                    bare_written.append(time.perf_counter() - started)
                with sqlite3.connect(empty.path) as check:
                    assert check.execute("SELECT count(*) FROM kpi_measurements").fetchone()[0] == \
                        seeded["kpi_measurements"]
            pull_s, bare_s, bare_written_s = (statistics.median(x) for x in (pulls, bare, bare_written))

            # A sync with nothing to do, on the laptop that has everything.
            store = Store.open(root / "laptop-0", actor="bench")
            noops = []
            with CentralClient(office_url, token) as client:
                sync(store, client)  # warm: the connection is open, as in a sync every few minutes
                for _ in range(NOOP_RUNS):
                    started = time.perf_counter()
                    report = sync(store, client)
                    noops.append(time.perf_counter() - started)
                    assert report.pushed == report.pulled == 0
            with httpx.Client(base_url=office_url, timeout=60) as http:
                http.get("/bare/pull", params={"after": 10**12, "limit": PULL_PAGE})
                bare_noops = []
                for _ in range(NOOP_RUNS):
                    started = time.perf_counter()
                    http.get("/bare/pull", params={"after": 10**12, "limit": PULL_PAGE}).json()
                    bare_noops.append(time.perf_counter() - started)
            store.close()
            noop_s, bare_noop_s = statistics.median(noops), statistics.median(bare_noops)

            # 5,000 ops pushed in one sync from a laptop of its own.
            pusher = Store.open(root / "pusher", actor="bench")
            per_company = 1 + 4 + 4 * 9 + 4 * 2  # company, 4 engagements, 9 KPIs and 2 visits each
            made = write_programme(pusher, companies=max(1, (push_ops - 3) // per_company), years=4, kpis=9,
                                   visits=2, seed=99, sponsors=("동방전기", "태광에너지", "서해조선"))
            extra = push_ops - made.rows
            while extra > 0:  # edits make up the rest (the same KPIs again at a tiny scale)
                extra -= edit_rows(pusher, KpiMeasurement, made.kpis[:extra],
                                   post=lambda row: round(row.post * 1.02, 2))
            ops = outgoing_ops(pusher, limit=10 * push_ops)
            assert len(ops) == push_ops
            phases: dict[str, float] = {}
            with CentralClient(office_url, token) as client:
                started = time.perf_counter()
                report = sync(pusher, client, progress=lambda phase, *_: phases.setdefault(phase, time.perf_counter()))
                sync_s = time.perf_counter() - started
            assert report.applied == push_ops, report
            push_s = phases.get("pull", started + sync_s) - started
            pusher.close()
            with httpx.Client(base_url=office_url, timeout=120) as http:
                started = time.perf_counter()
                for first in range(0, len(ops), PUSH_BATCH):
                    batch = PushRequest(device_id="bare", ops=ops[first:first + PUSH_BATCH])
                    http.post("/bare/push", content=batch.model_dump_json(),
                              headers={"Content-Type": "application/json"}).raise_for_status()
                bare_push_s = time.perf_counter() - started

    figures = {"rows": rows, "kpi_rows": seeded["kpi_measurements"], "seed_s": seed_seconds,
               "pull_s": pull_s, "bare_pull_s": bare_s, "bare_pull_written_s": bare_written_s,
               "pull_ratio": pull_s / bare_s, "pull_ratio_written": pull_s / bare_written_s,
               "noop_ms": noop_s * 1000, "bare_noop_ms": bare_noop_s * 1000, "noop_ratio": noop_s / bare_noop_s,
               "push_ops": push_ops, "push_s": push_s, "push_ops_per_s": push_ops / push_s, "sync_s": sync_s,
               "bare_push_s": bare_push_s, "push_ratio": push_s / bare_push_s}
    print(f"sync: the server in its own process (uvicorn on 127.0.0.1, SQLite database: the embedded default), "
          f"the real client; "
          f"pages of {PULL_PAGE} rows, push batches of {PUSH_BATCH} ops")
    print(f"  data: {seeded['companies']:,} companies, {seeded['engagements']:,} engagements, "
          f"{seeded['kpi_measurements']:,} KPI rows, {seeded['sponsors']} sponsors = {rows:,} rows "
          f"(written on the server in {seed_seconds:.1f} s)")
    print(f"  first full pull, sync() on an empty laptop   {pull_s:7.2f} s  {rows / pull_s:>9,.0f} rows/s "
          f"(median of {PULL_RUNS})")
    print(f"  bare endpoint, same rows as JSON, httpx       {bare_s:7.2f} s  {rows / bare_s:>9,.0f} rows/s  "
          f"ratio {figures['pull_ratio']:.1f}×" + (f" (aim ≤ {AIM_PULL_RATIO:.0f}×: "
          f"{'ok' if figures['pull_ratio'] <= AIM_PULL_RATIO else 'OVER'})" if scale >= 1.0 else ""))
    print(f"  bare endpoint + executemany into a laptop     {bare_written_s:7.2f} s  "
          f"{rows / bare_written_s:>9,.0f} rows/s  ratio {figures['pull_ratio_written']:.1f}×")
    print(f"  sync with nothing to do                       {_ms(noop_s)}  median of {NOOP_RUNS} "
          f"(min {_ms(min(noops)).strip()}, max {_ms(max(noops)).strip()}" + (f"; aim < {AIM_NOOP_MS:.0f} ms: "
          f"{'ok' if noop_s * 1000 < AIM_NOOP_MS else 'OVER'})" if scale >= 1.0 else ")"))
    print(f"  bare empty page round trip                    {_ms(bare_noop_s)}  ratio {figures['noop_ratio']:.1f}×")
    print(f"  push of {push_ops:,} ops in one sync               {push_s:7.2f} s  "
          f"{figures['push_ops_per_s']:>9,.0f} ops/s  (whole sync with the pull back: {sync_s:.2f} s)")
    print(f"  bare endpoint, same ops, executemany          {bare_push_s:7.2f} s  "
          f"{push_ops / bare_push_s:>9,.0f} ops/s  ratio {figures['push_ratio']:.1f}×")
    return figures


if __name__ == "__main__":
    main()
