"""Issuing certificates through the real server: eligibility checked again, signed, printed official on the
laptop, verified online and offline, locked, corrected as a new version, revoked."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from central_server.db import write_transaction
from central_server.issuing import certificates, revoke
from consultant_app.errors import AppError
from consultant_app.services.certificates import certificate_view, issued_for, render_pdf
from consultant_app.services.companies import CompanyDraft, EngagementDraft, save_company, save_engagement
from consultant_app.services.kpis import KpiEntry, load_kpis, save_kpis
from consultant_app.store import Store
from consultant_app.store.models import IssuedCertificate, OutboxOp
from consultant_app.sync.account import last_sync
from consultant_app.sync.certify import ChangesWaiting, issue_certificate
from consultant_app.sync.client import sync
from consultant_app.sync.credentials import forget_token, save_token
from tests.reports.pdf_checks import decode_qr_codes, pdf_text
from tests.server.test_sync import client_for, laptop

PASSWORD = "correct horse 1"
NUMBER = "2208162517"


@pytest.fixture
def people(live):
    live.add_user("kim", role="consultant", password=PASSWORD)
    live.add_user("lee", role="consultant", password=PASSWORD)
    return live


def record_eligible(store) -> str:
    company_id = save_company(store, CompanyDraft(business_no=NUMBER, name="대한금속", representative="박대표",
                                                  region="경남", sponsor="대성자동차"))
    engagement_id = save_engagement(store, EngagementDraft(
        year=2, phase=1, field="productivity", support_krw=30_000_000, consultant="최컨설",
        start_date=date(2026, 3, 2), end_date=date(2026, 10, 30)), company_id=company_id)
    save_kpis(store, engagement_id, entries=[KpiEntry(
        code="defect_rate", baseline=2.93, baseline_date=date(2026, 3, 10), target=2.0, post=1.71,
        post_date=date(2026, 10, 20))])
    return engagement_id


def change_post(store, engagement_id: str, post: float) -> None:
    entries = [dataclasses.replace(k, post=post) for k in load_kpis(store, engagement_id)]
    save_kpis(store, engagement_id, entries=entries)


def test_an_issued_certificate_prints_official_and_verifies_online(people, tmp_path):
    store = laptop(tmp_path, "kim")
    engagement_id = record_eligible(store)
    with client_for(people, "kim") as client:
        certificate, _ = issue_certificate(store, client, engagement_id)
        again, _ = issue_certificate(store, client, engagement_id)
    assert again["id"] == certificate["id"]  # issuing twice gives the same certificate
    assert certificate["number"] == f"IIM-{date.today().year}-00001" and certificate["version"] == 1
    assert certificate["verify_url"] == f"{people.base_url}/verify/{certificate['code']}"
    issued = issued_for(store, engagement_id)  # it came down with the pull
    assert (issued.number, issued.code) == (certificate["number"], certificate["code"])
    view = certificate_view(store, engagement_id)
    assert not view.is_draft
    pdf = render_pdf(view)
    text = pdf_text(pdf)
    assert certificate["number"] in text and "DRAFT" not in text
    assert decode_qr_codes(pdf) == [certificate["verify_url"]]
    assert list((store.data_dir / "office-keys").glob("*.pem"))  # the public key was kept at sync
    with people.client() as client:
        page = client.get(f"/verify/{certificate['code']}")
        assert page.status_code == 200 and "유효한 확인서입니다" in page.text and "대한금속" in page.text
        data = client.get(f"/verify/{certificate['code']}", params={"format": "json"}).json()
        assert data["status"] == "valid" and data["signature_valid"] is True
        assert data["facts"]["kpis"][0]["post"] == 1.71 and data["facts"]["company"]["name"] == "대한금속"
        missing = client.get("/verify/AAAA-BBBB-CCCC")
        assert missing.status_code == 404 and "발급된 적이 없습니다" in missing.text
    store.close()


def test_an_ineligible_engagement_is_refused_with_every_gap(people, tmp_path):
    store = laptop(tmp_path, "kim")
    engagement_id = record_eligible(store)
    change_post(store, engagement_id, None)
    with client_for(people, "kim") as client:
        with pytest.raises(AppError) as refused:
            issue_certificate(store, client, engagement_id)
    assert "개선값" in refused.value.ko and "post value" in refused.value.en
    with people.engine.connect() as connection:
        assert connection.execute(select(certificates)).all() == []
    store.close()


def test_certified_values_are_locked_and_a_correction_supersedes(people, tmp_path):
    store = laptop(tmp_path, "kim")
    engagement_id = record_eligible(store)
    with client_for(people, "kim") as client:
        first, _ = issue_certificate(store, client, engagement_id)
        change_post(store, engagement_id, 1.65)
        report = sync(store, client)
        assert report.rejected == 1
        with store.session() as session:
            op = session.exec(select(OutboxOp)).one()
        assert op.status == "rejected" and "certified_locked" in op.reason
        assert certificate_view(store, engagement_id).is_draft  # the laptop no longer shows the certified value
        with pytest.raises(ChangesWaiting):
            issue_certificate(store, client, engagement_id)
        second, _ = issue_certificate(store, client, engagement_id, correct=True)
    assert (second["number"], second["version"]) == (first["number"], 2) and second["code"] != first["code"]
    with store.session() as session:
        assert session.exec(select(OutboxOp)).all() == []
        rows = {c.version: c for c in session.exec(select(IssuedCertificate)).all()}
    assert rows[1].status == "superseded" and rows[1].superseded_by == rows[2].id and rows[2].status == "valid"
    view = certificate_view(store, engagement_id)
    assert view.issued.version == 2 and view.kpis[0].values.post == 1.65
    with people.client() as client:
        old = client.get(f"/verify/{first['code']}", params={"format": "json"}).json()
        assert old["status"] == "superseded" and old["superseded_by"] == second["verify_url"]
        assert "정정되어 새 판으로 대체됨" in client.get(f"/verify/{first['code']}").text
    store.close()


def test_a_revoked_certificate_says_so_and_unlocks_its_values(people, tmp_path):
    store = laptop(tmp_path, "kim")
    engagement_id = record_eligible(store)
    with client_for(people, "kim") as client:
        issued, _ = issue_certificate(store, client, engagement_id)
        with write_transaction(people.engine) as connection:
            row = connection.execute(select(certificates).where(certificates.c.id == issued["id"])).mappings().one()
            revoke(connection, dict(row), actor="office", reason="잘못 발급")
        sync(store, client)
        assert issued_for(store, engagement_id) is None
        change_post(store, engagement_id, 1.6)
        assert sync(store, client).applied == 1
        reissued, _ = issue_certificate(store, client, engagement_id)
    assert (reissued["number"], reissued["version"]) == (issued["number"], 2)
    with people.client() as client:
        data = client.get(f"/verify/{issued['code']}", params={"format": "json"}).json()
    assert data["status"] == "revoked" and data["reason"] == "잘못 발급"
    store.close()


def test_another_consultants_certificate_answers_404(people, tmp_path):
    store = laptop(tmp_path, "kim")
    engagement_id = record_eligible(store)
    with client_for(people, "kim") as client:
        issued, _ = issue_certificate(store, client, engagement_id)
        assert client.request("GET", f"/certificates/{issued['id']}").json()["code"] == issued["code"]
    with people.client() as client:
        headers = people.token(client, "lee")
        assert client.get(f"/certificates/{issued['id']}", headers=headers).status_code == 404
        refused = client.post("/certificates/issue", json={"engagement_id": engagement_id}, headers=headers)
        assert refused.status_code == 404 and refused.json()["detail"]["code"] == "not_found"
    store.close()


def run_app(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CONSULTANT_APP_LANG", None)
    return subprocess.run([sys.executable, "-m", "consultant_app", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def test_the_issue_command_writes_the_official_pdf_that_verifies_offline(people, tmp_path):
    data = tmp_path / "laptop"
    store = laptop(tmp_path, "laptop")
    record_eligible(store)
    with client_for(people, "kim") as client:
        save_token(data, people.base_url, "kim", client.token)
    store.close()
    synced = subprocess.run([sys.executable, "-m", "consultant_app", "--data-dir", str(data), "sync", "--server",
                             people.base_url, "--user", "kim"], capture_output=True, text=True, timeout=120)
    assert synced.returncode == 0, synced.stderr
    with Store.open(data, actor="kim") as store:
        synced_at = last_sync(store).at
    out = tmp_path / "발급본.pdf"
    done = run_app(data, "certificate", "issue", NUMBER, "2", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"IIM-{date.today().year}-00001" in done.stdout and "/verify/" in done.stdout
    verified = run_app(data, "verify", str(out))
    assert verified.returncode == 0, verified.stderr
    assert "유효한 서명" in verified.stdout
    tampered = tmp_path / "변조.pdf"
    tampered.write_bytes(out.read_bytes().replace(b"2.93", b"3.93"))
    assert run_app(data, "verify", str(tampered)).returncode != 0
    printed = run_app(data, "certificate", "print", NUMBER, "2", "--out", str(tmp_path / "again.pdf"))
    assert "발급본" in printed.stdout  # printing again gives the official one, not a draft
    with Store.open(data, actor="kim") as store:
        assert last_sync(store).at > synced_at  # issuing synced, and says so
    forget_token(data, people.base_url, "kim")
    no_login = run_app(data, "certificate", "issue", NUMBER, "2")
    assert no_login.returncode == 1 and "consultant-app sync --server" in no_login.stderr


def test_the_office_lists_and_revokes_certificates_from_the_command_line(people, cli, tmp_path):
    store = laptop(tmp_path, "kim")
    engagement_id = record_eligible(store)
    with client_for(people, "kim") as client:
        issued, _ = issue_certificate(store, client, engagement_id)
    code, out, _ = cli("certificate", "list", "--json")
    assert code == 0 and [(c["number"], c["version"], c["status"]) for c in json.loads(out)] == \
        [(issued["number"], 1, "valid")]
    code, out, _ = cli("certificate", "revoke", issued["number"].lower(), "--reason", "중복 발급")
    assert code == 0 and f"{issued['number']} 제1판을 취소했습니다" in out
    code, _, err = cli("certificate", "revoke", issued["number"], "--reason", "again")
    assert code == 1 and "유효한 확인서가 없습니다" in err
    with people.client() as client:
        data = client.get(f"/verify/{issued['code']}", params={"format": "json"}).json()
    assert (data["status"], data["reason"]) == ("revoked", "중복 발급")
    store.close()
