"""Importing again: nothing changes for the same data; changes become journalled updates of just those fields."""

from __future__ import annotations

import json
import sqlite3

from consultant_app.io import import_path
from tests.io.sample import A, B, counts, dashed, query, sample, set_cell, write_csvs


def test_the_same_files_twice_write_nothing_the_second_time(store, tmp_path):
    folder = write_csvs(tmp_path / "files", sample())
    first = import_path(store, folder)
    before = counts(store)
    second = import_path(store, folder)
    assert second.created == dict.fromkeys(first.created, 0)
    assert second.updated == dict.fromkeys(first.created, 0)
    assert second.unchanged == sum(first.created.values()) - first.created["sponsors"]
    assert not second.written and second.problems == []
    assert counts(store) == before  # no data rows and no audit or outbox entries


def test_the_same_data_written_differently_is_still_the_same(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "first", sample()))
    before = counts(store)
    sheets = sample()
    set_cell(sheets, "companies", 2, "business_no", dashed(A))
    set_cell(sheets, "companies", 2, "manufacturing", "예")
    set_cell(sheets, "companies", 2, "growth_stage", "기초")
    set_cell(sheets, "engagements", 2, "support_krw", "30,000,000원")
    set_cell(sheets, "engagements", 2, "start_date", "2018.01.10")
    set_cell(sheets, "kpis", 2, "kpi", "공정불량률")
    set_cell(sheets, "kpis", 2, "target", "1.50")
    set_cell(sheets, "surveys", 2, "improved", "생산성 혁신; 품질")
    result = import_path(store, write_csvs(tmp_path / "second", sheets))
    assert sum(result.created.values()) == sum(result.updated.values()) == 0
    assert counts(store) == before


def test_a_changed_value_is_an_update_journalled_with_only_that_field(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "first", sample()))
    before = counts(store)
    (kpi_id, updated_at), = query(store, "SELECT id, updated_at FROM kpi_measurements WHERE kpi_code = 'defect_rate'")
    sheets = sample()
    set_cell(sheets, "kpis", 2, "post", "1.6")
    set_cell(sheets, "companies", 3, "region", "울산")
    set_cell(sheets, "companies", 3, "sponsor", "금강제철")
    result = import_path(store, write_csvs(tmp_path / "second", sheets))
    assert result.updated == {"sponsors": 0, "companies": 1, "engagements": 0, "kpi_measurements": 1,
                              "outcomes": 0, "survey_responses": 0}
    assert result.created["sponsors"] == 1  # 금강제철 is new
    after = counts(store)
    assert after["outbox"] - before["outbox"] == after["audit_log"] - before["audit_log"] == 3
    (action, changes, base_version), = query(
        store, "SELECT action, changes, base_version FROM outbox WHERE row_id = ? AND action = 'update'", kpi_id)
    assert (action, json.loads(changes), base_version) == ("update", {"post": [1.71, 1.6]}, 0)
    (audit,), = query(store, "SELECT changes FROM audit_log WHERE row_id = ? AND action = 'update'", kpi_id)
    assert json.loads(audit) == {"post": [1.71, 1.6]}
    (post, new_updated_at), = query(store, "SELECT post, updated_at FROM kpi_measurements WHERE id = ?", kpi_id)
    assert post == 1.6 and new_updated_at > updated_at
    company_changes = json.loads(query(store, "SELECT changes FROM outbox WHERE entity = 'companies' "
                                              "AND action = 'update'")[0][0])
    assert set(company_changes) == {"region", "sponsor_id"}
    assert company_changes["region"] == ["부산", "울산"]


def test_the_base_version_is_the_rows_version(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "first", sample()))
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE companies SET version = 7 WHERE business_no = ?", (B,))
    sheets = sample()
    set_cell(sheets, "companies", 3, "employees", "121")
    import_path(store, write_csvs(tmp_path / "second", sheets))
    assert query(store, "SELECT base_version FROM outbox WHERE action = 'update'") == [(7,)]


def test_an_absent_column_leaves_stored_values_alone(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "first", sample()))
    kpis = [["business_no", "year", "kpi", "post"], [A, "1", "defect_rate", "1.2"]]
    result = import_path(store, write_csvs(tmp_path / "second", {"kpis": kpis}))
    assert result.updated["kpi_measurements"] == 1
    assert query(store, "SELECT baseline, target, post, post_date FROM kpi_measurements "
                        "WHERE kpi_code = 'defect_rate'") == [(2.93, 1.5, 1.2, "2018-10-20")]
    engagements = [["business_no", "year", "phase"], [A, "1", "1"]]
    result = import_path(store, write_csvs(tmp_path / "third", {"engagements": engagements}))
    assert sum(result.updated.values()) == 0  # outcome columns absent: the outcome is untouched
    assert query(store, "SELECT count(*) FROM outcomes WHERE financial_effect_krw IS NOT NULL") == [(2,)]


def test_a_present_but_empty_cell_clears_the_stored_value(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "first", sample()))
    sheets = sample()
    set_cell(sheets, "kpis", 2, "target", "")
    set_cell(sheets, "companies", 2, "sponsor", "")
    set_cell(sheets, "engagements", 2, "financial_effect_krw", "")
    set_cell(sheets, "surveys", 2, "improved", "")
    result = import_path(store, write_csvs(tmp_path / "second", sheets))
    assert result.updated == {"sponsors": 0, "companies": 1, "engagements": 0, "kpi_measurements": 1,
                              "outcomes": 1, "survey_responses": 1}
    assert query(store, "SELECT target FROM kpi_measurements WHERE kpi_code = 'defect_rate'") == [(None,)]
    assert query(store, "SELECT sponsor_id FROM companies WHERE business_no = ?", A) == [(None,)]
    assert query(store, "SELECT improved FROM survey_responses WHERE satisfaction = 5") == [("",)]
    outbox = [json.loads(c) for c, in query(store, "SELECT changes FROM outbox WHERE action = 'update'")]
    assert {"target": [1.5, None]} in outbox and {"improved": ["productivity;quality", ""]} in outbox


def test_the_journal_field_is_the_stored_columns_name(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "first", sample()))
    sheets = sample()
    set_cell(sheets, "surveys", 2, "continue", "false")
    import_path(store, write_csvs(tmp_path / "second", sheets))
    (changes,), = query(store, "SELECT changes FROM outbox WHERE action = 'update'")
    assert json.loads(changes) == {"wants_continue": [True, False]}
