"""Certified facts and their Ed25519 signature: the central office signs, anyone with its public key verifies.

The facts are what a certificate states (company, engagement, each KPI's values and figures, outcomes), as one
canonical JSON text: keys sorted, no spaces, UTF-8. The office signs those bytes; the signed facts travel inside
the official PDF (an embedded file), so a certificate can be checked with no network at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from consultant_app.domain.certificate import CertificateView
from consultant_app.domain.formulas import Figure

FORMAT = "iim-certificate/1"
ATTACHMENT_NAME = "certificate.json"


def _figure(figure: Figure) -> float | str:
    return figure.value if figure.defined else f"undefined:{figure.undefined.value}"


def _day(value) -> str | None:
    return value.isoformat() if value else None


def certified_facts(view: CertificateView) -> dict[str, Any]:
    """What an issued certificate certifies, as plain JSON values."""
    source, issued = view.source, view.issued
    if issued is None:
        raise ValueError("a draft certifies nothing: only an issued certificate has facts to sign")
    return {
        "format": FORMAT,
        "number": issued.number, "code": issued.code, "version": issued.version,
        "issued_on": issued.issued_on.isoformat(), "verify_url": issued.verify_url,
        "engagement_id": source.engagement_id,
        "company": {"name": source.company_name, "business_no": source.business_no,
                    "representative": source.representative, "region": source.region, "sponsor": source.sponsor,
                    "supplier_tier": source.supplier_tier},
        "engagement": {"year": source.year, "phase": source.phase, "field": source.field_code,
                       "support_krw": source.support_krw, "consultant": source.consultant,
                       "start_date": _day(source.start_date), "end_date": _day(source.end_date)},
        "kpis": [{"code": k.definition.code, "unit": k.definition.unit, "direction": k.definition.direction.value,
                  "baseline": k.values.baseline, "baseline_date": _day(k.values.baseline_date),
                  "target": k.values.target, "post": k.values.post, "post_date": _day(k.values.post_date),
                  "improvement_pct": _figure(k.improvement), "points": _figure(k.points),
                  "achievement_pct": _figure(k.achievement)} for k in view.kpis],
        "mean_improvement_pct": _figure(view.mean_improvement),
        "outcomes": {"financial_effect_krw": source.financial_effect_krw, "new_hires": source.new_hires,
                     "smart_factory_built": source.smart_factory_built,
                     "smart_factory_level": source.smart_factory_level},
    }


def canonical_bytes(facts: dict[str, Any]) -> bytes:
    """The one byte string the signature covers."""
    return json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def public_key_id(public_key: Ed25519PublicKey) -> str:
    """A short name for a public key: the first 16 hex digits of the SHA-256 of its raw bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class SignedFacts:
    """Facts, the signature over their canonical bytes, and which key made it."""

    facts: dict[str, Any]
    signature: str  # base64
    key_id: str

    def to_bytes(self) -> bytes:
        """The embedded file's content."""
        return json.dumps({"facts": self.facts, "signature": self.signature, "key_id": self.key_id},
                          ensure_ascii=False, sort_keys=True, indent=1).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> SignedFacts:
        """Read an embedded file; ValueError when it is not one of ours."""
        try:
            loaded = json.loads(data.decode("utf-8"))
            return cls(facts=loaded["facts"], signature=loaded["signature"], key_id=loaded["key_id"])
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"not a signed certificate record: {exc}") from exc


def sign_facts(private_key: Ed25519PrivateKey, facts: dict[str, Any]) -> SignedFacts:
    """Sign the facts' canonical bytes."""
    signature = private_key.sign(canonical_bytes(facts))
    return SignedFacts(facts=facts, signature=base64.b64encode(signature).decode("ascii"),
                       key_id=public_key_id(private_key.public_key()))


def signature_valid(signed: SignedFacts, public_key: Ed25519PublicKey) -> bool:
    """Whether the signature was made over exactly these facts by this key's private half."""
    try:
        signature = base64.b64decode(signed.signature, validate=True)
        public_key.verify(signature, canonical_bytes(signed.facts))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """A PEM public key (what the office publishes); ValueError for anything else."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    """The public key as PEM text, to publish."""
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
