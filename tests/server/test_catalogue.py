"""The office publishes a KPI catalogue; every laptop gets it at its next sync, and both sides judge by it."""

from __future__ import annotations

import pytest

import central_server.catalogue
from consultant_app.domain.kpi import default_catalogue, install_catalogue
from consultant_app.paths import resource_path
from consultant_app.services.kpis import KpiEntry, save_kpis
from consultant_app.sync.client import sync
from tests.server.test_sync import client_for, laptop, record_a_company

PASSWORD = "correct horse 1"
NEW_KPI = "energy_intensity,에너지 원단위,Energy intensity,C,kWh/unit,lower,0,,true,kWh ÷ units produced\n"


@pytest.fixture(autouse=True)
def bundled_catalogue_after():
    yield
    install_catalogue(None)  # the laptop's catalogue in force is per process: leave the bundled one for other tests


def catalogue_file(tmp_path, text: str):
    path = tmp_path / "catalogue.csv"
    path.write_text(text, encoding="utf-8")
    return path


def bundled_text() -> str:
    return resource_path("kpi_catalogue.csv").read_text(encoding="utf-8-sig")


def test_a_published_kpi_reaches_the_laptop_and_the_server_accepts_it(live, cli, tmp_path):
    live.add_user("kim", password=PASSWORD)
    store = laptop(tmp_path, "kim")
    _, engagement_id = record_a_company(store)
    code, out, err = cli("catalogue", "publish", str(catalogue_file(tmp_path, bundled_text() + NEW_KPI)))
    assert code == 0, err
    assert "제1판을 게시했습니다 (14개 지표)" in out
    install_catalogue(None)  # the laptop has not synced yet: as a separate process, it only knows the bundled one
    assert "energy_intensity" not in default_catalogue()
    with client_for(live, "kim") as client:
        report = sync(store, client)
        assert report.catalogue_version == 1 and default_catalogue()["energy_intensity"].unit == "kWh/unit"
        save_kpis(store, engagement_id, entries=[KpiEntry(code="energy_intensity", baseline=3.2, target=2.5, post=2.8)])
        pushed = sync(store, client)
    assert (pushed.applied, pushed.rejected) == (1, 0)  # the server judged the new KPI by the new catalogue
    store.close()
    install_catalogue(None)
    reopened = laptop(tmp_path, "kim")  # the next start of the app uses the office's catalogue again
    assert "energy_intensity" in default_catalogue()
    reopened.close()


@pytest.mark.parametrize("change, problem", [
    (lambda text: "\n".join(line for line in text.splitlines() if not line.startswith("defect_rate,")) + "\n",
     "defect_rate: missing"),
    (lambda text: text.replace("defect_rate,공정불량률,Process defect rate,Q,%,lower",
                               "defect_rate,공정불량률,Process defect rate,Q,ppm,lower"), "unit or direction changed"),
    (lambda text: text + "broken,,,,,\n", "name_ko is empty"),
])
def test_a_catalogue_that_would_change_what_values_mean_is_refused(live, cli, tmp_path, change, problem):
    code, out, err = cli("catalogue", "publish", str(catalogue_file(tmp_path, change(bundled_text()))))
    assert code == 1 and problem in err and "게시하지 않았습니다" in err
    with live.engine.connect() as connection:
        assert central_server.catalogue.in_force(connection).version is None  # nothing was published
