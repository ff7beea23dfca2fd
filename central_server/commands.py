"""What each ``consultant-central`` command does; cli.py parses and reports errors."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from central_server.config import Settings
from consultant_app.errors import AppError

EXIT_OK = 0


@dataclass(frozen=True)
class Context:
    """The language of messages and the database options given on the command line."""

    lang: str
    data_dir: Path | None = None
    database_url: str | None = None

    def t(self, ko: str, en: str) -> str:
        """The Korean or English wording."""
        return en if self.lang == "en" else ko

    def settings(self, **overrides) -> Settings:
        """Settings from the environment with this command line's options on top."""
        data_dir = self.data_dir.expanduser() if self.data_dir else None
        return Settings.from_env(data_dir=data_dir, database_url=self.database_url, **overrides)

    def open_database(self, settings: Settings | None = None) -> Engine:
        """The engine on the database, upgraded to the newest schema (every command does this first)."""
        from central_server.db import make_engine
        from central_server.migrate import upgrade_database

        settings = settings or self.settings()
        engine = make_engine(settings)
        try:
            backup = upgrade_database(engine, settings)
        except BaseException:
            engine.dispose()
            raise
        if backup:
            _err(self.t(f"스키마를 업그레이드하기 전에 백업했습니다: {backup}", f"Backed up before upgrading: {backup}"))
        return engine


def _out(line: str = "") -> None:
    print(line)


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def _actor() -> str:
    """Who runs an office command, for the server's audit."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name in some service environments
        return "cli"


def read_password(ctx: Context) -> str:
    """The password: typed without echo at a terminal, else the first line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(ctx.t("비밀번호: ", "Password: "))
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


# -- serve ----------------------------------------------------------------------------------------------------

def cmd_serve(args: argparse.Namespace, ctx: Context) -> int:
    import uvicorn

    from central_server.app import create_app
    from central_server.issuing import signing_key
    from consultant_app.sync.addresses import is_loopback

    for path in (args.ssl_certfile, args.ssl_keyfile):
        if path is not None and not path.is_file():
            raise AppError(f"TLS 파일이 없습니다: {path}", f"The TLS file does not exist: {path}")
    lifetime = timedelta(hours=args.token_hours) if args.token_hours else None
    settings = ctx.settings(token_lifetime=lifetime, public_url=args.public_url)
    ctx.open_database(settings).dispose()  # migrated once here, before any worker starts
    signing_key(settings.data_dir)  # made once here too, so workers starting together read the same key
    options = {"host": args.host, "port": args.port, "proxy_headers": True,
               "ssl_certfile": str(args.ssl_certfile) if args.ssl_certfile else None,
               "ssl_keyfile": str(args.ssl_keyfile) if args.ssl_keyfile else None}
    if args.forwarded_allow_ips:
        options["forwarded_allow_ips"] = args.forwarded_allow_ips
    where = settings.url().render_as_string(hide_password=True)
    _err(ctx.t(f"데이터베이스: {where}", f"Database: {where}"))
    if args.ssl_certfile is None and not is_loopback(args.host):
        # Passwords, tokens and companies' records would cross the network readable.
        _err(ctx.t(f"경고: {args.host}:{args.port}에서 TLS 없이(http) 받습니다. 비밀번호, 토큰과 기록이 네트워크에서 그대로 읽힙니다. "
                   "--ssl-certfile과 --ssl-keyfile을 주거나, 127.0.0.1에서 받고 TLS 리버스 프록시를 앞에 두세요.",
                   f"Warning: listening on {args.host}:{args.port} without TLS (plain http): passwords, tokens and "
                   "records cross the network readable. Give --ssl-certfile and --ssl-keyfile, or listen on 127.0.0.1 "
                   "behind a TLS reverse proxy."))
    if not settings.public_url:
        _err(ctx.t("참고: 공개 주소(--public-url 또는 CONSULTANT_CENTRAL_PUBLIC_URL)가 없어 확인서는 발급하지 않습니다.",
                   "Note: no public URL (--public-url or CONSULTANT_CENTRAL_PUBLIC_URL), so no certificate is issued."))
    try:
        if args.workers > 1:
            # Worker processes import the app by name and build it from the environment (app_from_env).
            os.environ.update(settings.to_env())
            uvicorn.run("central_server.app:app_from_env", factory=True, workers=args.workers, **options)
        else:
            uvicorn.run(create_app(settings), **options)
    except SystemExit as exit_:  # uvicorn exits when it cannot start (address in use, bad certificate, ...)
        if exit_.code:
            raise AppError("서버를 시작하지 못했습니다 (위의 로그 참조).",
                           "The server could not start (see the log above).") from None
    return EXIT_OK


# -- users ----------------------------------------------------------------------------------------------------

def cmd_user_add(args: argparse.Namespace, ctx: Context) -> int:
    from central_server.db import write_transaction
    from central_server.users import add_user

    password = read_password(ctx)
    engine = ctx.open_database()
    try:
        with write_transaction(engine) as connection:
            user = add_user(connection, args.name, role=args.role, password=password,
                            display_name=args.display_name)
    finally:
        engine.dispose()
    _out(ctx.t(f"사용자를 추가했습니다: {user.username} ({user.role})", f"User added: {user.username} ({user.role})"))
    return EXIT_OK


def cmd_user_password(args: argparse.Namespace, ctx: Context) -> int:
    from central_server.db import write_transaction
    from central_server.users import set_password

    password = read_password(ctx)
    engine = ctx.open_database()
    try:
        with write_transaction(engine) as connection:
            revoked = set_password(connection, args.name, password=password)
    finally:
        engine.dispose()
    _out(ctx.t(f"비밀번호를 바꿨습니다: {args.name} (취소한 토큰 {revoked}개)",
               f"Password changed: {args.name} ({revoked} token(s) revoked)"))
    return EXIT_OK


def _set_disabled(args: argparse.Namespace, ctx: Context, *, disabled: bool) -> int:
    from central_server.db import write_transaction
    from central_server.users import set_disabled

    engine = ctx.open_database()
    try:
        with write_transaction(engine) as connection:
            revoked = set_disabled(connection, args.name, disabled=disabled)
    finally:
        engine.dispose()
    if disabled:
        _out(ctx.t(f"계정 사용을 중지했습니다: {args.name} (취소한 토큰 {revoked}개)",
                   f"Account disabled: {args.name} ({revoked} token(s) revoked)"))
    else:
        _out(ctx.t(f"계정을 다시 쓸 수 있습니다: {args.name}", f"Account enabled: {args.name}"))
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace, ctx: Context) -> int:
    from central_server.users import list_users
    from consultant_app.report_text import render_table

    engine = ctx.open_database()
    try:
        with engine.connect() as connection:
            listings = list_users(connection)
    finally:
        engine.dispose()
    if args.json:
        _out(json.dumps([{"username": u.user.username, "display_name": u.user.display_name, "role": u.user.role,
                          "disabled": u.user.disabled, "companies": u.companies,
                          "created_at": u.user.created_at.isoformat()} for u in listings],
                        ensure_ascii=False, indent=2))
        return EXIT_OK
    if not listings:
        _out(ctx.t("사용자가 없습니다.", "There are no users."))
        return EXIT_OK
    headers = [ctx.t("사용자", "User"), ctx.t("이름", "Name"), ctx.t("역할", "Role"), ctx.t("상태", "Status"),
               ctx.t("배정 기업", "Companies")]
    rows = [(u.user.username, u.user.display_name or "", u.user.role,
             ctx.t("중지", "disabled") if u.user.disabled else ctx.t("사용", "active"), f"{u.companies:,}")
            for u in listings]
    for line in render_table(headers, rows, "<<<<>"):
        _out(line)
    return EXIT_OK


# -- assignments, import, report ------------------------------------------------------------------------------

def cmd_assign(args: argparse.Namespace, ctx: Context) -> int:
    from central_server.db import write_transaction
    from central_server.scope import assign_companies
    from central_server.users import require_user
    from consultant_app.domain.validation import format_business_no

    engine = ctx.open_database()
    try:
        with write_transaction(engine) as connection:
            user = require_user(connection, args.name)
            done = assign_companies(connection, user, args.business_numbers)
    finally:
        engine.dispose()
    listed = ", ".join(format_business_no(n) for n in done.new) or "-"
    _out(ctx.t(f"{user.username}에게 배정했습니다: {len(done.new)}개 기업 ({listed})",
               f"Assigned to {user.username}: {len(done.new)} companies ({listed})"))
    if done.already:
        _out(ctx.t(f"  이미 배정되어 있던 기업: {len(done.already)}개", f"  already assigned: {len(done.already)}"))
    if not user.role == "consultant":
        _out(ctx.t(f"  참고: {user.role} 역할은 배정과 관계없이 모든 기업을 봅니다.",
                   f"  Note: the {user.role} role sees every company whatever is assigned."))
    return EXIT_OK


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from central_server.importing import import_into
    from consultant_app.io import ImportFailed
    from consultant_app.report_text import table_label

    engine = ctx.open_database()
    try:
        result = import_into(engine, args.path, actor=_actor())
    except ImportFailed as failed:
        errors = sum(1 for p in failed.problems if p.is_error)
        _err(ctx.t(f"가져오기 실패: 오류 {errors:,}건이 있어 아무것도 저장하지 않았습니다.",
                   f"Import failed: {errors:,} error(s), nothing was saved."))
        for problem in failed.problems:
            _err("  " + problem.message(ctx.lang))
        return 1
    finally:
        engine.dispose()
    _out(ctx.t(f"가져오기: {args.path}", f"Imported: {args.path}") if result.written
         else ctx.t(f"가져오기: {args.path} (바뀐 내용이 없어 저장하지 않음)", f"Imported: {args.path} (nothing changed)"))
    for table in result.created:
        created, updated = result.created[table], result.updated.get(table, 0)
        if created or updated:
            _out(ctx.t(f"  {table_label(table, 'ko')}: 새로 {created:,}, 변경 {updated:,}",
                       f"  {table_label(table, 'en')}: {created:,} created, {updated:,} updated"))
    _out(ctx.t(f"  변경 없음: {result.unchanged:,}행", f"  unchanged: {result.unchanged:,} rows"))
    for problem in result.warnings:
        _err("  " + problem.message(ctx.lang))
    return EXIT_OK


def cmd_report_programme(args: argparse.Namespace, ctx: Context) -> int:
    from sqlmodel import Session

    from central_server.catalogue import catalogue_in_force
    from consultant_app.domain.aggregates import ReportFilter, programme_report
    from consultant_app.report_text import programme_report_text
    from consultant_app.store.queries import engagement_records

    engine = ctx.open_database()
    try:
        with Session(engine) as session:
            records = engagement_records(session=session)
            catalogue = catalogue_in_force(session.connection())  # after the records, as GET /report/programme
    finally:
        engine.dispose()
    report_filter = ReportFilter(year=args.year, sponsor=args.sponsor, phase=args.phase)
    report = programme_report(records, catalogue, report_filter, ctx.lang).as_dict()
    _out(json.dumps(report, ensure_ascii=False, indent=2) if args.json
         else programme_report_text(report, report_filter, ctx.lang))
    return EXIT_OK


# -- catalogue ----------------------------------------------------------------------------------------------

def cmd_catalogue_publish(args: argparse.Namespace, ctx: Context) -> int:
    from central_server.catalogue import publish_catalogue
    from central_server.db import write_transaction

    try:
        text = args.path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise AppError(f"UTF-8 CSV가 아닙니다: {args.path} (엑셀에서 'CSV UTF-8'로 저장하세요)",
                       f"Not a UTF-8 CSV: {args.path} (save it from Excel as 'CSV UTF-8')") from None
    engine = ctx.open_database()
    try:
        with write_transaction(engine) as connection:
            version, catalogue = publish_catalogue(connection, text, actor="admin", source=str(args.path))
    finally:
        engine.dispose()
    _out(ctx.t(f"지표 목록 제{version}판을 게시했습니다 ({len(catalogue)}개 지표). 노트북은 다음 동기화 때 받습니다.",
               f"KPI catalogue version {version} published ({len(catalogue)} KPIs). Laptops get it at their next sync."))
    return EXIT_OK


# -- certificates ---------------------------------------------------------------------------------------------

def cmd_certificate_list(args: argparse.Namespace, ctx: Context) -> int:
    from sqlalchemy import select

    from central_server.issuing import certificates

    engine = ctx.open_database()
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(certificates.c.number, certificates.c.version, certificates.c.status,
                                             certificates.c.issued_on, certificates.c.code, certificates.c.issued_by)
                                      .order_by(certificates.c.number, certificates.c.version)).mappings().all()
    finally:
        engine.dispose()
    if args.json:
        _out(json.dumps([{**r, "issued_on": r["issued_on"].isoformat()} for r in rows], ensure_ascii=False, indent=2))
    else:
        for r in rows:
            _out(f"{r['number']} v{r['version']}  {r['status']:<10}  {r['issued_on']}  {r['code']}  {r['issued_by']}")
    return EXIT_OK


def cmd_certificate_revoke(args: argparse.Namespace, ctx: Context) -> int:
    from sqlalchemy import select

    from central_server.db import write_transaction
    from central_server.issuing import certificates, revoke

    engine = ctx.open_database()
    try:
        with write_transaction(engine) as connection:
            row = connection.execute(select(certificates).where(certificates.c.number == args.number.strip().upper(),
                                                                certificates.c.status == "valid")).mappings().first()
            if row is None:
                raise AppError(f"그 번호의 유효한 확인서가 없습니다: {args.number}",
                               f"No valid certificate has that number: {args.number}")
            revoke(connection, dict(row), actor="admin", reason=args.reason)
    finally:
        engine.dispose()
    _out(ctx.t(f"확인서 {row['number']} 제{row['version']}판을 취소했습니다.",
               f"Certificate {row['number']} version {row['version']} revoked."))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Context], int]] = {
    "serve": cmd_serve,
    "user add": cmd_user_add,
    "user password": cmd_user_password,
    "user disable": lambda args, ctx: _set_disabled(args, ctx, disabled=True),
    "user enable": lambda args, ctx: _set_disabled(args, ctx, disabled=False),
    "user list": cmd_user_list,
    "assign": cmd_assign,
    "import": cmd_import,
    "report programme": cmd_report_programme,
    "catalogue publish": cmd_catalogue_publish,
    "certificate list": cmd_certificate_list,
    "certificate revoke": cmd_certificate_revoke,
}
