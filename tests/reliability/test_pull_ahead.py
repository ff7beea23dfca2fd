"""The pull fetches the next page while it writes the current one: the network and the laptop's disk both busy,
and still every page written whole, in order, with its own cursor; leaving midway loses and doubles nothing."""

from __future__ import annotations

import threading

import pytest

from consultant_app.sync.client import SyncCancelled, sync
from consultant_app.sync.local import cursor
from tests.reliability.helpers import PagedClient, content, laptop, row_counts, token_for, write_programme

PULL_PAGE = 10


class WatchedClient(PagedClient):
    """Tells when each page is asked for (by its cursor), from whichever thread asks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked: list[int] = []
        self.second_asked = threading.Event()

    def pull(self, after: int, limit: int | None = None):
        self.asked.append(after)
        if len(self.asked) == 2:
            self.second_asked.set()
        return super().pull(after, limit)


@pytest.fixture
def office_has_rows(people, tmp_path):
    """The server holds one laptop's 10 companies, 20 engagements and 40 KPIs (73 rows, 8 pages of 10)."""
    source = laptop(tmp_path, "source")
    write_programme(source, companies=10, years=2, kpis=2, seed=5)
    with PagedClient(people.base_url, token_for(people, "kim")) as client:
        assert sync(source, client).applied == 73
    yield people, source
    source.close()


def test_the_next_page_is_asked_for_while_this_one_is_written(office_has_rows, tmp_path):
    people, source = office_has_rows
    store = laptop(tmp_path, "b")
    waited = []

    def progress(phase: str, done: int, _total: int) -> None:
        if phase == "pull" and not waited:
            # Called after the first page is written: the second was asked for already, not only after this.
            waited.append(threading.current_thread() is threading.main_thread() and
                          client.second_asked.wait(timeout=10))

    with WatchedClient(people.base_url, token_for(people, "kim"), pull_page=PULL_PAGE) as client:
        report = sync(store, client, progress=progress)
    assert waited == [True]
    assert report.pulled == 73 and content(store) == content(source) == content(people.engine)
    assert client.asked[0] == 0 and client.asked == sorted(set(client.asked))  # each page once, in order
    store.close()


def test_a_pull_cancelled_midway_keeps_its_written_pages_and_the_next_sync_gets_the_rest(office_has_rows, tmp_path):
    people, source = office_has_rows
    store = laptop(tmp_path, "b")
    written = []
    with WatchedClient(people.base_url, token_for(people, "kim"), pull_page=PULL_PAGE) as client:
        with pytest.raises(SyncCancelled):
            sync(store, client, progress=lambda phase, done, _: written.append(done) if phase == "pull" else None,
                 cancelled=lambda: len(written) >= 2)
        assert written == [10, 20]
        kept = cursor(store)
        assert kept > 0 and sum(row_counts(store).values()) == 20  # two pages whole; those fetched ahead dropped
        # ... and their fetches finished before the sync returned: the client is free again.
        assert not [t for t in threading.enumerate() if t.name.startswith("sync-pull")]
        asked = len(client.asked)
        report = sync(store, client)  # the same client, straight away
    assert client.asked[asked] == kept  # the next sync starts after the last page written
    assert report.pulled == 53 and report.broken_links == []
    assert content(store) == content(source) == content(people.engine)
    store.close()
