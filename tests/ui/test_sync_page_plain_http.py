"""The sync page warns, in its message area, when the server's address is plain http beyond this computer."""

from __future__ import annotations

import pytest

from consultant_app.ui.pages.sync import SyncPage
from tests.server.test_plain_http import address_beyond_loopback

PASSWORD = "correct horse 1"
TIMEOUT = 60_000


@pytest.fixture
def beyond_central(tmp_path):
    """The real central server listening on this machine's network address (plain http)."""
    from sqlalchemy import URL

    from central_server.config import Settings
    from tests.server.live import start_server

    address = address_beyond_loopback()
    if address is None:
        pytest.skip("this machine has no network address beyond loopback")
    database = URL.create("sqlite", database=str(tmp_path / "central.sqlite3")).render_as_string()
    server = start_server(Settings(data_dir=tmp_path / "central", database_url=database), host=address)
    server.add_user("kim", password=PASSWORD)
    yield server
    server.stop()


def test_the_page_warns_of_plain_http_beyond_loopback_and_still_syncs(app_ctx, qtbot, beyond_central):
    page = SyncPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    page.server_edit.setText(beyond_central.base_url)
    page.user_edit.setText("kim")
    page.password_edit.setText(PASSWORD)
    assert page.sync_now() is not None
    warning = f"경고: {beyond_central.base_url}은(는) 암호화하지 않은 http 주소입니다."
    assert warning in page.message.text()  # said as the sync starts
    qtbot.waitUntil(lambda: page.syncs == 1, timeout=TIMEOUT)
    assert page.last_report is not None
    text = page.message.text()
    assert text.startswith(warning) and "동기화했습니다" in text  # and kept beside the result
