"""The command line: ``consultant-app`` with subcommands over the app's services; no arguments opens the GUI.

Exit codes: 0 done (``demo`` too when the demo data is already there: it says so and changes nothing),
1 an error (one line on stderr in the chosen language; unexpected ones also logged with their traceback to
``<data-dir>/logs/consultant-app.log``), 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from consultant_app import APP_NAME, __version__
from consultant_app.domain.validation import ValidationFailed
from consultant_app.errors import AppError
from consultant_app.paths import OFFICE_KEYS_DIR, STORE_FILE_NAME, default_data_dir

LANG_ENV = "CONSULTANT_APP_LANG"
LOG_FILE = "consultant-app.log"
EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Context:
    """What every command needs: the data folder and the language of its messages."""

    data_dir: Path
    lang: str

    @property
    def store_path(self) -> Path:
        return self.data_dir / STORE_FILE_NAME

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    def t(self, ko: str, en: str) -> str:
        """The Korean or English wording."""
        return en if self.lang == "en" else ko

    def table_name(self, table: str) -> str:
        from consultant_app.report_text import table_label

        return table_label(table, self.lang)

    def open_store(self):
        """The store in the data folder (created when missing; a damaged file raises StoreCorrupt)."""
        from consultant_app.store import Store

        return Store.open(self.data_dir)

    def require_store_file(self) -> Path:
        """The store file, or an error when the data folder has none (commands that must not create one)."""
        if not self.store_path.is_file():
            raise AppError(f"데이터 파일이 없습니다: {self.store_path}",
                           f"There is no data file: {self.store_path}")
        return self.store_path


def out(line: str = "") -> None:
    print(line)


def err(line: str) -> None:
    print(line, file=sys.stderr)


# -- the parser -------------------------------------------------------------------

def build_parser(lang: str = "ko") -> argparse.ArgumentParser:
    """Every command and option; help texts in the chosen language."""
    def t(ko: str, en: str) -> str:
        return en if lang == "en" else ko

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help=t("데이터 폴더 (기본: 환경 변수 CONSULTANT_APP_DATA_DIR 또는 사용자 데이터 폴더)",
                               "data folder (default: $CONSULTANT_APP_DATA_DIR or the user's data folder)"))
    common.add_argument("--lang", choices=("ko", "en"), default=argparse.SUPPRESS,
                        help=t("메시지와 표의 언어 (기본: ko, 환경 변수 CONSULTANT_APP_LANG)",
                               "language of messages and tables (default: ko, or $CONSULTANT_APP_LANG)"))

    parser = argparse.ArgumentParser(
        prog=APP_NAME, parents=[common],
        description=t("산업혁신운동 컨설턴트 앱. 명령 없이 실행하면 화면(GUI)을 엽니다.",
                      "Industrial Innovation Movement consultant app. With no command it opens the GUI."))
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help=t("버전을 보여 주고 끝냅니다", "show the version and exit"))
    parser.add_argument("--self-test", action="store_true",
                        help=t("임시 데이터로 앱을 화면 없이 점검하고 끝냅니다 (0 정상, 1 실패)",
                               "check the app headless on temporary data and exit (0 ok, 1 failed)"))
    commands = parser.add_subparsers(dest="command", metavar=t("명령", "COMMAND"), title=t("명령", "commands"))

    def command(name: str, ko: str, en: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=t(ko, en), description=t(ko, en))

    p = command("import", "CSV 폴더나 XLSX 파일에서 가져옵니다", "import from a CSV folder or an XLSX file")
    p.add_argument("path", type=Path, metavar="PATH")
    p.add_argument("--keep-good-rows", action="store_true",
                   help=t("문제가 있는 행은 건너뛰고 나머지를 저장합니다",
                          "skip rows with problems and save the others"))
    p.set_defaults(handler=cmd_import)

    p = command("export", "CSV 폴더나 XLSX 파일로 내보냅니다", "export to a CSV folder or an XLSX file")
    p.add_argument("path", type=Path, metavar="PATH")
    p.add_argument("--form", choices=("office", "codes"), default="office",
                   help=t("office: 사무국 양식 (한글 머리글·낱말, 예/아니오, 123-45-67890; 기본), "
                          "codes: 원본 코드 (영문 머리글과 코드). 가져오기는 둘 다 읽습니다",
                          "office: the office's form (Korean headers and words, 예/아니오, 123-45-67890; the default), "
                          "codes: the original codes (English headers and codes). Import reads both"))
    p.set_defaults(handler=cmd_export)

    p = command("companies", "참여 기업 목록", "list the companies")
    p.add_argument("--search", metavar="TEXT", help=t("기업명·번호·후원기업·지역 검색",
                                                      "search name, number, sponsor or region"))
    p.add_argument("--limit", type=_positive_int, metavar="N", help=t("최대 N개", "at most N"))
    p.add_argument("--json", action="store_true", help=t("JSON 목록으로 출력", "print a JSON list"))
    p.set_defaults(handler=cmd_companies)

    p = command("report", "보고서", "reports")
    reports = p.add_subparsers(dest="report", metavar=t("보고서", "REPORT"), required=True)
    p = reports.add_parser("programme", parents=[common], help=t("사업 성과 보고", "programme results"),
                           description=t("사업 성과 보고", "programme results"))
    p.add_argument("--json", action="store_true", help=t("JSON 객체로 출력", "print one JSON object"))
    p.add_argument("--year", type=_positive_int, metavar="N", help=t("이 차수만", "only this programme year"))
    p.add_argument("--sponsor", metavar="NAME", help=t("이 후원기업만", "only this sponsor"))
    p.add_argument("--phase", type=int, choices=(1, 2), help=t("이 단계만", "only this phase"))
    p.add_argument("--pdf", type=Path, metavar="FILE", help=t("PDF 파일로 저장", "write it as a PDF file"))
    p.set_defaults(handler=cmd_report_programme)

    p = command("certificate", "한 참여 기업의 개선 확인서", "one engagement's improvement certificate")
    actions = p.add_subparsers(dest="action", metavar=t("작업", "ACTION"), required=True)
    p = actions.add_parser("print", parents=[common], help=t("확인서 PDF를 만듭니다 (발급 전에는 초안)",
                                                             "make the certificate PDF (a draft until issued)"),
                           description=t("확인서 PDF를 만듭니다 (발급 전에는 초안)",
                                         "make the certificate PDF (a draft until issued)"))
    p.add_argument("business_no", metavar="BUSINESS_NO")
    p.add_argument("year", type=_positive_int, metavar="YEAR")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help=t("PDF 파일 (기본: 현재 폴더에 '차수_기업명_번호.pdf')",
                          "PDF file (default: 'year_company_number.pdf' in the current folder)"))
    p.set_defaults(handler=cmd_certificate_print)
    p = actions.add_parser("issue", parents=[common],
                           help=t("중앙추진본부에서 확인서를 발급받아 발급본 PDF를 만듭니다 (먼저 동기화)",
                                  "have the central office issue the certificate and write the official PDF "
                                  "(syncs first)"),
                           description=t("중앙추진본부에서 확인서를 발급받아 발급본 PDF를 만듭니다 (먼저 동기화)",
                                         "have the central office issue the certificate and write the official PDF "
                                         "(syncs first)"))
    p.add_argument("business_no", metavar="BUSINESS_NO")
    p.add_argument("year", type=_positive_int, metavar="YEAR")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help=t("PDF 파일 (기본: 현재 폴더에 '차수_기업명_번호.pdf')",
                          "PDF file (default: 'year_company_number.pdf' in the current folder)"))
    p.add_argument("--correct", action="store_true",
                   help=t("발급된 확인서의 값을 고친 변경을 보내 정정본(새 판)을 발급받습니다 (이전 판은 대체됨)",
                          "send the changes to an issued certificate's values and have a corrected version issued "
                          "(the old one is superseded)"))
    p.set_defaults(handler=cmd_certificate_issue)

    p = command("sync", "중앙추진본부 서버와 동기화합니다 (처음에는 표준 입력으로 비밀번호)",
                "sync with the central office's server (the first time, the password from standard input)")
    p.add_argument("--server", required=True, metavar="URL", help=t("서버 주소", "the server's address"))
    p.add_argument("--user", required=True, metavar="NAME", help=t("서버의 사용자 이름", "your user name on the server"))
    p.set_defaults(handler=cmd_sync)

    p = command("verify", "발급된 확인서 PDF의 서명을 공개 키로 검증합니다 (네트워크 없이)",
                "check an issued certificate PDF's signature against the office's public key (offline)")
    p.add_argument("file", type=Path, metavar="FILE.pdf")
    p.add_argument("--public-key", type=Path, metavar="PEM", action="append",
                   help=t(f"중앙추진본부의 공개 키 (PEM; 여러 번 가능; 기본: 데이터 폴더의 {OFFICE_KEYS_DIR}/*.pem)",
                          f"the office's public key (PEM; repeatable; default: {OFFICE_KEYS_DIR}/*.pem in the data folder)"))
    p.set_defaults(handler=cmd_verify)

    p = command("certificates", "조건에 맞는 모든 참여의 확인서를 만듭니다",
                "make certificates for every eligible engagement matching a filter")
    p.add_argument("--out", type=Path, metavar="DIR", required=True, help=t("PDF를 저장할 폴더", "folder for the PDFs"))
    p.add_argument("--year", type=_positive_int, metavar="N", help=t("이 차수만", "only this programme year"))
    p.add_argument("--sponsor", metavar="NAME", help=t("이 후원기업만", "only this sponsor"))
    p.add_argument("--consultant", metavar="NAME", help=t("이 컨설턴트만", "only this consultant"))
    p.add_argument("--merged", type=Path, metavar="FILE", help=t("인쇄용으로 모두 합친 PDF도 저장",
                                                                 "also write one merged PDF for printing"))
    p.add_argument("--workers", type=_positive_int, metavar="N",
                   help=t("작업 프로세스 수 (기본: 코어 수, 최대 4)", "worker processes (default: cores, at most 4)"))
    p.set_defaults(handler=cmd_certificates)

    p = command("demo", "예시 데이터를 채웁니다 (이미 있으면 알리고 그대로 둠, 다른 기업 자료가 있으면 거부)",
                "fill the store with sample data (left as is if already there; refused next to other companies)")
    p.add_argument("--seed", type=int, default=None, metavar="N", help=t("난수 시드 (기본 2018)",
                                                                         "random seed (default 2018)"))
    p.set_defaults(handler=cmd_demo)

    p = command("backup", "데이터 파일과 첨부 파일을 한 파일(zip)로 백업합니다",
                "back up the data file and every attachment into one file (zip)")
    p.add_argument("--out", type=Path, metavar="FOLDER_OR_FILE",
                   help=t("백업을 둘 폴더(USB 등, 없으면 만듦)나 .zip 파일; .sqlite3 파일이면 데이터 파일만 "
                          "(기본: 데이터 폴더의 backups/)",
                          "folder for the backup (a USB stick; created if missing) or a .zip file; a .sqlite3 file "
                          "holds the data file alone (default: backups/ in the data folder)"))
    p.set_defaults(handler=cmd_backup)

    p = command("restore", "백업(zip 또는 .sqlite3)에서 복원합니다 (모두 검사한 뒤, 현재 파일은 먼저 백업)",
                "restore a backup (zip or .sqlite3; checked whole first, the current file is backed up first)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_restore)

    p = command("check", "데이터 파일을 검사합니다", "check the data file")
    p.set_defaults(handler=cmd_check)
    return parser


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} < 1")
    return number


# argparse's own words, in Korean (it looks them up through gettext at run time).
_ARGPARSE_KO = {
    "usage: ": "사용법: ",
    "options": "옵션",
    "positional arguments": "위치 인수",
    "show this help message and exit": "이 도움말을 보여 주고 끝냅니다",
    "the following arguments are required: %s": "다음 인수가 필요합니다: %s",
    "unrecognized arguments: %s": "알 수 없는 인수: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "잘못된 선택: %(value)r (%(choices)s 중 하나)",
    "argument %(argument_name)s: %(message)s": "인수 %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 오류: %(message)s\n",
    "invalid %(type)s value: %(value)r": "잘못된 %(type)s 값: %(value)r",
    "expected one argument": "값이 하나 필요합니다",
    "ambiguous option: %(option)s could match %(matches)s": "모호한 옵션: %(option)s (%(matches)s)",
}


@contextmanager
def _argparse_language(lang: str) -> Iterator[None]:
    if lang == "en":
        yield
        return
    original = argparse._
    argparse._ = lambda message: _ARGPARSE_KO.get(message, original(message))
    try:
        yield
    finally:
        argparse._ = original


def _language(argv: Sequence[str], env: str = LANG_ENV) -> str:
    """``--lang`` from the command line (looked for before parsing, so help is in that language), else ``env``."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return "en" if os.environ.get(env, "ko").strip().lower().startswith("en") else "ko"


# -- main -----------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 error, 2 usage)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _safe_output()
    lang = _language(argv)
    lang = lang if lang in ("ko", "en") else "ko"  # a bad --lang is reported by argparse below
    with _argparse_language(lang):
        parser = build_parser(lang)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if args.self_test:
        from consultant_app.selftest import main as self_test

        return self_test()
    data_dir = args.data_dir.expanduser() if "data_dir" in args else default_data_dir()
    ctx = Context(data_dir=data_dir, lang=lang)
    if args.command is None:
        return run_command(lambda _args, _ctx: open_gui(ctx, parser), args, ctx)
    return run_command(args.handler, args, ctx)


def run_command(handler: Callable[[argparse.Namespace, Context], int], args: argparse.Namespace,
                ctx: Context) -> int:
    """Run a command; every error becomes one clear line on stderr and exit 1, never a traceback."""
    from consultant_app.command_errors import run_reporting_errors

    def explain(exc: BaseException) -> list[str] | None:
        from consultant_app.errors import local_fault

        if isinstance(exc, ValidationFailed):
            return [issue.message(ctx.lang) for issue in exc.errors or exc.issues]
        fault = local_fault(exc, ctx.data_dir)  # the data folder tells a read-only folder or a full disk apart
        return [fault.message(ctx.lang)] if fault is not None else None

    return run_reporting_errors(lambda: handler(args, ctx), lang=ctx.lang, program=f"{APP_NAME} {__version__}",
                                log_path=lambda: ctx.data_dir / "logs" / LOG_FILE, explain=explain)


def _safe_output() -> None:
    # A console that can't show Hangul gets escapes instead of a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def open_gui(ctx: Context, parser: argparse.ArgumentParser) -> int:
    """No command: the GUI when it is installed, else the help."""
    try:
        from consultant_app.ui.app import run
    except ModuleNotFoundError as exc:
        if exc.name not in ("consultant_app.ui", "consultant_app.ui.app"):
            raise  # the GUI is there but something it needs is not (e.g. PySide6): report that
        with _argparse_language(ctx.lang):
            parser.print_help()
        return EXIT_OK
    return run(ctx.data_dir)


# -- commands ---------------------------------------------------------------------

def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.io import ImportFailed, import_path

    with ctx.open_store() as store:
        try:
            result = import_path(store, args.path, keep_good_rows=args.keep_good_rows)
        except ImportFailed as failed:
            errors = sum(1 for p in failed.problems if p.is_error)
            err(ctx.t(f"가져오기 실패: 오류 {errors:,}건이 있어 아무것도 저장하지 않았습니다.",
                      f"Import failed: {errors:,} error(s), nothing was saved."))
            for problem in failed.problems:
                err("  " + problem.message(ctx.lang))
            return EXIT_ERROR
    out(ctx.t(f"가져오기: {args.path}", f"Imported: {args.path}") if result.written
        else ctx.t(f"가져오기: {args.path} (바뀐 내용이 없어 저장하지 않음)", f"Imported: {args.path} (nothing changed)"))
    for table in result.created:
        created, updated = result.created[table], result.updated.get(table, 0)
        if created or updated:
            out(ctx.t(f"  {ctx.table_name(table)}: 새로 {created:,}, 변경 {updated:,}",
                      f"  {ctx.table_name(table)}: {created:,} created, {updated:,} updated"))
    out(ctx.t(f"  변경 없음: {result.unchanged:,}행", f"  unchanged: {result.unchanged:,} rows"))
    if result.errors:
        err(ctx.t(f"문제 {len(result.problems):,}건 (오류가 있는 행은 건너뜀):",
                  f"{len(result.problems):,} problem(s) (rows with errors were skipped):"))
    elif result.problems:  # warnings only (an unknown column, hidden rows …): nothing was skipped for them
        err(ctx.t(f"경고 {len(result.problems):,}건:", f"{len(result.problems):,} warning(s):"))
    if result.problems:
        for problem in result.problems:
            err("  " + problem.message(ctx.lang))
    return EXIT_OK


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.io import export_path

    with ctx.open_store() as store:
        counts = export_path(store, args.path, form=args.form)
    out(ctx.t(f"내보내기: {args.path}", f"Exported: {args.path}"))
    for table, n in counts.items():
        out(f"  {ctx.table_name(table)}: {n:,}")
    return EXIT_OK


def cmd_companies(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.report_text import companies_text
    from consultant_app.store.queries import list_companies

    with ctx.open_store() as store, store.session() as session:
        rows = list_companies(session=session, search=args.search, limit=args.limit)
    if args.json:
        out(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
    else:
        out(companies_text(rows, ctx.lang))
    return EXIT_OK


def cmd_report_programme(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.domain.aggregates import ReportFilter, programme_report
    from consultant_app.domain.kpi import default_catalogue
    from consultant_app.report_text import programme_report_text
    from consultant_app.store.queries import engagement_records

    with ctx.open_store() as store, store.session() as session:
        records = engagement_records(session=session)
    report_filter = ReportFilter(year=args.year, sponsor=args.sponsor, phase=args.phase)
    if args.pdf:
        from datetime import date

        from consultant_app.domain.report_view import build_report_view
        from consultant_app.files import write_atomically
        from consultant_app.reports.programme_pdf import render_programme_report

        view = build_report_view(records, default_catalogue(), report_filter=report_filter, lang=ctx.lang,
                                 generated_on=date.today())
        write_atomically(args.pdf, render_programme_report(view))
        out(ctx.t(f"보고서를 저장했습니다: {args.pdf} (참여 {view.overall.engagements:,}건)",
                  f"Report written: {args.pdf} ({view.overall.engagements:,} engagements)"))
        return EXIT_OK
    report = programme_report(records, default_catalogue(), report_filter, ctx.lang).as_dict()
    if args.json:
        out(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        out(programme_report_text(report, report_filter, ctx.lang))
    return EXIT_OK


def cmd_certificate_print(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.domain.certificate import NotEligible, certificate_file_name
    from consultant_app.files import write_atomically
    from consultant_app.services.certificates import (
        certificate_view,
        find_engagement,
        not_eligible_message,
        render_pdf,
    )

    with ctx.open_store() as store:
        with store.session() as session:
            engagement_id = find_engagement(session=session, business_no=args.business_no, year=args.year)
        try:
            view = certificate_view(store, engagement_id)
        except NotEligible as exc:
            err(not_eligible_message(exc, ctx.lang))
            return EXIT_ERROR
    path = args.out or Path(certificate_file_name(view.source))
    write_atomically(path, render_pdf(view))
    kind = ctx.t("초안", "draft") if view.is_draft else ctx.t("발급본", "issued")
    out(ctx.t(f"확인서({kind})를 저장했습니다: {path}", f"Certificate ({kind}) written: {path}"))
    return EXIT_OK


def cmd_certificate_issue(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.domain.certificate import certificate_file_name
    from consultant_app.files import write_atomically
    from consultant_app.services.certificates import (
        certificate_view,
        find_engagement,
        render_pdf,
    )
    from consultant_app.sync.account import issue_with_kept_login

    with ctx.open_store() as store:
        with store.session() as session:
            engagement_id = find_engagement(session=session, business_no=args.business_no, year=args.year)
        certificate = issue_with_kept_login(store, engagement_id, correct=args.correct)
        view = certificate_view(store, engagement_id)
        if view.is_draft:
            raise AppError(f"확인서 {certificate['number']}는 발급되었지만 이 노트북의 기록이 확인된 값과 다릅니다. "
                           f"동기화 화면에서 남은 변경을 확인한 뒤 다시 인쇄하세요 (certificate print).",
                           f"Certificate {certificate['number']} was issued, but this laptop's records differ from "
                           f"the certified values. Check the changes left on the sync page, then print it again.")
    path = args.out or Path(certificate_file_name(view.source))
    write_atomically(path, render_pdf(view))
    out(ctx.t(f"확인서 {certificate['number']} 제{certificate['version']}판을 발급받아 저장했습니다: {path}\n"
              f"검증: {certificate['verify_url']}",
              f"Certificate {certificate['number']} version {certificate['version']} issued and written: {path}\n"
              f"Verify at: {certificate['verify_url']}"))
    return EXIT_OK


def _read_password(ctx: Context) -> str:
    import getpass

    line = getpass.getpass(ctx.t("비밀번호: ", "Password: ")) if sys.stdin.isatty() else sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise AppError("비밀번호가 필요합니다: 표준 입력의 첫 줄로 주세요.",
                       "A password is needed: give it as the first line of standard input.")
    return password


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.store.queries import pending_changes
    from consultant_app.sync.account import sync_account

    def token_saved(saved) -> None:
        if not saved.in_keyring:
            err(ctx.t(f"이 컴퓨터에는 OS 키링이 없어 로그인 토큰을 이 사용자만 읽을 수 있는 파일에 저장했습니다: {saved.where}",
                      f"No OS keyring here: the login token was saved in a file only you can read: {saved.where}"))

    from consultant_app.sync.addresses import plain_http_warning

    warning = plain_http_warning(args.server)
    if warning is not None:
        err(ctx.t(*warning))
    with ctx.open_store() as store:
        report, _saved = sync_account(store, server=args.server, user=args.user,
                                      password=lambda: _read_password(ctx), on_token_saved=token_saved)
        with store.session() as session:
            left = pending_changes(session=session)
    out(ctx.t(f"동기화했습니다: 보냄 {report.pushed:,}건 (반영 {report.applied:,}, 충돌 {report.conflicts:,}, "
              f"거부 {report.rejected:,}), 받음 {report.pulled:,}건, 남은 변경 {left:,}건",
              f"Synced: sent {report.pushed:,} (applied {report.applied:,}, conflicts {report.conflicts:,}, "
              f"rejected {report.rejected:,}), received {report.pulled:,}, changes left {left:,}"))
    if report.conflicts or report.rejected:
        out(ctx.t("충돌하거나 거부된 변경은 앱의 동기화 화면에서 확인하세요.",
                  "Conflicting or rejected changes wait for you to look at them."))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.domain.signing import load_public_key, public_key_id
    from consultant_app.reports.signed_pdf import verify_pdf

    key_files = args.public_key or sorted((ctx.data_dir / OFFICE_KEYS_DIR).glob("*.pem"))
    if not key_files:
        raise AppError(f"중앙추진본부의 공개 키가 없습니다: --public-key로 주거나 먼저 동기화하세요 ({ctx.data_dir / OFFICE_KEYS_DIR})",
                       f"No public key of the central office: give one with --public-key or sync first "
                       f"({ctx.data_dir / OFFICE_KEYS_DIR})")
    keys = {}
    for path in key_files:
        try:
            key = load_public_key(path.read_bytes())
        except ValueError as exc:
            raise AppError(f"공개 키 파일을 읽을 수 없습니다: {path} ({exc})",
                           f"The public key file cannot be read: {path} ({exc})") from exc
        keys[public_key_id(key)] = key
    result = verify_pdf(args.file.read_bytes(), keys)
    if result.problem:
        err(ctx.t(f"검증할 수 없습니다: {args.file}: {result.problem}", f"Cannot verify {args.file}: {result.problem}"))
        return EXIT_ERROR
    facts = result.signed.facts
    year = facts["engagement"]["year"]
    what = f"{facts['number']} ({facts['company']['name']}, {ctx.t(f'{year}차년도', f'year {year}')})"
    if not result.key_known:
        err(ctx.t(f"서명 키 {result.signed.key_id}를 모릅니다: 중앙추진본부의 키가 아니거나 새 키입니다. {what}",
                  f"Unknown signing key {result.signed.key_id}: not the office's, or a newer key. {what}"))
        return EXIT_ERROR
    if not result.signature_ok:
        err(ctx.t(f"서명이 맞지 않습니다: 확인서의 내용이 바뀌었습니다. {what}",
                  f"The signature does not match: the certificate's facts were changed. {what}"))
        return EXIT_ERROR
    if result.unprinted:
        err(ctx.t(f"서명은 맞지만 인쇄된 내용이 서명된 내용과 다릅니다. {what}. 보이지 않는 값: {', '.join(map(str, result.unprinted))}",
                  f"The signature is valid but the printed page differs from the signed facts. {what}. "
                  f"Not shown: {', '.join(map(str, result.unprinted))}"))
        return EXIT_ERROR
    out(ctx.t(f"유효한 서명: 확인서 {what}, 키 {result.signed.key_id}. 폐기·정정 여부는 검증 페이지에서 확인하세요: "
              f"{facts['verify_url']}",
              f"Valid signature: certificate {what}, key {result.signed.key_id}. Whether it was revoked or "
              f"superseded, the verification page says: {facts['verify_url']}"))
    return EXIT_OK


def cmd_certificates(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.domain.certificate import missing_lines
    from consultant_app.services.certificate_batch import export_certificates
    from consultant_app.services.certificates import CertificateFilter

    show_progress = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show_progress and total:
            print(f"\r{done:,} / {total:,}", end="", file=sys.stderr, flush=True)

    flt = CertificateFilter(year=args.year, sponsor=args.sponsor, consultant=args.consultant)
    with ctx.open_store() as store:
        result = export_certificates(store, args.out, certificate_filter=flt, merged=args.merged,
                                     workers=args.workers, progress=progress)
    if show_progress:
        print(file=sys.stderr)
    out(ctx.t(f"확인서 {len(result.written):,}건을 저장했습니다: {args.out}",
              f"{len(result.written):,} certificate(s) written to {args.out}"))
    if result.merged:
        out(ctx.t(f"인쇄용 합본: {result.merged}", f"Merged for printing: {result.merged}"))
    if result.skipped:
        out(ctx.t(f"건너뜀 {len(result.skipped):,}건 (확인서에 필요한 값이 빠짐):",
                  f"Skipped {len(result.skipped):,} (missing what a certificate needs):"))
        for source, missing in result.skipped:
            reasons = "; ".join(missing_lines(missing, ctx.lang))
            out(f"  {source.company_name} ({source.business_no}) {ctx.t(f'{source.year}차년도', f'year {source.year}')}: "
                f"{reasons}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.demo import DEFAULT_SEED, DemoAlreadyLoaded, load_demo

    seed = DEFAULT_SEED if args.seed is None else args.seed
    with ctx.open_store() as store:
        try:
            counts = load_demo(store, seed=seed)
        except DemoAlreadyLoaded as exc:
            out(exc.message(ctx.lang))  # the demo is there: the wanted state, so exit 0
            return EXIT_OK
    summary = ", ".join(f"{ctx.table_name(t)} {n:,}" for t, n in counts.items())
    out(ctx.t(f"데모 데이터를 넣었습니다 (seed {seed}): {summary}",
              f"Demo data added (seed {seed}): {summary}"))
    out(ctx.t(f"데이터 폴더: {ctx.data_dir}", f"Data folder: {ctx.data_dir}"))
    return EXIT_OK


def _progress_line(done: int, total: int) -> None:
    if sys.stderr.isatty() and total:
        print(f"\r{done:,} / {total:,}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:,.1f} MB"


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.store.archive import free_archive_path, write_archive
    from consultant_app.store.backup import BACKUP_SUFFIX

    requested: Path | None = args.out
    if requested is not None and requested.suffix.lower() == BACKUP_SUFFIX and not requested.is_dir():
        return _backup_database_only(requested, ctx)
    ctx.require_store_file()
    if requested is not None and requested.suffix.lower() == ".zip":
        destination = requested
    else:  # a folder, made when missing (a fresh USB stick)
        destination = free_archive_path(requested or ctx.backups_dir)
    result = write_archive(ctx.data_dir, destination, progress=_progress_line)
    out(ctx.t(f"백업했습니다: {result.path}", f"Backed up to: {result.path}"))
    out(ctx.t(f"  데이터 파일과 첨부 파일·공개 키 {result.files:,}개, {_megabytes(result.bytes)} → {_megabytes(result.size)}",
              f"  The data file and {result.files:,} attachment and key file(s), {_megabytes(result.bytes)} → "
              f"{_megabytes(result.size)}"))
    if result.missing:
        out(ctx.t(f"  이 노트북에 아직 없는 첨부 파일 {len(result.missing):,}개는 들어 있지 않습니다 (동기화로 받은 뒤 "
                  f"다시 백업하세요).",
                  f"  {len(result.missing):,} attachment file(s) this laptop has not received yet are not in it "
                  f"(sync, then back up again)."))
    if result.damaged:
        err(ctx.t(f"이미 손상된 첨부 파일 {len(result.damaged):,}개는 표시해 두었고 복원하지 않습니다: "
                  f"{', '.join(result.damaged[:3])}",
                  f"{len(result.damaged):,} attachment file(s) were already damaged here; they are marked and will "
                  f"not be restored: {', '.join(result.damaged[:3])}"))
    return EXIT_OK


def _backup_database_only(destination: Path, ctx: Context) -> int:
    """``--out FILE.sqlite3``: the data file alone, as earlier versions wrote."""
    from consultant_app.store.backup import StoreCorrupt, backup_file, integrity_problem, latest_backup

    source = ctx.require_store_file()
    problem = integrity_problem(source)
    if problem:
        raise StoreCorrupt(source, problem, latest_backup(ctx.backups_dir))
    if destination.exists():
        raise AppError(f"이미 있는 파일이라 덮어쓰지 않았습니다: {destination}",
                       f"The file already exists and was not overwritten: {destination}")
    backup_file(source, destination)
    out(ctx.t(f"백업했습니다 (데이터 파일만, 첨부 파일 없음): {destination}",
              f"Backed up (the data file alone, no attachments): {destination}"))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    from consultant_app.store.restore import restore_backup

    # The store is never opened here: the file is replaced while nothing of ours holds it.
    backup = args.file.resolve()
    result = restore_backup(backup, ctx.data_dir, progress=_progress_line)
    out(ctx.t(f"복원했습니다: {backup} → {ctx.store_path}", f"Restored: {backup} → {ctx.store_path}"))
    if result.manifest is not None:
        try:
            made = datetime.fromisoformat(result.manifest["created_at"]).astimezone().strftime("%Y-%m-%d %H:%M")
        except (KeyError, TypeError, ValueError):
            made = "?"
        out(ctx.t(f"  {made}에 만든 백업, 첨부 파일·공개 키 {result.files:,}개를 넣었습니다 (있던 첨부 파일은 그대로).",
                  f"  A backup made {made}; {result.files:,} attachment and key file(s) put in place (the files "
                  f"already here stay)."))
    if result.kept_device_id:
        out(ctx.t(f"  장치 ID는 이 데이터 폴더의 것을 그대로 씁니다: {result.device_id}",
                  f"  The device id stays this data folder's: {result.device_id}"))
    else:
        out(ctx.t(f"  새 데이터 폴더라 새 장치 ID를 받았습니다: {result.device_id}",
                  f"  A new data folder, so a new device id: {result.device_id}"))
    if result.damaged:
        err(ctx.t(f"백업할 때 이미 손상되어 있던 첨부 파일 {len(result.damaged):,}개는 복원하지 않았습니다.",
                  f"{len(result.damaged):,} attachment file(s) already damaged when backed up were not restored."))
    if result.missing:
        out(ctx.t(f"  백업할 때 노트북에 없던 첨부 파일 {len(result.missing):,}개는 백업에도 없습니다 (서버에 있으면 "
                  f"동기화할 때 받습니다).",
                  f"  {len(result.missing):,} attachment file(s) the laptop lacked when it backed up are not in it "
                  f"either (a sync fetches them if the server has them)."))
    safety = result.safety
    if safety is None:
        out(ctx.t("복원 전에는 데이터 파일이 없었습니다.", "There was no data file before."))
    elif ".damaged-" in safety.name:
        out(ctx.t(f"손상된 이전 파일은 그대로 옮겨 두었습니다: {safety}",
                  f"The damaged previous file was moved aside unchanged: {safety}"))
    else:
        out(ctx.t(f"복원 전 파일의 백업: {safety}", f"The previous file was backed up to: {safety}"))
    return EXIT_OK


def _name_and_code(ctx: Context, table: str) -> str:
    name = ctx.table_name(table)
    return table if name == table else f"{name} ({table})"


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    from sqlalchemy import func, text
    from sqlmodel import select

    from consultant_app.report_text import render_table
    from consultant_app.store.backup import (
        StoreCorrupt,
        integrity_problem,
        latest_backup,
    )
    from consultant_app.store.models import SYNCED_TABLES
    from consultant_app.store.queries import pending_changes

    path = ctx.require_store_file()
    problem = integrity_problem(path, full=True)
    if problem:
        raise StoreCorrupt(path, problem, latest_backup(ctx.backups_dir))
    with ctx.open_store() as store, store.session() as session:
        broken_links = session.exec(text("PRAGMA foreign_key_check")).all()
        counts = {name: session.exec(select(func.count()).select_from(model)
                                     .where(model.deleted == False)).one()  # noqa: E712
                  for name, model in SYNCED_TABLES.items()}
        pending = pending_changes(session=session)
    ok = ctx.t("이상 없음", "ok")
    out(ctx.t(f"데이터 파일: {path} ({path.stat().st_size:,} 바이트)", f"Data file: {path} ({path.stat().st_size:,} bytes)"))
    out(ctx.t(f"무결성 검사: {ok}", f"Integrity check: {ok}"))
    if broken_links:
        out(ctx.t(f"외래 키 검사: 문제 {len(broken_links)}건", f"Foreign key check: {len(broken_links)} problems"))
        for table, rowid, parent, _ in broken_links:
            out(ctx.t(f"  {table} 행 {rowid}: {parent}에 없는 행을 가리킵니다",
                      f"  {table} row {rowid}: points to a missing {parent} row"))
    else:
        out(ctx.t(f"외래 키 검사: {ok}", f"Foreign key check: {ok}"))
    out(ctx.t("삭제되지 않은 행 수:", "Live rows:"))
    for line in render_table([ctx.t("테이블", "Table"), ctx.t("행", "Rows")],
                             [(_name_and_code(ctx, n), f"{c:,}") for n, c in counts.items()], "<>",
                             indent="  "):
        out(line)
    out(ctx.t(f"전송 대기 변경: {pending:,}건", f"Changes waiting to sync: {pending:,}"))
    latest = latest_backup(ctx.backups_dir)
    when = f" ({datetime.fromtimestamp(latest.stat().st_mtime):%Y-%m-%d %H:%M})" if latest else ""
    out(ctx.t(f"최근 백업: {latest}{when}" if latest else "최근 백업: 없음",
              f"Latest backup: {latest}{when}" if latest else "Latest backup: none"))
    return EXIT_ERROR if broken_links else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
