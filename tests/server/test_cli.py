"""``consultant-central`` commands: users from standard input, assignments, imports and the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from central_server.config import Settings
from central_server.db import make_engine
from central_server.schema import assignments, counters, row_meta, server_audit, users
from consultant_app.store.models import Company, KpiMeasurement
from consultant_app.store.queries import engagement_records
from tests.io.sample import A, B, dashed, sample, set_cell, write_csvs
from tests.server.live import start_server

ROOT = Path(__file__).resolve().parents[2]


def _scalar(settings: Settings, query):
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            return connection.execute(query).scalar()
    finally:
        engine.dispose()


def test_user_add_reads_the_password_from_standard_input_and_the_user_can_log_in(cli, settings):
    code, out, err = cli("user", "add", "kim", "--role", "consultant", "--display-name", "김철수",
                         stdin="correct horse 1\nignored second line\n")
    assert (code, err) == (0, "") and "kim" in out and "consultant" in out
    stored = _scalar(settings, select(users.c.password_hash).where(users.c.username == "kim"))
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    live = start_server(settings)
    try:
        with live.client() as client:
            assert live.login(client, "kim").json()["user"]["display_name"] == "김철수"
            assert live.login(client, "kim", "ignored second line").status_code == 401
    finally:
        live.stop()


@pytest.mark.parametrize("password, ko, en", [("", "비밀번호가 비어", "The password is empty"),
                                              ("short12", "너무 짧습니다", "too short: it needs at least 8")])
def test_user_add_refuses_an_empty_or_short_password_and_adds_no_one(cli, settings, password, ko, en):
    code, out, err = cli("user", "add", "kim", "--role", "admin", stdin=password + "\n")
    assert code == 1 and out == "" and ko in err and len(err.strip().splitlines()) == 1
    assert en in cli("--lang", "en", "user", "add", "kim", "--role", "admin", stdin=password + "\n")[2]
    assert _scalar(settings, select(func.count()).select_from(users)) == 0


def test_user_add_refuses_a_second_user_of_the_same_name_and_a_bad_role(cli):
    assert cli("user", "add", "kim", "--role", "consultant", stdin="correct horse 1\n")[0] == 0
    code, _, err = cli("--lang", "en", "user", "add", "kim", "--role", "admin", stdin="correct horse 1\n")
    assert code == 1 and "already exists: kim" in err
    code, _, err = cli("user", "add", "lee", "--role", "boss", stdin="correct horse 1\n")
    assert code == 2 and "boss" in err  # a usage error


def test_user_password_disable_and_list(cli, settings):
    cli("user", "add", "kim", "--role", "consultant", stdin="correct horse 1\n")
    cli("user", "add", "boss", "--role", "supervisor", stdin="correct horse 2\n")
    live = start_server(settings)
    try:
        with live.client() as client:
            headers = live.token(client, "kim")
            code, out, _ = cli("--lang", "en", "user", "password", "kim", stdin="another horse\n")
            assert code == 0 and "1 token(s) revoked" in out
            assert client.get("/auth/me", headers=headers).status_code == 401
            headers = live.token(client, "kim", "another horse")
            code, out, _ = cli("--lang", "en", "user", "disable", "kim")
            assert code == 0 and "1 token(s) revoked" in out
            assert client.get("/auth/me", headers=headers).status_code == 401
            assert live.login(client, "kim", "another horse").status_code == 401
            assert cli("user", "enable", "kim")[0] == 0
            assert live.login(client, "kim", "another horse").status_code == 200
    finally:
        live.stop()
    code, out, _ = cli("user", "list", "--json")
    listed = {u["username"]: u for u in json.loads(out)}
    assert (listed["kim"]["role"], listed["kim"]["disabled"], listed["boss"]["role"]) == (
        "consultant", False, "supervisor")
    code, out, _ = cli("user", "list")
    assert code == 0 and "kim" in out and "boss" in out and "사용자" in out
    assert cli("--lang", "en", "user", "password", "nobody", stdin="correct horse 1\n")[2].strip() == \
        "There is no such user: nobody"


def test_import_then_report_shows_the_imported_figures(cli, tmp_path):
    code, out, err = cli("--lang", "en", "import", str(write_csvs(tmp_path / "sheets", sample())))
    assert code == 0, err
    assert "companies: 2 created, 0 updated" in out and "KPI measurements: 4 created, 0 updated" in out
    code, out, _ = cli("report", "programme", "--json")
    report = json.loads(out)
    assert (report["engagements"], report["companies"]) == (3, 2)
    assert report["financial_effect_total_krw"] == 62_000_000 and report["new_hires_total"] == 3
    assert report["survey"]["responses"] == 2 and report["survey"]["satisfied_pct"] == 100.0
    year_one = json.loads(cli("report", "programme", "--json", "--year", "1")[1])
    assert year_one["engagements"] == 2
    code, out, _ = cli("report", "programme")
    assert code == 0 and "62,000,000" in out
    # importing the same again changes nothing
    code, out, _ = cli("--lang", "en", "import", str(tmp_path / "sheets"))
    assert code == 0 and "nothing changed" in out


def test_the_imported_rows_are_what_the_laptop_would_hold(cli, settings, tmp_path, store):
    from consultant_app.io import import_path

    sheets = write_csvs(tmp_path / "sheets", sample())
    cli("import", str(sheets))
    import_path(store, sheets)
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            server = engagement_records(session=session)
    finally:
        engine.dispose()
    with store.session() as session:
        laptop = engagement_records(session=session)
    def comparable(records):  # ids are made where rows are created, so they differ; everything else must not
        return [replace(r, engagement_id="", kpis=tuple(sorted(r.kpis, key=lambda k: k.code))) for r in records]
    assert len(server) == 3 and comparable(server) == comparable(laptop)


def test_an_import_with_an_error_saves_nothing_and_lists_the_problem(cli, settings, tmp_path):
    broken = sample()
    set_cell(broken, "kpis", 3, "baseline", "lots")
    code, out, err = cli("--lang", "en", "import", str(write_csvs(tmp_path / "sheets", broken)))
    assert code == 1 and "nothing was saved" in err and "kpis.csv row 3, baseline" in err
    assert _scalar(settings, select(func.count()).select_from(Company)) == 0
    assert _scalar(settings, select(counters.c.value)) == 0


def test_import_journals_every_row_with_the_change_sequence(cli, settings, tmp_path):
    cli("import", str(write_csvs(tmp_path / "sheets", sample())))
    rows = 1 + 2 + 3 + 4 + 2 + 2  # sponsor, companies, engagements, KPIs, outcomes, surveys
    assert _scalar(settings, select(counters.c.value)) == rows
    assert _scalar(settings, select(func.count()).select_from(row_meta)) == rows
    assert _scalar(settings, select(func.count()).select_from(server_audit)) == rows
    assert _scalar(settings, select(func.min(KpiMeasurement.version))) == 1
    changed = sample()
    set_cell(changed, "kpis", 2, "post", "1.5")
    cli("import", str(write_csvs(tmp_path / "changed", changed)))
    assert _scalar(settings, select(func.max(KpiMeasurement.version))) == 2
    assert _scalar(settings, select(counters.c.value)) == rows + 1


def test_assign_accepts_numbers_with_or_without_dashes_and_restamps_the_companies_rows(cli, settings, tmp_path):
    cli("import", str(write_csvs(tmp_path / "sheets", sample())))
    cli("user", "add", "kim", "--role", "consultant", stdin="correct horse 1\n")
    before = _scalar(settings, select(counters.c.value))
    code, out, err = cli("--lang", "en", "assign", "kim", dashed(A), B)
    assert (code, err) == (0, "") and "2 companies" in out
    assert _scalar(settings, select(func.count()).select_from(assignments)) == 2
    # every row of both companies (not the sponsor) got a new sequence number, after every earlier one
    restamped = 2 + 3 + 4 + 2 + 2
    assert _scalar(settings, select(counters.c.value)) == before + restamped
    assert _scalar(settings, select(func.count()).select_from(row_meta).where(row_meta.c.seq > before)) == restamped
    assert _scalar(settings, select(func.count()).select_from(row_meta).where(
        row_meta.c.entity == "sponsors", row_meta.c.seq > before)) == 0
    code, out, _ = cli("--lang", "en", "assign", "kim", A)
    assert code == 0 and "0 companies" in out and "already assigned: 1" in out
    assert _scalar(settings, select(counters.c.value)) == before + restamped  # nothing new to send


def test_assign_with_an_unknown_number_names_it_and_assigns_nothing(cli, settings, tmp_path):
    cli("import", str(write_csvs(tmp_path / "sheets", sample())))
    cli("user", "add", "kim", "--role", "consultant", stdin="correct horse 1\n")
    code, out, err = cli("--lang", "en", "assign", "kim", A, "314-15-92650")
    assert code == 1 and out == ""
    assert err.strip() == "No company has these business numbers, so nothing was assigned: 314-15-92650"
    assert _scalar(settings, select(func.count()).select_from(assignments)) == 0
    code, _, err = cli("assign", "nobody", A)
    assert code == 1 and "nobody" in err


def test_the_console_script_reads_standard_input_in_a_real_process(settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONSULTANT_CENTRAL_")}
    env["PYTHONPATH"] = str(ROOT)
    args = [sys.executable, "-m", "central_server.cli", "--data-dir", str(settings.data_dir),
            "--database-url", settings.database_url, "--lang", "en"]
    done = subprocess.run([*args, "user", "add", "kim", "--role", "admin"], input="correct horse 1\n",
                          capture_output=True, text=True, timeout=120, env=env, check=False)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "User added: kim (admin)", "")
    done = subprocess.run([*args, "user", "list", "--json"], capture_output=True, text=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL, check=False)
    assert [u["username"] for u in json.loads(done.stdout)] == ["kim"]
    done = subprocess.run([*args, "frobnicate"], capture_output=True, text=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 2 and "invalid choice" in done.stderr
