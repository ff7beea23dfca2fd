"""The KPI catalogue in force is read from the database by every request and command of a running server, never
kept as process state: a KPI published after the server started is imported, pushed, reported and verified."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import URL, select
from sqlmodel import Session

import consultant_app.domain.kpi as kpi
from consultant_app.domain.aggregates import ReportFilter, programme_report
from consultant_app.domain.kpi import KpiCatalogue, bundled_catalogue
from consultant_app.store.models import Company, Engagement, new_id
from consultant_app.store.queries import engagement_records
from consultant_app.sync.wire import Op, PushRequest
from tests.io.sample import A, B, sample, write_csvs
from tests.server.test_catalogue import NEW_KPI, bundled_text, catalogue_file

PASSWORD = "correct horse 1"


class _Poisoned:
    """Stands in for the process-wide catalogue: the server's path must never look at it."""

    def __bool__(self) -> bool:
        raise AssertionError("the process-wide KPI catalogue was used on the server's path")


def _engagement(live, number: str, year: int) -> tuple[str, int]:
    engagements, companies = Engagement.__table__, Company.__table__
    with live.engine.connect() as connection:
        row = connection.execute(select(engagements.c.id, engagements.c.version)
                                 .join(companies, companies.c.id == engagements.c.company_id)
                                 .where(companies.c.business_no == number, engagements.c.year == year)).one()
    return row.id, row.version


def test_a_kpi_published_after_the_server_started_is_in_force_everywhere(live, cli, tmp_path, monkeypatch):
    live.add_user("office", role="supervisor", password=PASSWORD)
    monkeypatch.setattr(kpi, "_office_catalogue", _Poisoned())
    published = bundled_text() + NEW_KPI
    code, _, err = cli("catalogue", "publish", str(catalogue_file(tmp_path, published)))
    assert code == 0, err

    sheets = sample()
    sheets["kpis"].append([A, "1", "energy_intensity", "3.2", "2018-01-15", "2.5", "2.8", "2018-10-20"])
    code, out, err = cli("--lang", "en", "import", str(write_csvs(tmp_path / "sheets", sheets)))
    assert code == 0, err + out

    a1, a1_version = _engagement(live, A, 1)
    b1, _ = _engagement(live, B, 1)
    ops = [Op(op_id=new_id(), entity="engagements", row_id=a1, action="update",
              changes={"consultant": [None, "최컨설"]}, base_version=a1_version),
           Op(op_id=new_id(), entity="kpi_measurements", row_id=new_id(), action="create",
              changes={"engagement_id": [None, b1], "kpi_code": [None, "energy_intensity"], "baseline": [None, 5.0],
                       "target": [None, 4.0], "post": [None, 4.5]}, base_version=0)]
    with live.client() as client:
        headers = live.token(client, "office")
        pushed = client.post("/sync/push", headers=headers,
                             json=PushRequest(device_id="laptop-1", ops=ops).model_dump(mode="json"))
        assert pushed.status_code == 200, pushed.text
        assert [r["status"] for r in pushed.json()["receipts"]] == ["applied", "applied"], pushed.text

        new_catalogue = KpiCatalogue.from_csv_text(published)
        with Session(live.engine) as session:
            records = engagement_records(session=session)
        expected = programme_report(records, new_catalogue, ReportFilter(), "ko").as_dict()
        assert expected != programme_report(records, bundled_catalogue(), ReportFilter(), "ko").as_dict()
        report = client.get("/report/programme", headers=headers)
        assert report.status_code == 200, report.text
        assert report.json() == json.loads(json.dumps(expected))
        code, out, err = cli("report", "programme", "--json")
        assert code == 0, err
        assert json.loads(out) == json.loads(json.dumps(expected))

        issued = client.post("/certificates/issue", headers=headers, json={"engagement_id": a1})
        assert issued.status_code == 200, issued.text
        code_ = issued.json()["code"]
        facts = client.get(f"/verify/{code_}", params={"format": "json"}).json()["facts"]
        assert "energy_intensity" in {k["code"] for k in facts["kpis"]}
        page = client.get(f"/verify/{code_}")
        assert page.status_code == 200 and "에너지 원단위" in page.text


def test_the_catalogue_in_force_follows_each_database_not_the_process(start, settings, tmp_path, cli):
    """Two servers in one process, one with a published KPI: each judges by its own database's catalogue."""
    code, _, err = cli("catalogue", "publish", str(catalogue_file(tmp_path, bundled_text() + NEW_KPI)))
    assert code == 0, err
    with_kpi = start(settings)
    other = URL.create("sqlite", database=str(tmp_path / "other.sqlite3")).render_as_string()
    without = start(replace(settings, data_dir=tmp_path / "other-data", database_url=other))
    results = []
    for index, server in enumerate((with_kpi, without, with_kpi)):
        name = f"office{index}"
        server.add_user(name, role="supervisor", password=PASSWORD)
        with server.client() as client:
            headers = server.token(client, name)
            company = new_id()
            ops = [Op(op_id=new_id(), entity="companies", row_id=company, action="create",
                      changes={"business_no": [None, B if index else A], "name": [None, "한빛"]}, base_version=0)]
            engagement = new_id()
            ops.append(Op(op_id=new_id(), entity="engagements", row_id=engagement, action="create",
                          changes={"company_id": [None, company], "year": [None, 1 + index]}, base_version=0))
            ops.append(Op(op_id=new_id(), entity="kpi_measurements", row_id=new_id(), action="create",
                          changes={"engagement_id": [None, engagement], "kpi_code": [None, "energy_intensity"]},
                          base_version=0))
            pushed = client.post("/sync/push", headers=headers,
                                 json=PushRequest(device_id="d", ops=ops).model_dump(mode="json"))
            results.append(pushed.json()["receipts"][-1]["status"])
    assert results == ["applied", "rejected", "applied"]


@pytest.fixture(autouse=True)
def _bundled_after():
    yield
    kpi.install_catalogue(None)
