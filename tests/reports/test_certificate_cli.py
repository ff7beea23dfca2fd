"""``consultant-app certificate print``, ``certificates`` and ``report programme --pdf``, run as a user would."""

from __future__ import annotations

import pypdf
import pytest

from consultant_app.domain.kpi import default_catalogue
from consultant_app.services.certificates import certificate_sources, eligibility
from consultant_app.store import Store
from tests.reports.pdf_checks import pdf_text
from tests.test_cli import run_cli


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    assert run_cli("demo", data_dir=data_dir).returncode == 0
    with Store.open(data_dir) as store, store.session() as session:
        pairs = eligibility(certificate_sources(session=session), default_catalogue())
    return data_dir, [s for s, m in pairs if not m], [s for s, m in pairs if m]


def test_print_writes_a_draft_certificate(demo_dir, tmp_path):
    data_dir, eligible, _ = demo_dir
    s = eligible[0]
    out = tmp_path / "확인서.pdf"
    done = run_cli("certificate", "print", s.business_no, str(s.year), "--out", str(out), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"확인서(초안)를 저장했습니다: {out}"
    text = pdf_text(out.read_bytes())
    assert s.company_name in text and "초안 / DRAFT" in text


def test_an_ineligible_engagement_is_refused_with_the_list_and_no_file(demo_dir, tmp_path):
    data_dir, _, ineligible = demo_dir
    s = ineligible[0]
    out = tmp_path / "x.pdf"
    done = run_cli("--lang", "en", "certificate", "print", s.business_no, str(s.year), "--out", str(out),
                   data_dir=data_dir)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == f"{s.company_name}, year {s.year}: no certificate can be made. Missing:"
    assert all(line.startswith("  - ") for line in lines[1:]) and "post value" in done.stderr
    assert not out.exists()


def test_an_unknown_engagement_is_one_clear_line(demo_dir):
    data_dir, eligible, _ = demo_dir
    done = run_cli("certificate", "print", eligible[0].business_no, "42", data_dir=data_dir)
    assert done.returncode == 1 and done.stderr.strip().endswith("42차년도 참여 기록이 없습니다.")


def test_certificates_writes_every_eligible_one_and_lists_the_skipped(demo_dir, tmp_path):
    data_dir, eligible, ineligible = demo_dir
    out = tmp_path / "certs"
    done = run_cli("certificates", "--out", str(out), "--merged", str(out / "all.pdf"), "--workers", "2",
                   data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert f"확인서 {len(eligible)}건을 저장했습니다" in done.stdout
    assert f"건너뜀 {len(ineligible)}건" in done.stdout and ineligible[0].company_name in done.stdout
    assert len(list(out.glob("*차_*.pdf"))) == len(eligible)
    assert len(pypdf.PdfReader(out / "all.pdf").pages) >= len(eligible)


def test_report_programme_pdf(demo_dir, tmp_path):
    data_dir, _, _ = demo_dir
    out = tmp_path / "report.pdf"
    done = run_cli("report", "programme", "--pdf", str(out), "--year", "1", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "산업혁신운동 성과 보고" in pdf_text(out.read_bytes())
