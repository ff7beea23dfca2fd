"""Certificates in batch from a real store: worker processes, file names, merged PDF, skipped reasons, cancel."""

from __future__ import annotations

import dataclasses

import pypdf
import pytest
from sqlmodel import select

from consultant_app.demo import load_demo
from consultant_app.domain.certificate import Gap, NotEligible
from consultant_app.domain.kpi import default_catalogue
from consultant_app.services.certificate_batch import export_certificates
from consultant_app.services.certificates import (
    CertificateFilter,
    EngagementNotFound,
    certificate_sources,
    certificate_view,
    eligibility,
    find_engagement,
    not_eligible_message,
)
from consultant_app.services.companies import load_company, save_company
from consultant_app.store.models import Company


@pytest.fixture
def demo(store):
    load_demo(store)
    return store


def eligible_and_not(store):
    with store.session() as session:
        pairs = eligibility(certificate_sources(session=session), default_catalogue())
    return [s for s, m in pairs if not m], [(s, m) for s, m in pairs if m]


def test_every_eligible_engagement_gets_one_file_and_the_rest_are_skipped_with_reasons(demo, tmp_path):
    eligible, ineligible = eligible_and_not(demo)
    assert eligible and ineligible  # the demo has both kinds
    seen = []
    result = export_certificates(demo, tmp_path / "out", merged=tmp_path / "out" / "합본.pdf", workers=2,
                                 progress=lambda done, total: seen.append((done, total)))
    assert not result.cancelled
    assert len(result.written) == len(eligible)
    assert {p.name for p in (tmp_path / "out").iterdir()} == {p.name for p in result.written} | {"합본.pdf"}
    assert [(s.engagement_id, m) for s, m in result.skipped] == [(s.engagement_id, m) for s, m in ineligible]
    for path in result.written:
        text = pypdf.PdfReader(path).pages[0].extract_text()
        business_no = path.stem.rsplit("_", 1)[1]
        assert business_no in text.replace("-", "")  # each file holds its own company's certificate
    merged_pages = len(pypdf.PdfReader(result.merged).pages)
    assert merged_pages == sum(len(pypdf.PdfReader(p).pages) for p in result.written)
    total = 2 * len(eligible)
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert list((tmp_path / "out").rglob("*.part")) == []


def test_the_filter_picks_year_sponsor_and_consultant(demo, tmp_path):
    eligible, _ = eligible_and_not(demo)
    target = eligible[0]
    flt = CertificateFilter(year=target.year, sponsor=target.sponsor, consultant=target.consultant)
    expected = [s for s in eligible if flt.matches(s)]
    result = export_certificates(demo, tmp_path / "out", certificate_filter=flt, workers=1)
    assert len(result.written) == len(expected) >= 1
    assert all(s.year == target.year and s.sponsor == target.sponsor for s, _ in result.skipped)


def test_two_companies_with_the_same_name_get_two_files(demo, tmp_path):
    eligible, _ = eligible_and_not(demo)
    first = eligible[0]
    second = next(s for s in eligible[1:] if s.year == first.year)
    with demo.session() as session:
        company_id = session.exec(select(Company.id).where(Company.business_no == second.business_no)).one()
        draft = load_company(session=session, company_id=company_id)
    save_company(demo, dataclasses.replace(draft, name=first.company_name), company_id=company_id)
    result = export_certificates(demo, tmp_path / "out", certificate_filter=CertificateFilter(year=first.year),
                                 workers=1)
    names = [p.name for p in result.written if first.company_name in p.name]
    assert len(names) == 2 and len(set(names)) == 2


def test_cancel_stops_the_batch_and_leaves_only_whole_files(demo, tmp_path):
    calls = []

    def cancelled() -> bool:
        return len(calls) > 0

    out = tmp_path / "out"
    result = export_certificates(demo, out, workers=2, merged=out / "all.pdf",
                                 progress=lambda done, total: calls.append(done) if done else None,
                                 cancelled=cancelled)
    eligible, _ = eligible_and_not(demo)
    assert result.cancelled
    assert 0 < len(result.written) < len(eligible)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.written)  # no merged file
    for path in result.written:
        assert len(pypdf.PdfReader(path).pages) >= 1


def test_an_ineligible_engagement_is_refused_with_every_gap(demo):
    _, ineligible = eligible_and_not(demo)
    source, missing = ineligible[0]
    with pytest.raises(NotEligible) as refused:
        certificate_view(demo, source.engagement_id)
    assert refused.value.missing == missing
    assert any(m.gap is Gap.NO_POST for m in missing)
    message = not_eligible_message(refused.value, "ko")
    assert message.startswith(f"{source.company_name} {source.year}차년도: 확인서를 만들 수 없습니다.")
    assert "개선값" in message


def test_find_engagement_takes_dashes_and_says_when_there_is_none(demo):
    eligible, _ = eligible_and_not(demo)
    s = eligible[0]
    dashed = f"{s.business_no[:3]}-{s.business_no[3:5]}-{s.business_no[5:]}"
    with demo.session() as session:
        assert find_engagement(session=session, business_no=dashed, year=s.year) == s.engagement_id
        with pytest.raises(EngagementNotFound) as missing:
            find_engagement(session=session, business_no=s.business_no, year=99)
    assert "99차년도" in missing.value.message("ko")


def test_a_certificate_reflects_a_saved_change(demo):
    eligible, _ = eligible_and_not(demo)
    s = eligible[0]
    from consultant_app.services.kpis import load_kpis, save_kpis

    entries = load_kpis(demo, s.engagement_id)
    changed = [dataclasses.replace(e, post=e.baseline) if i == 0 else e for i, e in enumerate(entries)]
    save_kpis(demo, s.engagement_id, entries=changed)
    view = certificate_view(demo, s.engagement_id)
    assert view.kpis[0].values.post == entries[0].baseline
    assert view.kpis[0].improvement.value == 0
