"""The command line: ``consultant-central`` serves the API and administers users, assignments and data.

Exit codes: 0 done, 1 an error (one line on stderr in the chosen language; unexpected ones also logged with their
traceback to ``<data-dir>/logs/consultant-central.log``), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from central_server import SERVER_NAME, __version__
from central_server.commands import COMMANDS, Context
from consultant_app.cli import (
    EXIT_USAGE,
    _argparse_language,
    _language,
    _safe_output,
)

LANG_ENV = "CONSULTANT_CENTRAL_LANG"
LOG_FILE = "consultant-central.log"
ROLES = ("consultant", "supervisor", "admin")


def build_parser(lang: str = "ko") -> argparse.ArgumentParser:
    """Every command and option; help texts in the chosen language."""
    def t(ko: str, en: str) -> str:
        return en if lang == "en" else ko

    # Global options, accepted before the command or after it (argparse.SUPPRESS keeps a later one from
    # overwriting an earlier one with its default).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help=t("서버 데이터 폴더 (기본: 환경 변수 CONSULTANT_CENTRAL_DATA_DIR 또는 사용자 데이터 폴더)",
                               "server data folder (default: $CONSULTANT_CENTRAL_DATA_DIR or the user's data folder)"))
    common.add_argument("--database-url", metavar="URL", default=argparse.SUPPRESS,
                        help=t("데이터베이스 URL, 예: postgresql+psycopg://사용자:암호@호스트:5432/DB "
                               "(기본: CONSULTANT_CENTRAL_DATABASE_URL 또는 데이터 폴더의 central.sqlite3)",
                               "database URL, e.g. postgresql+psycopg://user:pass@host:5432/db "
                               "(default: $CONSULTANT_CENTRAL_DATABASE_URL or central.sqlite3 in the data folder)"))
    common.add_argument("--lang", choices=("ko", "en"), default=argparse.SUPPRESS,
                        help=t("메시지 언어 (기본: ko, 환경 변수 CONSULTANT_CENTRAL_LANG)",
                               "language of messages (default: ko, or $CONSULTANT_CENTRAL_LANG)"))

    parser = argparse.ArgumentParser(prog=SERVER_NAME, parents=[common],
                                     description=t("산업혁신운동 중앙 서버 (동기화 대상, 중앙추진본부의 기록)",
                                                   "Industrial Innovation Movement central server (sync target and "
                                                   "the central office's record)"))
    parser.add_argument("--version", action="version", version=f"{SERVER_NAME} {__version__}",
                        help=t("버전을 보여 주고 끝냅니다", "show the version and exit"))
    commands = parser.add_subparsers(dest="command", metavar=t("명령", "COMMAND"), title=t("명령", "commands"),
                                     required=True)

    def command(group, name: str, ko: str, en: str) -> argparse.ArgumentParser:
        return group.add_parser(name, parents=[common], help=t(ko, en), description=t(ko, en))

    p = command(commands, "serve", "API 서버를 실행합니다 (먼저 스키마를 업그레이드)",
                "run the API server (upgrading the schema first)")
    p.add_argument("--host", default="127.0.0.1", help=t("주소 (기본 127.0.0.1)", "address (default 127.0.0.1)"))
    p.add_argument("--port", type=_port, default=8000, metavar="N", help=t("포트 (기본 8000)", "port (default 8000)"))
    p.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                   help=t("작업 프로세스 수 (기본 1)", "worker processes (default 1)"))
    p.add_argument("--ssl-certfile", type=Path, metavar="FILE", help=t("TLS 인증서 (PEM)", "TLS certificate (PEM)"))
    p.add_argument("--ssl-keyfile", type=Path, metavar="FILE", help=t("TLS 개인 키 (PEM)", "TLS private key (PEM)"))
    p.add_argument("--token-hours", type=_positive_float, metavar="H",
                   help=t("토큰 유효 시간 (기본 12시간)", "token lifetime in hours (default 12)"))
    p.add_argument("--public-url", metavar="URL",
                   help=t("확인서 QR 코드가 가리킬 서버의 공개 주소, 예: https://iim.example.kr "
                          "(환경 변수 CONSULTANT_CENTRAL_PUBLIC_URL; 없으면 확인서를 발급하지 않음)",
                          "the server's public address certificates' QR codes lead to, e.g. https://iim.example.kr "
                          "(or $CONSULTANT_CENTRAL_PUBLIC_URL; without one, no certificate is issued)"))
    p.add_argument("--forwarded-allow-ips", metavar="IPS",
                   help=t("X-Forwarded-For를 믿을 리버스 프록시 주소 (기본 127.0.0.1)",
                          "reverse proxies whose X-Forwarded-For is trusted (default 127.0.0.1)"))

    p = command(commands, "user", "사용자 관리", "manage users")
    users = p.add_subparsers(dest="user_command", metavar=t("명령", "COMMAND"), required=True)
    p = command(users, "add", "사용자를 추가합니다 (비밀번호: 표준 입력 첫 줄)",
                "add a user (password: first line of standard input)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", choices=ROLES, required=True, help=t("역할", "role"))
    p.add_argument("--display-name", metavar="TEXT", help=t("표시 이름 (예: 홍길동)", "display name"))
    p = command(users, "password", "비밀번호를 바꿉니다 (표준 입력 첫 줄, 그 사용자의 토큰은 취소)",
                "change a password (first line of standard input; the user's tokens are revoked)")
    p.add_argument("name", metavar="NAME")
    p = command(users, "disable", "계정 사용을 중지합니다 (토큰 취소)", "disable an account (revoking its tokens)")
    p.add_argument("name", metavar="NAME")
    p = command(users, "enable", "중지한 계정을 다시 씁니다", "enable a disabled account")
    p.add_argument("name", metavar="NAME")
    p = command(users, "list", "사용자 목록", "list the users")
    p.add_argument("--json", action="store_true", help=t("JSON 목록으로 출력", "print a JSON list"))

    p = command(commands, "assign", "컨설턴트에게 기업을 배정합니다", "assign companies to a consultant")
    p.add_argument("name", metavar="NAME")
    p.add_argument("business_numbers", nargs="+", metavar="BUSINESS_NO",
                   help=t("사업자등록번호 (대시는 있어도 없어도 됨)", "business registration numbers (dashes optional)"))

    p = command(commands, "import", "CSV 폴더나 XLSX 파일에서 가져옵니다 (오류가 하나라도 있으면 저장 안 함)",
                "import a CSV folder or an XLSX file (nothing is saved if anything is wrong)")
    p.add_argument("path", type=Path, metavar="PATH")

    p = command(commands, "catalogue", "KPI 지표 목록", "the KPI catalogue")
    catalogue = p.add_subparsers(dest="catalogue_command", metavar=t("명령", "COMMAND"), required=True)
    p = command(catalogue, "publish", "새 지표 목록(CSV)을 게시합니다: 다음 동기화 때 모든 노트북에 전달",
                "publish a new KPI catalogue (CSV): every laptop gets it at its next sync")
    p.add_argument("path", type=Path, metavar="FILE.csv")

    p = command(commands, "certificate", "발급된 확인서", "issued certificates")
    certificates = p.add_subparsers(dest="certificate_command", metavar=t("명령", "COMMAND"), required=True)
    p = command(certificates, "list", "발급한 확인서 목록", "list the issued certificates")
    p.add_argument("--json", action="store_true", help=t("JSON 목록으로 출력", "print a JSON list"))
    p = command(certificates, "revoke", "유효한 확인서를 취소합니다 (검증 페이지에 취소로 표시, 확인 값 잠금 해제)",
                "revoke a valid certificate (the verification page says so; its values unlock)")
    p.add_argument("number", metavar="NUMBER", help=t("확인서 번호, 예: IIM-2026-00001", "e.g. IIM-2026-00001"))
    p.add_argument("--reason", required=True, metavar="TEXT", help=t("취소 사유", "why it is revoked"))

    p = command(commands, "report", "보고서", "reports")
    reports = p.add_subparsers(dest="report", metavar=t("보고서", "REPORT"), required=True)
    p = command(reports, "programme", "사업 성과 보고 (모든 기업)", "programme results (every company)")
    p.add_argument("--json", action="store_true", help=t("JSON 객체로 출력", "print one JSON object"))
    p.add_argument("--year", type=_positive_int, metavar="N", help=t("이 차수만", "only this programme year"))
    p.add_argument("--sponsor", metavar="NAME", help=t("이 후원기업만", "only this sponsor"))
    p.add_argument("--phase", type=int, choices=(1, 2), help=t("이 단계만", "only this phase"))
    return parser


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} < 1")
    return number


def _positive_float(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise argparse.ArgumentTypeError(f"{value} <= 0")
    return number


def _port(value: str) -> int:
    number = int(value)
    if not 0 < number < 65536:
        raise argparse.ArgumentTypeError(f"{value}: 1-65535")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 error, 2 usage)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _safe_output()
    lang = _language(argv, LANG_ENV)
    lang = lang if lang in ("ko", "en") else "ko"  # a bad --lang is reported by argparse below
    with _argparse_language(lang):
        parser = build_parser(lang)
        try:
            args = parser.parse_args(argv)
            if args.command == "serve" and (args.ssl_certfile is None) != (args.ssl_keyfile is None):
                parser.error("--ssl-certfile, --ssl-keyfile: " + ("둘 다 주세요" if lang == "ko" else "give both"))
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    ctx = Context(lang=lang, data_dir=getattr(args, "data_dir", None),
                  database_url=getattr(args, "database_url", None))
    key = " ".join(filter(None, (args.command, getattr(args, "user_command", None), getattr(args, "report", None),
                                 getattr(args, "certificate_command", None),
                                 getattr(args, "catalogue_command", None))))
    return run_command(key, args, ctx)


def run_command(key: str, args: argparse.Namespace, ctx: Context) -> int:
    """Run a command; every error becomes one clear line on stderr and exit 1, never a traceback."""
    from sqlalchemy.exc import OperationalError

    from consultant_app.command_errors import run_reporting_errors

    def explain(exc: BaseException) -> list[str] | None:
        if isinstance(exc, OperationalError):
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            return [ctx.t(f"데이터베이스에 연결하거나 쓸 수 없습니다: {reason}",
                          f"The database cannot be reached or written: {reason}")]
        return None

    return run_reporting_errors(lambda: COMMANDS[key](args, ctx), lang=ctx.lang, program=f"{SERVER_NAME} {__version__}",
                                log_path=lambda: _log_file(ctx), explain=explain)


def _log_file(ctx: Context) -> Path:
    """The log file, made the server's user's only before a traceback (paths, values) is written to it."""
    from central_server.files import private_dir, private_file

    return private_file(private_dir(ctx.settings().data_dir / "logs") / LOG_FILE)


if __name__ == "__main__":
    sys.exit(main())
