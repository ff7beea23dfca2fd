"""The office's signed facts inside an official certificate PDF, and checking a PDF against them offline."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from consultant_app.domain.signing import ATTACHMENT_NAME, SignedFacts, signature_valid
from consultant_app.domain.validation import format_business_no
from consultant_app.reports.layout import number, percent


def embed_signed(pdf: bytes, signed: bytes) -> bytes:
    """``pdf`` with the signed facts as an embedded file (PDF readers list it under attachments)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_attachment(ATTACHMENT_NAME, signed)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class Verification:
    """What checking a certificate PDF found."""

    signed: SignedFacts | None = None
    signature_ok: bool = False
    key_known: bool = False
    unprinted: list[str] = field(default_factory=list)  # certified facts the page does not show
    problem: str = ""  # why the file could not be checked at all

    @property
    def valid(self) -> bool:
        return self.signature_ok and not self.unprinted and not self.problem


def _printed_facts(facts: dict) -> list[str]:
    """The certified values as the certificate prints them."""
    expected = [facts["number"], facts["company"]["name"], format_business_no(facts["company"]["business_no"])]
    for kpi in facts["kpis"]:
        expected += [number(kpi[name]) for name in ("baseline", "target", "post") if kpi[name] is not None]
        if isinstance(kpi["improvement_pct"], float):
            expected.append(percent(kpi["improvement_pct"], signed=True))
    return expected


def verify_pdf(data: bytes, public_keys: dict[str, object]) -> Verification:
    """Check the embedded signature against the office's public keys (by key id) and the page text against it."""
    result = Verification()
    try:
        reader = PdfReader(io.BytesIO(data))
        attachment = reader.attachments.get(ATTACHMENT_NAME)
        text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    except (PdfReadError, ValueError, OSError) as exc:
        result.problem = f"not a readable PDF: {exc}"
        return result
    if not attachment:
        result.problem = "no signed facts in this PDF (a draft, or not one of our certificates)"
        return result
    try:
        result.signed = SignedFacts.from_bytes(attachment[0])
    except ValueError as exc:
        result.problem = str(exc)
        return result
    key = public_keys.get(result.signed.key_id)
    result.key_known = key is not None
    result.signature_ok = key is not None and signature_valid(result.signed, key)
    try:
        wanted = _printed_facts(result.signed.facts)
    except (KeyError, TypeError) as exc:
        result.problem = f"the signed facts are incomplete: {exc}"
        return result
    result.unprinted = [fact for fact in wanted if "".join(str(fact).split()) not in text]
    return result
