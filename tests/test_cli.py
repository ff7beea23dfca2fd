"""The real ``consultant-app`` command line, run as a subprocess on real store files."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import types
from pathlib import Path

import pytest

from consultant_app import __version__, cli
from consultant_app.domain.validation import check_business_no
from consultant_app.paths import STORE_FILE_NAME
from consultant_app.report_text import display_width

REPORT_KEYS = {"engagements", "companies", "kpi_improvement_mean_pct", "financial_effect_total_krw",
               "financial_effect_per_company_krw", "new_hires_total", "new_hires_by_year", "smart_factories_built",
               "survey", "method"}
SURVEY_KEYS = {"responses", "satisfied_pct", "continue_pct", "recommend_pct", "improved_pct"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def run_cli(*args: str, data_dir: Path | None = None, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    """``python -m consultant_app [--data-dir DIR] ARGS`` with UTF-8 output and no language set."""
    command = [sys.executable, "-m", "consultant_app"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    environment = {k: v for k, v in os.environ.items() if k != cli.LANG_ENV}
    environment.update({"PYTHONIOENCODING": "utf-8", **(env or {})})
    return subprocess.run(command + list(args), capture_output=True, text=True, encoding="utf-8",
                          env=environment, timeout=120)


def sql(data_dir: Path, query: str, *params) -> list[tuple]:
    connection = sqlite3.connect(f"{(data_dir / STORE_FILE_NAME).as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(query, params).fetchall()
    finally:
        connection.close()


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the demo loaded once through the command line; tests that change it copy it."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    result = run_cli("demo", data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert "30" in result.stdout
    return folder


@pytest.fixture
def demo_copy(demo_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo-copy"
    shutil.copytree(demo_dir, copy)
    return copy


# -- demo and companies -------------------------------------------------------------

def test_demo_then_companies_json_lists_thirty_companies(demo_dir):
    result = run_cli("companies", "--json", data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    companies = json.loads(result.stdout)
    assert len(companies) == 30
    for company in companies:
        assert check_business_no(company["business_no"]) == []
        assert company["name"] and company["sponsor"] and company["region"]
        assert company["engagements"] >= 1 and company["latest_year"] >= 1


def test_demo_twice_says_so_and_changes_nothing(demo_copy):
    before = sql(demo_copy, "SELECT count(*) FROM audit_log")
    result = run_cli("demo", "--seed", "3", data_dir=demo_copy)
    assert result.returncode == 0
    assert "이미" in result.stdout
    assert sql(demo_copy, "SELECT count(*) FROM audit_log") == before
    assert sql(demo_copy, "SELECT count(*) FROM companies") == [(30,)]


def test_companies_table_search_and_limit(demo_dir):
    listed = json.loads(run_cli("companies", "--json", data_dir=demo_dir).stdout)
    target = listed[0]
    result = run_cli("companies", "--search", target["name"], data_dir=demo_dir)
    assert result.returncode == 0
    number = target["business_no"]
    assert f"{number[:3]}-{number[3:5]}-{number[5:]}" in result.stdout
    assert "사업자등록번호" in result.stdout and target["name"] in result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) >= 3
    # Right-aligned last column: every row ends at the same display column, Hangul counted as two.
    assert len({display_width(line) for line in lines}) == 1
    limited = json.loads(run_cli("companies", "--json", "--limit", "5", data_dir=demo_dir).stdout)
    assert len(limited) == 5


# -- the programme report -----------------------------------------------------------

def test_report_programme_json_has_the_issue_keys(demo_dir):
    result = run_cli("report", "programme", "--json", data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == REPORT_KEYS
    assert set(report["survey"]) == SURVEY_KEYS
    assert report["engagements"] == sql(demo_dir, "SELECT count(*) FROM engagements WHERE deleted = 0")[0][0]
    assert report["companies"] == 30
    assert report["financial_effect_total_krw"] == \
        sql(demo_dir, "SELECT sum(financial_effect_krw) FROM outcomes WHERE deleted = 0")[0][0]
    assert report["new_hires_total"] == sql(demo_dir, "SELECT sum(new_hires) FROM outcomes")[0][0]
    assert 10 < report["kpi_improvement_mean_pct"] < 90
    assert HANGUL.search(report["method"]["engagements"])  # ensure_ascii=False: Korean as written


def test_report_json_is_exactly_the_domain_report_unrounded(demo_dir):
    from consultant_app.domain.aggregates import ReportFilter, programme_report
    from consultant_app.domain.kpi import default_catalogue
    from consultant_app.store import Store
    from consultant_app.store.queries import engagement_records

    printed = json.loads(run_cli("report", "programme", "--json", "--phase", "1", data_dir=demo_dir).stdout)
    with Store.open(demo_dir) as store, store.session() as session:
        records = engagement_records(session=session)
    expected = programme_report(records, default_catalogue(), ReportFilter(phase=1), "ko").as_dict()
    assert printed == expected


def test_report_year_filter_counts_only_that_year(demo_dir):
    report = json.loads(run_cli("report", "programme", "--json", "--year", "1", data_dir=demo_dir).stdout)
    year_one = sql(demo_dir, "SELECT count(*), count(DISTINCT company_id) FROM engagements WHERE year = 1")[0]
    assert (report["engagements"], report["companies"]) == year_one
    assert set(report["new_hires_by_year"]) <= {"1"}
    hires = sql(demo_dir, "SELECT sum(o.new_hires) FROM outcomes o JOIN engagements e ON e.id = o.engagement_id "
                          "WHERE e.year = 1")[0][0]
    assert report["new_hires_total"] == hires


def test_report_sponsor_and_phase_filters(demo_dir):
    sponsor = "청람자동차"
    report = json.loads(run_cli("report", "programme", "--json", "--sponsor", sponsor, data_dir=demo_dir).stdout)
    expected = sql(demo_dir, "SELECT count(*) FROM engagements e JOIN companies c ON c.id = e.company_id "
                             "JOIN sponsors s ON s.id = c.sponsor_id WHERE s.name = ?", sponsor)[0][0]
    assert report["engagements"] == expected > 0
    phase2 = json.loads(run_cli("report", "programme", "--json", "--phase", "2", data_dir=demo_dir).stdout)
    assert phase2["engagements"] == sql(demo_dir, "SELECT count(*) FROM engagements WHERE phase = 2")[0][0]


def test_report_table_in_korean_shows_the_same_totals(demo_dir):
    report = json.loads(run_cli("report", "programme", "--json", data_dir=demo_dir).stdout)
    result = run_cli("report", "programme", data_dir=demo_dir)
    assert result.returncode == 0
    table = result.stdout
    for label in ("참여 건수", "참여 기업", "KPI 평균 개선율", "재무적 효과 합계", "신규 채용 합계", "스마트공장 구축",
                  "만족도 조사", "차수별 신규 채용", "산출 방법", "1차년도"):
        assert label in table, label
    assert f"{report['engagements']}건" in table
    assert f"{report['financial_effect_total_krw']:,}원" in table
    assert f"{round(report['financial_effect_per_company_krw']):,}원" in table
    assert f"{report['kpi_improvement_mean_pct']:.1f}%" in table
    assert f"{report['survey']['satisfied_pct']:.1f}%" in table
    assert f"{report['new_hires_total']:,}명" in table
    # The main table's rows end at the same display column although labels and "원" are wide characters.
    lines = table.splitlines()
    main = lines[lines.index(next(line for line in lines if line.startswith("항목"))):][:9]
    assert len({display_width(line) for line in main}) == 1
    assert main[2].startswith("참여 건수")


def test_report_in_english(demo_dir):
    result = run_cli("--lang", "en", "report", "programme", data_dir=demo_dir)
    assert result.returncode == 0
    assert "Engagements" in result.stdout and "KRW " in result.stdout and "How each figure" in result.stdout
    assert not HANGUL.search(result.stdout)
    via_env = run_cli("report", "programme", data_dir=demo_dir, env={cli.LANG_ENV: "en"})
    assert via_env.stdout == result.stdout


# -- backup, restore and check ---------------------------------------------------------

def _rename_first_company(data_dir: Path, name: str) -> str:
    from sqlmodel import select

    from consultant_app.store import Store
    from consultant_app.store.models import Company

    with Store.open(data_dir, actor="tester") as store, store.transaction() as session:
        company = session.exec(select(Company).order_by(Company.business_no)).first()
        old, company.name = company.name, name
    return old


def test_backup_change_restore_brings_the_data_back(demo_copy):
    backed_up = run_cli("backup", data_dir=demo_copy)
    assert backed_up.returncode == 0, backed_up.stderr
    backup = Path(backed_up.stdout.splitlines()[0].split(": ", 1)[1])
    assert backup.is_file() and backup.parent == demo_copy / "backups" and backup.suffix == ".zip"

    old = _rename_first_company(demo_copy, "바뀐이름")
    assert sql(demo_copy, "SELECT count(*) FROM companies WHERE name = '바뀐이름'") == [(1,)]

    restored = run_cli("restore", str(backup), data_dir=demo_copy)
    assert restored.returncode == 0, restored.stderr
    assert "복원했습니다" in restored.stdout
    names = {c["name"] for c in json.loads(run_cli("companies", "--json", data_dir=demo_copy).stdout)}
    assert old in names and "바뀐이름" not in names
    # The file that was replaced is kept as a safety copy.
    safety = Path(restored.stdout.strip().splitlines()[-1].split(": ", 1)[1])
    connection = sqlite3.connect(safety)
    assert connection.execute("SELECT count(*) FROM companies WHERE name = '바뀐이름'").fetchone() == (1,)
    connection.close()


def test_backup_out_file_and_never_over_an_existing_file(demo_copy, tmp_path):
    out = tmp_path / "mine.sqlite3"
    assert run_cli("backup", "--out", str(out), data_dir=demo_copy).returncode == 0
    assert sqlite3.connect(out).execute("SELECT count(*) FROM companies").fetchone() == (30,)
    again = run_cli("backup", "--out", str(out), data_dir=demo_copy)
    assert again.returncode == 1 and str(out) in again.stderr
    assert_no_traceback(again)


def test_restore_refuses_a_damaged_backup_and_keeps_the_store(demo_copy, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    store_bytes = (demo_copy / STORE_FILE_NAME).read_bytes()
    result = run_cli("restore", str(bad), data_dir=demo_copy)
    assert result.returncode == 1 and str(bad) in result.stderr
    assert_no_traceback(result)
    assert (demo_copy / STORE_FILE_NAME).read_bytes() == store_bytes


def test_check_on_a_healthy_store(demo_dir):
    result = run_cli("check", data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    assert "무결성 검사: 이상 없음" in result.stdout and "외래 키 검사: 이상 없음" in result.stdout
    assert re.search(r"기업 \(companies\)\s+30", result.stdout)
    pending = sql(demo_dir, "SELECT count(*) FROM outbox WHERE status = 'pending'")[0][0]
    assert f"전송 대기 변경: {pending:,}건" in result.stdout


def _corrupt_middle_page(path: Path) -> None:
    page_size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    pages = path.stat().st_size // page_size
    with path.open("r+b") as handle:
        handle.seek(page_size * (pages // 2))
        handle.write(b"\xde\xad\xbe\xef" * (page_size // 4))


def test_check_on_a_corrupted_store_names_the_file_and_leaves_it_alone(demo_copy):
    assert run_cli("backup", data_dir=demo_copy).returncode == 0
    path = demo_copy / STORE_FILE_NAME
    _corrupt_middle_page(path)
    damaged = path.read_bytes()

    for args in (("check",), ("companies",), ("report", "programme", "--json"), ("backup",)):
        result = run_cli(*args, data_dir=demo_copy)
        assert result.returncode == 1, args
        assert_no_traceback(result)
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and "consultant-app restore" in lines[0]
        assert path.read_bytes() == damaged


def test_check_on_a_file_that_is_not_a_database(tmp_path):
    folder = tmp_path / "notdb"
    folder.mkdir()
    path = folder / STORE_FILE_NAME
    path.write_text("이것은 데이터베이스가 아닙니다\n" * 50, encoding="utf-8")
    content = path.read_bytes()
    result = run_cli("check", data_dir=folder)
    assert result.returncode == 1
    assert_no_traceback(result)
    assert len(result.stderr.strip().splitlines()) == 1 and str(path) in result.stderr
    assert path.read_bytes() == content
    english = run_cli("--lang", "en", "check", data_dir=folder)
    assert english.stderr.startswith("The data file is corrupt or unreadable")


def test_check_without_a_store_file_creates_none(tmp_path):
    result = run_cli("check", data_dir=tmp_path / "empty")
    assert result.returncode == 1 and "데이터 파일이 없습니다" in result.stderr
    assert not (tmp_path / "empty" / STORE_FILE_NAME).exists()


# -- usage, folders, language ----------------------------------------------------------

@pytest.mark.parametrize("args", [("frobnicate",), ("companies", "--limit", "zero"), ("companies", "--limit", "0"),
                                  ("report",), ("report", "programme", "--phase", "3"), ("--lang", "fr", "check"),
                                  ("restore",), ("companies", "--bogus")])
def test_usage_errors_exit_2(args, tmp_path):
    result = run_cli(*args, data_dir=tmp_path / "d")
    assert result.returncode == 2, result
    assert_no_traceback(result)
    assert "사용법" in result.stderr or "usage" in result.stderr


def test_data_dir_option_and_environment_variable_choose_the_folder(tmp_path):
    from_env = tmp_path / "from-env"
    result = run_cli("demo", env={"CONSULTANT_APP_DATA_DIR": str(from_env)})
    assert result.returncode == 0 and (from_env / STORE_FILE_NAME).is_file()
    assert len(json.loads(run_cli("companies", "--json", env={"CONSULTANT_APP_DATA_DIR": str(from_env)}).stdout)) == 30

    other = tmp_path / "other"
    listed = run_cli("companies", "--json", data_dir=other, env={"CONSULTANT_APP_DATA_DIR": str(from_env)})
    assert json.loads(listed.stdout) == []  # --data-dir wins over the environment
    after_command = run_cli("companies", "--json", "--data-dir", str(from_env))
    assert len(json.loads(after_command.stdout)) == 30  # global options also work after the command


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and __version__ in result.stdout


# -- in-process: GUI entry and unexpected errors ----------------------------------------

def test_no_arguments_prints_korean_help_while_there_is_no_gui(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "consultant_app.ui", None)  # as if the GUI package were not there
    assert cli.main([]) == 0
    printed = capsys.readouterr().out
    assert "사용법" in printed and "명령" in printed and "report" in printed


def test_no_arguments_runs_the_gui_when_it_is_there(monkeypatch, tmp_path):
    seen = []
    package = types.ModuleType("consultant_app.ui")
    package.__path__ = []
    app = types.ModuleType("consultant_app.ui.app")
    app.run = lambda data_dir: seen.append(data_dir) or 0
    monkeypatch.setitem(sys.modules, "consultant_app.ui", package)
    monkeypatch.setitem(sys.modules, "consultant_app.ui.app", app)
    assert cli.main(["--data-dir", str(tmp_path / "gui")]) == 0
    assert seen == [tmp_path / "gui"]


def test_a_gui_missing_a_dependency_is_reported_not_hidden(monkeypatch, capsys, tmp_path):
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "app.py").write_text("import PySide6_missing_for_this_test\n", encoding="utf-8")
    package = types.ModuleType("consultant_app.ui")
    package.__path__ = [str(tmp_path / "ui")]
    monkeypatch.setitem(sys.modules, "consultant_app.ui", package)
    monkeypatch.delitem(sys.modules, "consultant_app.ui.app", raising=False)
    assert cli.main(["--data-dir", str(tmp_path / "data")]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "PySide6_missing_for_this_test" in lines[0]


def test_an_unexpected_error_is_one_line_and_the_traceback_goes_to_the_log(monkeypatch, capsys, tmp_path):
    def boom(args, ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "cmd_companies", boom)
    assert cli.main(["--data-dir", str(tmp_path), "companies"]) == 1
    printed = capsys.readouterr()
    lines = printed.err.strip().splitlines()
    assert len(lines) == 1 and "RuntimeError: boom" in lines[0] and "Traceback" not in printed.err
    log = tmp_path / "logs" / "consultant-app.log"
    assert str(log) in lines[0]
    assert "Traceback" in log.read_text(encoding="utf-8") and "boom" in log.read_text(encoding="utf-8")


def test_validation_failures_print_each_issue(monkeypatch, capsys, tmp_path):
    from consultant_app.domain.validation import Issue, Rule, ValidationFailed

    def invalid(args, ctx):
        raise ValidationFailed([Issue(Rule.REQUIRED, "name"), Issue(Rule.OUT_OF_CHOICES, "phase",
                                                                     {"value": 3, "choices": "1, 2"})])

    monkeypatch.setattr(cli, "cmd_companies", invalid)
    assert cli.main(["--data-dir", str(tmp_path), "--lang", "en", "companies"]) == 1
    assert capsys.readouterr().err.splitlines() == ["company name is required.",
                                                    "phase must be one of 1, 2 (got 3)."]


# -- import and export -----------------------------------------------------------------

GOOD_A, GOOD_B = "1248126979", "1298114411"


def _write_csv_folder(folder: Path) -> Path:
    """Two companies with an engagement each; the KPI sheet's row 3 has a defect rate of 150 %."""
    folder.mkdir()
    (folder / "companies.csv").write_text(
        "business_no,name,region,industry,employees,supplier_tier,sponsor\n"
        f"{GOOD_A},가상정밀,경기 안산,금속가공,45,2,가상전자\n"
        f"{GOOD_B},가상테크,경남 창원,사출성형,120,3,가상전자\n", encoding="utf-8")
    (folder / "engagements.csv").write_text(
        "business_no,year,phase,field,support_krw,start_date,end_date,financial_effect_krw,new_hires\n"
        f"{GOOD_A},1,1,productivity,30000000,2014-01-10,2014-09-30,50000000,2\n"
        f"{GOOD_B},1,1,productivity,25000000,2014-02-01,2014-10-15,80000000,1\n", encoding="utf-8")
    (folder / "kpis.csv").write_text(
        "business_no,year,kpi,baseline,target,post\n"
        f"{GOOD_A},1,defect_rate,3.2,1.6,1.7\n"
        f"{GOOD_B},1,defect_rate,150,1.0,1.2\n"
        f"{GOOD_B},1,lead_time,20,15,14\n", encoding="utf-8")
    return folder


def test_import_with_a_bad_row_fails_names_the_place_and_writes_nothing(tmp_path):
    source = _write_csv_folder(tmp_path / "in")
    data = tmp_path / "data"
    result = run_cli("import", str(source), data_dir=data)
    assert result.returncode == 1
    assert_no_traceback(result)
    problem_lines = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert problem_lines and all("kpis.csv" in line for line in problem_lines)
    assert any("3행" in line and "baseline" in line and "150" in line for line in problem_lines)
    assert json.loads(run_cli("companies", "--json", data_dir=data).stdout) == []
    english = run_cli("--lang", "en", "import", str(source), data_dir=data)
    assert english.returncode == 1 and "row 3" in english.stderr


def test_import_keeping_good_rows_writes_them_and_lists_the_skipped(tmp_path):
    source = _write_csv_folder(tmp_path / "in")
    data = tmp_path / "data"
    result = run_cli("import", str(source), "--keep-good-rows", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "기업: 새로 2" in result.stdout
    assert "kpis.csv 3행" in result.stderr
    companies = json.loads(run_cli("companies", "--json", data_dir=data).stdout)
    assert sorted(c["business_no"] for c in companies) == [GOOD_A, GOOD_B]
    assert sql(data, "SELECT kpi_code, baseline FROM kpi_measurements ORDER BY baseline") == \
        [("defect_rate", 3.2), ("lead_time", 20.0)]
    # Every imported row is journalled.
    assert sql(data, "SELECT count(*) FROM outbox")[0][0] == sql(data, "SELECT count(*) FROM audit_log")[0][0] > 0


@pytest.mark.parametrize("target", ["folder", "book.xlsx"])
def test_export_then_import_round_trip(demo_dir, tmp_path, target):
    exported = tmp_path / target
    result = run_cli("export", str(exported), data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    assert "기업: 30" in result.stdout

    fresh = tmp_path / "fresh"
    imported = run_cli("import", str(exported), data_dir=fresh)
    assert imported.returncode == 0, imported.stderr
    assert "기업: 새로 30" in imported.stdout

    def companies(folder):
        return [{k: v for k, v in c.items() if k != "id"}
                for c in json.loads(run_cli("companies", "--json", data_dir=folder).stdout)]

    def report(folder):
        return json.loads(run_cli("report", "programme", "--json", data_dir=folder).stdout)

    assert companies(fresh) == companies(demo_dir)
    assert report(fresh) == report(demo_dir)
    again = run_cli("import", str(exported), data_dir=fresh)
    assert again.returncode == 0 and "저장하지 않음" in again.stdout
