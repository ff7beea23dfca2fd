"""Importing valid sheets: what lands in which table, from English or Korean sheets, CSV or workbook."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import select

from consultant_app.io import import_path
from consultant_app.store.models import Company, Engagement, KpiMeasurement, Outcome, Sponsor, SurveyResponse
from tests.io.sample import A, B, counts, dashed, query, sample, write_csvs


def test_a_valid_folder_lands_in_every_table_with_its_journal(store, tmp_path):
    result = import_path(store, write_csvs(tmp_path / "files", sample()))
    assert result.written and result.problems == []
    assert result.created == {"sponsors": 1, "companies": 2, "engagements": 3, "kpi_measurements": 4,
                              "outcomes": 2, "survey_responses": 2}
    assert result.updated == dict.fromkeys(result.created, 0) and result.unchanged == 0
    rows = counts(store)
    written = sum(result.created.values())
    assert rows["audit_log"] == rows["outbox"] == written  # one audit and one outbox row per written row
    with store.session() as session:
        sponsor = session.exec(select(Sponsor)).one()
        a = session.exec(select(Company).where(Company.business_no == A)).one()
        assert (a.name, a.employees, a.supplier_tier, a.manufacturing, a.growth_stage) == (
            "(주)한빛정밀", 45, 2, True, "basic")
        assert a.sponsor_id == sponsor.id and sponsor.name == "한빛자동차"
        first = session.exec(select(Engagement).where(Engagement.company_id == a.id, Engagement.year == 1)).one()
        assert (first.phase, first.field, first.support_krw, first.start_date, first.status) == (
            1, "productivity", 30_000_000, date(2018, 1, 10), "in_progress")
        outcome = session.exec(select(Outcome).where(Outcome.engagement_id == first.id)).one()
        assert (outcome.financial_effect_krw, outcome.new_hires, outcome.smart_factory_built,
                outcome.smart_factory_level) == (50_000_000, 2, True, 2)
        kpi = session.exec(select(KpiMeasurement).where(KpiMeasurement.kpi_code == "defect_rate")).one()
        assert (kpi.engagement_id, kpi.baseline, kpi.post, kpi.post_date) == (first.id, 2.93, 1.71, date(2018, 10, 20))
        survey = session.exec(select(SurveyResponse).where(SurveyResponse.engagement_id == first.id)).one()
        assert (survey.satisfaction, survey.wants_continue, survey.would_recommend, survey.improved) == (
            5, True, True, "productivity;quality")
        # the year-2 engagement's outcome cells are all empty: no outcome row for it
        assert len(session.exec(select(Outcome)).all()) == 2
        assert a.created_at.tzinfo is not None and a.created_at == a.updated_at


def test_journal_entries_describe_created_rows(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "files", sample()))
    kpi_id = query(store, "SELECT id FROM kpi_measurements WHERE kpi_code = 'defect_rate'")[0][0]
    (action, changes, base_version, status, actor, device), = query(
        store, "SELECT action, changes, base_version, status, actor, device_id FROM outbox WHERE row_id = ?", kpi_id)
    assert (action, base_version, status, actor, device) == ("create", 0, "pending", "tester", store.device_id)
    changes = json.loads(changes)
    assert changes["baseline"] == [None, 2.93] and changes["baseline_date"] == [None, "2018-01-15"]
    assert "id" not in changes and "created_at" not in changes
    (audit,), = query(store, "SELECT changes FROM audit_log WHERE row_id = ?", kpi_id)
    assert json.loads(audit) == changes


def test_korean_headers_and_spellings_in_a_cp949_csv(store, tmp_path):
    sheets = {
        "companies": [["사업자등록번호", "회사명", "대표자", "지역", "업종", "제조업여부", "종업원수", "협력사차수",
                       "후원기업", "성장단계"],
                      [dashed(A), "한빛정밀", "김철수", "경기", "자동차부품", "예", "1,200명", "2차", "세진전자", "중간1"]],
        "engagements": [["사업자등록번호", "차년도", "단계", "지원분야", "지원금액", "시작일", "종료일", "재무적효과",
                         "신규채용", "스마트공장구축", "스마트공장수준"],
                        [dashed(A), "1차", "2", "스마트공장", "30,000,000원", "2018.06.26", "2019. 3. 2.",
                         "77,000,000원", "3", "O", "3"]],
        "kpis": [["사업자등록번호", "차수", "지표", "기준값", "기준일", "목표값", "개선후값", "측정일"],
                 [dashed(A), "1", "공정불량률", "2.93", "2018.07.01", "1.5", "1.71", "2019/02/20"]],
        "surveys": [["사업자등록번호", "차수", "만족도", "계속참여의향", "추천의향", "향상역량"],
                    [dashed(A), "1", "5", "예", "아니오", "생산성 혁신;품질수준 향상;혁신 인식·마인드"]],
    }
    result = import_path(store, write_csvs(tmp_path / "files", sheets, encoding="cp949"))
    assert result.problems == []
    (company,) = query(store, "SELECT business_no, manufacturing, employees, supplier_tier, growth_stage "
                              "FROM companies")
    assert company == (A, 1, 1200, 2, "intermediate1")
    (engagement,) = query(store, "SELECT year, phase, field, support_krw, start_date, end_date FROM engagements")
    assert engagement == (1, 2, "smart_factory", 30_000_000, "2018-06-26", "2019-03-02")
    assert query(store, "SELECT financial_effect_krw, smart_factory_built, smart_factory_level FROM outcomes") == [
        (77_000_000, 1, 3)]
    assert query(store, "SELECT kpi_code, baseline_date, post_date FROM kpi_measurements") == [
        ("defect_rate", "2018-07-01", "2019-02-20")]
    assert query(store, "SELECT wants_continue, would_recommend, improved FROM survey_responses") == [
        (1, 0, "productivity;quality;mindset")]


def test_a_workbook_with_typed_cells(store, tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sample().items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    kpis = workbook["kpis"]
    kpis["D2"], kpis["E2"], kpis["B2"], kpis["A2"] = 2.93, datetime(2018, 1, 15), 1, int(A)
    workbook["companies"]["F2"] = True
    workbook.save(tmp_path / "office.xlsx")
    result = import_path(store, tmp_path / "office.xlsx")
    assert result.problems == [] and result.created["kpi_measurements"] == 4
    assert query(store, "SELECT baseline, baseline_date FROM kpi_measurements WHERE kpi_code = 'defect_rate'") == [
        (2.93, "2018-01-15")]


def test_only_some_sheets_with_parents_already_in_the_store(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "first", sample()))
    kpis = [sample()["kpis"][0], [B, "1", "setup_time", "30", "", "20", "25", ""]]
    result = import_path(store, write_csvs(tmp_path / "second", {"kpis": kpis}))
    assert result.problems == [] and result.created["kpi_measurements"] == 1
    assert sum(result.created.values()) == 1 and result.unchanged == 0


def test_one_csv_file_named_after_its_sheet(store, tmp_path):
    folder = write_csvs(tmp_path / "files", {"companies": sample()["companies"]})
    result = import_path(store, folder / "companies.csv")
    assert result.created["companies"] == 2


def test_warnings_are_reported_but_do_not_block(store, tmp_path):
    sheets = sample()
    sheets["kpis"][1][6] = "0.1"  # defect rate 2.93 → 0.1: a 96.6% improvement with no evidence
    result = import_path(store, write_csvs(tmp_path / "files", sheets))
    assert result.written and result.errors == []
    (warning,) = result.warnings
    assert (warning.file, warning.row, warning.column, warning.issue.rule) == (
        "kpis.csv", 2, "post", "implausible_improvement")
    assert query(store, "SELECT post FROM kpi_measurements WHERE kpi_code = 'defect_rate'") == [(0.1,)]


def test_engagement_evidence_silences_the_implausible_improvement_warning(store, tmp_path):
    from consultant_app.store.models import Attachment

    import_path(store, write_csvs(tmp_path / "first", sample()))
    engagement_id = query(store, "SELECT e.id FROM engagements e JOIN companies c ON c.id = e.company_id "
                                 "WHERE c.business_no = ? AND e.year = 1", A)[0][0]
    with store.transaction() as session:
        session.add(Attachment(engagement_id=engagement_id, sha256="0" * 64, file_name="before-after.jpg",
                               size_bytes=10))
    sheets = sample()
    sheets["kpis"][1][6] = "0.1"
    result = import_path(store, write_csvs(tmp_path / "second", sheets))
    assert result.problems == [] and result.updated["kpi_measurements"] == 1


def test_rows_written_in_bulk_look_like_rows_written_through_the_orm(store, tmp_path):
    from consultant_app.store.models import Sponsor

    with store.transaction() as session:
        session.add(Sponsor(name="ORM 후원"))
    import_path(store, write_csvs(tmp_path / "files", sample()))
    (orm_created, orm_deleted), (bulk_created, bulk_deleted) = query(
        store, "SELECT created_at, deleted FROM sponsors ORDER BY name = '한빛자동차'")
    assert len(orm_created) == len(bulk_created) and orm_created[10] == bulk_created[10] == " "
    assert orm_deleted == bulk_deleted == 0
    with store.session() as session:
        bulk = session.exec(select(Sponsor).where(Sponsor.name == "한빛자동차")).one()
        assert bulk.created_at.tzinfo is not None and bulk.deleted is False and bulk.version == 0


def test_rows_created_by_another_writer_during_an_import_fail_it_cleanly(store, tmp_path, monkeypatch):
    import pytest

    from consultant_app.errors import AppError
    from consultant_app.io import importer
    from consultant_app.store import Store

    folder = write_csvs(tmp_path / "in", sample())
    import_path(store, folder)
    before = counts(store)
    # The import matched its rows against an empty store; by the time it writes, the rows exist.
    with Store.open(tmp_path / "empty", actor="tester") as empty:
        with empty.engine.connect() as connection:
            stale = importer.load_existing(connection, set(sample()))
    monkeypatch.setattr(importer, "load_existing", lambda _connection, _names: stale)
    with pytest.raises(AppError) as raised:
        import_path(store, folder)
    assert "아무것도 저장하지 않았" in raised.value.message("ko")
    assert counts(store) == before
