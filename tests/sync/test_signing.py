"""Signed certificate facts: signing, the official PDF carrying them, and offline verification, tampering included."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader, PdfWriter

from consultant_app.domain.certificate import Issued, build_certificate
from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.signing import (
    ATTACHMENT_NAME,
    SignedFacts,
    canonical_bytes,
    certified_facts,
    public_key_id,
    public_key_pem,
    sign_facts,
    signature_valid,
)
from consultant_app.reports.certificate_pdf import render_certificate
from consultant_app.reports.signed_pdf import verify_pdf
from tests.reports.test_certificate_pdf import ISSUED, source
from tests.test_cli import run_cli

KEY = Ed25519PrivateKey.generate()
KEYS = {public_key_id(KEY.public_key()): KEY.public_key()}


def official(src=None, *, key=KEY) -> tuple[bytes, SignedFacts]:
    """An issued certificate's PDF with the office's signed facts in it."""
    view = build_certificate(src or source(), default_catalogue(), printed_on=date(2024, 3, 15), issued=ISSUED)
    signed = sign_facts(key, certified_facts(view))
    view = dataclasses.replace(view, issued=dataclasses.replace(ISSUED, signed=signed.to_bytes()))
    return render_certificate(view), signed


def test_facts_are_what_the_certificate_states():
    view = build_certificate(source(), default_catalogue(), printed_on=date(2024, 3, 15), issued=ISSUED)
    facts = certified_facts(view)
    assert facts["number"] == "IIM-2024-000123" and facts["company"]["name"] == "한빛정밀(주)"
    defect = facts["kpis"][0]
    assert (defect["baseline"], defect["target"], defect["post"]) == (2.93, 2.0, 1.71)
    assert round(defect["improvement_pct"], 1) == 41.6
    assert facts["kpis"][2]["improvement_pct"] == "undefined:zero_baseline"
    assert canonical_bytes(facts) == canonical_bytes(json.loads(canonical_bytes(facts)))  # stable both ways
    with pytest.raises(ValueError):
        certified_facts(build_certificate(source(), default_catalogue(), printed_on=date(2024, 3, 15)))


def test_a_signature_holds_for_exactly_the_signed_facts():
    _, signed = official()
    assert signature_valid(signed, KEY.public_key())
    changed = json.loads(json.dumps(signed.facts))
    changed["kpis"][0]["post"] = 1.70
    assert not signature_valid(dataclasses.replace(signed, facts=changed), KEY.public_key())
    assert not signature_valid(signed, Ed25519PrivateKey.generate().public_key())
    assert not signature_valid(dataclasses.replace(signed, signature="not base64!"), KEY.public_key())


def test_an_official_pdf_verifies_offline_and_has_no_watermark():
    pdf, signed = official()
    result = verify_pdf(pdf, KEYS)
    assert result.valid and result.signature_ok and result.key_known and result.unprinted == []
    assert result.signed.facts == signed.facts
    assert "초안" not in "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _replace_attachment(pdf: bytes, content: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.add_metadata(reader.metadata)
    writer.add_attachment(ATTACHMENT_NAME, content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("tamper", [
    lambda d: d["facts"]["company"].__setitem__("name", "다른회사"),
    lambda d: d["facts"]["kpis"][1].__setitem__("post", 99),
    lambda d: d["facts"].__setitem__("number", "IIM-2024-999999"),
    lambda d: d["facts"]["outcomes"].__setitem__("financial_effect_krw", 999_000_000),
    lambda d: d.__setitem__("signature", base64.b64encode(b"\0" * 64).decode()),
])
def test_any_tampered_field_or_signature_fails_verification(tamper):
    pdf, signed = official()
    record = json.loads(signed.to_bytes())
    tamper(record)
    result = verify_pdf(_replace_attachment(pdf, json.dumps(record, ensure_ascii=False).encode()), KEYS)
    assert not result.valid and not result.signature_ok


def test_a_page_whose_text_differs_from_the_signed_facts_fails():
    _, signed = official()
    # Another company's certificate wearing this one's genuine signed facts.
    other, _ = official(source(company_name="가짜정밀", business_no="2208162517"))
    result = verify_pdf(_replace_attachment(other, signed.to_bytes()), KEYS)
    assert result.signature_ok and not result.valid
    assert "한빛정밀(주)" in result.unprinted and "124-81-00998" in result.unprinted


def test_an_unknown_key_and_a_draft_are_not_valid():
    pdf, _ = official(key=Ed25519PrivateKey.generate())
    unknown = verify_pdf(pdf, KEYS)
    assert not unknown.key_known and not unknown.valid
    draft = render_certificate(build_certificate(source(), default_catalogue(), printed_on=date(2024, 3, 15)))
    assert "no signed facts" in verify_pdf(draft, KEYS).problem
    assert "not a readable PDF" in verify_pdf(b"%PDF-garbage", KEYS).problem


def test_verify_command_offline(tmp_path):
    pdf, _ = official()
    (tmp_path / "cert.pdf").write_bytes(pdf)
    (tmp_path / "office.pem").write_bytes(public_key_pem(KEY.public_key()))
    done = run_cli("verify", str(tmp_path / "cert.pdf"), "--public-key", str(tmp_path / "office.pem"),
                   data_dir=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("유효한 서명: 확인서 IIM-2024-000123 (한빛정밀(주), 3차년도)")
    record = json.loads(PdfReader(io.BytesIO(pdf)).attachments[ATTACHMENT_NAME][0])
    record["facts"]["kpis"][0]["post"] = 1.5
    (tmp_path / "forged.pdf").write_bytes(_replace_attachment(pdf, json.dumps(record).encode()))
    forged = run_cli("--lang", "en", "verify", str(tmp_path / "forged.pdf"), "--public-key",
                     str(tmp_path / "office.pem"), data_dir=tmp_path / "data")
    assert forged.returncode == 1
    assert forged.stderr.startswith("The signature does not match")
    missing = run_cli("verify", str(tmp_path / "cert.pdf"), data_dir=tmp_path / "data")
    assert missing.returncode == 1 and "공개 키가 없습니다" in missing.stderr


def test_issued_record_keeps_the_view_picklable():
    import pickle

    assert pickle.loads(pickle.dumps(Issued("n", "c", "u", date(2024, 1, 1), signed=b"x"))).signed == b"x"
