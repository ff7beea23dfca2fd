"""Certificate eligibility, numbering, QR payload and file names: the domain's rules, no PDF involved."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from consultant_app.domain.certificate import (
    Gap,
    Issued,
    Missing,
    NotEligible,
    build_certificate,
    certificate_file_name,
    certificate_gaps,
    missing_lines,
    safe_file_name,
)
from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.records import KpiValues
from tests.reports.test_certificate_pdf import source

CATALOGUE = default_catalogue()


def test_a_complete_engagement_has_no_gaps_and_builds():
    view = build_certificate(source(), CATALOGUE, printed_on=date(2024, 1, 2))
    assert certificate_gaps(source(), CATALOGUE) == []
    assert [k.definition.code for k in view.kpis] == ["defect_rate", "output_per_hour", "safety_incidents"]
    assert view.is_draft and view.number == "DRAFT-03-0F6C2B8E"
    assert round(view.mean_improvement.value, 1) == 180.8


def test_every_gap_is_listed_in_reading_order():
    incomplete = source(status="cancelled", representative=" ", consultant=None, start_date=None, end_date=None,
                        kpis=(KpiValues("defect_rate", 3.0, None, None, date(2016, 9, 1), None),
                              KpiValues("no_such_kpi", 1, 1, 1, date(2016, 9, 1), date(2017, 1, 1))))
    assert certificate_gaps(incomplete, CATALOGUE) == [
        Missing(Gap.CANCELLED), Missing(Gap.NO_REPRESENTATIVE), Missing(Gap.NO_CONSULTANT),
        Missing(Gap.NO_START_DATE), Missing(Gap.NO_END_DATE),
        Missing(Gap.NO_TARGET, "defect_rate"), Missing(Gap.NO_POST, "defect_rate"),
        Missing(Gap.NO_POST_DATE, "defect_rate"), Missing(Gap.UNKNOWN_KPI, "no_such_kpi")]


def test_an_engagement_without_kpis_is_refused_with_the_reason():
    with pytest.raises(NotEligible) as refused:
        build_certificate(source(kpis=()), CATALOGUE, printed_on=date(2024, 1, 2))
    assert refused.value.missing == [Missing(Gap.NO_KPI)]
    assert "no KPI" in str(refused.value)


def test_missing_lines_group_a_kpis_gaps_in_either_language():
    missing = certificate_gaps(source(consultant="", kpis=(
        KpiValues("defect_rate", 3.0, 2.0, None, date(2016, 9, 1), None),)), CATALOGUE)
    assert missing_lines(missing, "ko") == ["담당 컨설턴트가 없습니다.", "공정불량률: 개선값, 개선값 측정일 없음"]
    assert missing_lines(missing, "en") == ["The consultant is missing.",
                                            "Process defect rate: post value, post date missing"]


def test_an_issued_certificate_is_identified_by_the_office():
    issued = Issued("IIM-2024-000007", "ABCD-EFGH", "https://office.example/verify/ABCD-EFGH", date(2024, 2, 1))
    view = build_certificate(source(), CATALOGUE, printed_on=date(2024, 2, 2), issued=issued)
    assert not view.is_draft
    assert view.number == "IIM-2024-000007" and view.qr_payload == "https://office.example/verify/ABCD-EFGH"


def test_a_drafts_qr_payload_says_it_is_a_draft():
    view = build_certificate(source(), CATALOGUE, printed_on=date(2024, 2, 2))
    assert view.qr_payload.startswith("IIM-CERT-DRAFT:DRAFT-03-0F6C2B8E:")
    assert "DRAFT" in view.qr_payload and "미발급" in view.qr_payload


@pytest.mark.parametrize(("text", "expected"), [
    ("3차_한빛/정밀:주*식?회\"사<>|_1248100998", "3차_한빛_정밀_주_식_회_사____1248100998"),
    ("  con  ", "_con"),
    ("LPT1.txt", "_LPT1.txt"),
    ("...", "certificate"),
    ("줄\n바꿈\t탭", "줄_바꿈_탭"),
])
def test_safe_file_names_keep_hangul_and_drop_what_systems_refuse(text, expected):
    assert safe_file_name(text) == expected


def test_file_names_are_cut_to_a_length_every_system_accepts():
    long = source(company_name="가" * 300)
    name = certificate_file_name(long)
    assert name.endswith(".pdf") and len(name) <= 124
    assert certificate_file_name(source()) == "3차_한빛정밀(주)_1248100998.pdf"


def test_the_certificate_view_is_picklable_for_worker_processes():
    import pickle

    view = build_certificate(dataclasses.replace(source()), CATALOGUE, printed_on=date(2024, 2, 2))
    assert pickle.loads(pickle.dumps(view)) == view
