"""Settings from options and environment variables, the database URLs accepted, and the test set-up itself."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from central_server.config import BadSetting, Settings
from central_server.db import make_engine
from consultant_app.errors import AppError

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_a_sqlite_file_in_the_data_folder_and_twelve_hour_tokens(tmp_path):
    settings = Settings.from_env({"CONSULTANT_CENTRAL_DATA_DIR": str(tmp_path / "d ata?x")})
    assert settings.sqlite_path == tmp_path / "d ata?x" / "central.sqlite3"  # no URL parsing of the path
    assert settings.token_lifetime == timedelta(hours=12)
    assert (settings.account_failures, settings.address_failures) == (5, 20)
    assert settings.failure_window == timedelta(minutes=15)


def test_the_environment_and_options_set_everything_and_round_trip(tmp_path):
    env = {"CONSULTANT_CENTRAL_DATA_DIR": str(tmp_path), "CONSULTANT_CENTRAL_DATABASE_URL": "sqlite:///x.db",
           "CONSULTANT_CENTRAL_TOKEN_SECONDS": "60", "CONSULTANT_CENTRAL_LOGIN_ACCOUNT_FAILURES": "3",
           "CONSULTANT_CENTRAL_LOGIN_ADDRESS_FAILURES": "9", "CONSULTANT_CENTRAL_LOGIN_WINDOW_SECONDS": "120",
           "CONSULTANT_CENTRAL_MAX_BODY_BYTES": "2048"}
    settings = Settings.from_env(env)
    assert (settings.database_url, settings.token_lifetime, settings.account_failures, settings.address_failures,
            settings.failure_window, settings.max_body_bytes) == (
        "sqlite:///x.db", timedelta(seconds=60), 3, 9, timedelta(seconds=120), 2048)
    assert Settings.from_env(settings.to_env()) == settings  # what serve --workers hands its workers
    overridden = Settings.from_env(env, data_dir=tmp_path / "other", database_url=None)
    assert overridden.data_dir == tmp_path / "other" and overridden.database_url == "sqlite:///x.db"


def test_a_bad_number_in_the_environment_is_named(tmp_path):
    with pytest.raises(BadSetting) as raised:
        Settings.from_env({"CONSULTANT_CENTRAL_DATA_DIR": str(tmp_path), "CONSULTANT_CENTRAL_TOKEN_SECONDS": "soon"})
    assert "CONSULTANT_CENTRAL_TOKEN_SECONDS" in raised.value.en
    assert "CONSULTANT_CENTRAL_TOKEN_SECONDS" in raised.value.ko


@pytest.mark.parametrize("url, words", [("postgresql+psycopg2://u:p@localhost/db", "psycopg 3"),
                                        ("mysql+pymysql://u:p@localhost/db", "Unsupported database"),
                                        ("not a url", "cannot be parsed")])
def test_database_urls_the_server_cannot_use_are_refused_clearly(tmp_path, url, words):
    with pytest.raises(AppError) as raised:
        make_engine(Settings(data_dir=tmp_path, database_url=url))
    assert words in raised.value.en and ":p@" not in raised.value.en


def test_the_cli_reports_an_unreachable_database_in_one_line(tmp_path, capsys):
    from central_server.cli import main

    code = main(["--lang", "en", "--data-dir", str(tmp_path),  # port 1 of the loopback: nothing listens there
                 "--database-url", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none", "user", "list"])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert err.startswith("The database cannot be reached or written: ") and "secret" not in err


def test_the_database_fixture_gives_an_empty_database(database_url, tmp_path):
    engine = make_engine(Settings(data_dir=tmp_path, database_url=database_url))
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_in_ci_a_missing_postgresql_url_fails_the_postgresql_runs_instead_of_skipping_them():
    env = {k: v for k, v in os.environ.items() if k != "CONSULTANT_CENTRAL_TEST_PG_URL"}
    test = "tests/server/test_config.py::test_the_database_fixture_gives_an_empty_database[postgresql]"
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test]
    in_ci = subprocess.run(args, env={**env, "CI": "true"}, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert in_ci.returncode == 1 and "in CI it must be set" in in_ci.stdout
    env.pop("CI", None)
    elsewhere = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert elsewhere.returncode == 0 and "1 skipped" in elsewhere.stdout
