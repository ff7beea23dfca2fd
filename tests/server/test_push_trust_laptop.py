"""The laptop's side of the server's trust rules, with the real client and stores: a refused change to a shared
sponsor or a company already in the programme is kept with its reason for the sync page, and discarding it undoes
it; a file another consultant sent first still goes up whole, and then its record applies."""

from __future__ import annotations

from sqlmodel import select

from consultant_app.services.companies import CompanyDraft, EngagementDraft, save_company, save_engagement
from consultant_app.store.attachments import blob_path
from consultant_app.store.models import Sponsor
from consultant_app.sync.client import sync
from consultant_app.sync.resolve import discard_rejected, waiting_ops
from tests.server.test_attachments import attach, evidence, people  # noqa: F401 (fixture)
from tests.server.test_sync import NUMBER, client_for, content, laptop, record_a_company


def test_a_refused_change_to_a_shared_sponsor_is_kept_with_its_reason_and_can_be_discarded(people, tmp_path):
    kims, lees = laptop(tmp_path, "kim"), laptop(tmp_path, "lee")
    record_a_company(kims)  # its sponsor 대성자동차, which every consultant receives
    with client_for(people, "kim") as client:
        sync(kims, client)
    with client_for(people, "lee") as client:
        sync(lees, client)
        with lees.transaction() as session:
            session.exec(select(Sponsor)).one().name = "다른 이름"
        report = sync(lees, client)
    assert (report.pushed, report.rejected) == (1, 1)
    waiting, = waiting_ops(lees)
    assert (waiting.entity, waiting.status, waiting.reason.code) == ("sponsors", "rejected", "shared_read_only")
    assert "감독자" in waiting.reason.ko and "supervisor" in waiting_ops(lees, lang="en")[0].reason.en
    discard_rejected(lees, waiting.op_id)
    with lees.session() as session:
        assert session.exec(select(Sponsor.name)).one() == "대성자동차"
    assert {r["name"] for r in content(people.engine)["sponsors"].values()} == {"대성자동차"}
    kims.close(), lees.close()


def test_a_company_another_consultant_has_is_refused_as_already_in_the_programme(people, tmp_path):
    kims, lees = laptop(tmp_path, "kim"), laptop(tmp_path, "lee")
    record_a_company(kims)
    with client_for(people, "kim") as client:
        sync(kims, client)
    save_company(lees, CompanyDraft(business_no=NUMBER, name="같은 번호의 다른 이름"))
    with client_for(people, "lee") as client:
        report = sync(lees, client)
    assert report.rejected == 1
    waiting, = waiting_ops(lees)
    assert waiting.reason.code == "company_in_programme" and "배정" in waiting.reason.ko
    assert "한빛정밀" not in waiting.reason.ko + waiting.reason.en  # kim's company is not named
    kims.close(), lees.close()


def test_a_file_another_consultant_sent_first_goes_up_whole_and_its_record_applies(people, tmp_path):
    kims, lees = laptop(tmp_path, "kim"), laptop(tmp_path, "lee")
    _, kims_engagement = record_a_company(kims)
    source = evidence(tmp_path, "같은 사진.jpg", 1_500_000)
    digest = attach(kims, kims_engagement, source)
    with client_for(people, "kim") as client:
        assert sync(kims, client).files_sent == 1
    other = save_company(lees, CompanyDraft(business_no="2208162517", name="대한금속"))
    lees_engagement = save_engagement(lees, EngagementDraft(year=1, phase=1), company_id=other)
    assert attach(lees, lees_engagement, source) == digest  # the very same bytes
    with client_for(people, "lee") as client:
        report = sync(lees, client)
    assert (report.files_sent, report.rejected) == (1, 0)  # the bytes were sent: the hash alone proved nothing
    assert blob_path(lees.attachments_dir, digest).read_bytes() == source.read_bytes()
    kims.close(), lees.close()
