"""Issuing certificates: checked with the laptop's own domain rules, numbered, signed, versioned, revocable.

The certified facts are built from the server's records by the same code that builds a laptop's certificate,
and signed with the office's Ed25519 key, which never leaves the server's data folder. While a certificate is
valid its facts are locked: an op that would change them is refused, unless it comes as a correction, which
supersedes the certificate with the next version under the same number.
"""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Session

from central_server.changes import publish_row
from central_server.files import FILE_MODE, private_dir
from central_server.schema import counters
from consultant_app.domain.certificate import Issued, NotEligible, build_certificate
from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.signing import SignedFacts, certified_facts, sign_facts
from consultant_app.services.certificates import certificate_sources, not_eligible_message
from consultant_app.store.models import SYNCED_TABLES, IssuedCertificate, new_id, utc_now

KEY_FILE = "signing-key.pem"
NUMBER_PREFIX = "IIM"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed from paper
certificates = IssuedCertificate.__table__


class IssueRefused(Exception):
    """The engagement cannot be certified; ``ko``/``en`` say why, line by line."""

    def __init__(self, code: str, ko: str, en: str):
        super().__init__(en)
        self.code, self.ko, self.en = code, ko, en


def signing_key(data_dir: Path) -> Ed25519PrivateKey:
    """The office's private key, made on first use as a file only the server's user can read."""
    path = data_dir / KEY_FILE
    if not path.exists():
        private_dir(path.parent)
        pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption())
        try:  # O_EXCL: when several workers start at once, one key is made and the others read it
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            pass
        else:
            os.fchmod(descriptor, FILE_MODE)  # exactly, whatever the umask
            with os.fdopen(descriptor, "wb") as out:
                out.write(pem)
                out.flush()
                os.fsync(out.fileno())
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def _code() -> str:
    letters = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))  # 60 bits: not guessable
    return "-".join(letters[i:i + 4] for i in range(0, 12, 4))


def _next_number(connection: Connection, year: int) -> str:
    name = f"certificate.{year}"
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(counters).values(name=name, value=0).on_conflict_do_nothing())
    serial = connection.execute(update(counters).where(counters.c.name == name)
                                .values(value=counters.c.value + 1).returning(counters.c.value)).scalar()
    return f"{NUMBER_PREFIX}-{year}-{serial:05d}"


def _facts(connection: Connection, engagement_id: str, issued: Issued, catalogue: KpiCatalogue) -> dict[str, Any]:
    """What a certificate of the engagement certifies now, from the server's records judged by ``catalogue`` (the
    one in force); IssueRefused if it cannot."""
    with Session(bind=connection) as session:
        sources = certificate_sources(session=session, engagement_ids=[engagement_id], catalogue=catalogue)
    if not sources:
        raise IssueRefused("not_found", "참여 기록이 서버에 없습니다.", "The engagement is not on the server.")
    try:
        view = build_certificate(sources[0], catalogue, printed_on=issued.issued_on, issued=issued)
    except NotEligible as error:
        raise IssueRefused("not_eligible", not_eligible_message(error, "ko", catalogue),
                           not_eligible_message(error, "en", catalogue)) from None
    return certified_facts(view)


def issued_of(row: Any) -> Issued:
    """The Issued of a stored certificate row (what its facts were signed with)."""
    return Issued(number=row["number"], code=row["code"], verify_url=row["verify_url"], issued_on=row["issued_on"],
                  version=row["version"], signed=row["signed"].encode())


def valid_certificate(connection: Connection, engagement_id: str) -> dict | None:
    found = connection.execute(select(certificates).where(certificates.c.engagement_id == engagement_id,
                                                          certificates.c.status == "valid")).mappings().first()
    return dict(found) if found else None


def issue(connection: Connection, engagement_id: str, *, actor: str, key: Ed25519PrivateKey, public_url: str,
          catalogue: KpiCatalogue, today: date | None = None) -> dict:
    """The engagement's valid certificate: the one already issued, else a new one (the next version after a
    revoked one); IssueRefused when the engagement is not eligible."""
    current = valid_certificate(connection, engagement_id)
    if current is not None:
        return current
    previous = connection.execute(select(certificates.c.number, certificates.c.version)
                                  .where(certificates.c.engagement_id == engagement_id)
                                  .order_by(certificates.c.version.desc())).first()
    today = today or date.today()
    number = previous.number if previous else _next_number(connection, today.year)
    version = previous.version + 1 if previous else 1
    return _issue(connection, engagement_id, number=number, version=version, actor=actor, key=key,
                  public_url=public_url, catalogue=catalogue, today=today)


def _issue(connection: Connection, engagement_id: str, *, number: str, version: int, actor: str,
           key: Ed25519PrivateKey, public_url: str, catalogue: KpiCatalogue, today: date) -> dict:
    code = _code()
    issued = Issued(number=number, code=code, verify_url=f"{public_url.rstrip('/')}/verify/{code}",
                    issued_on=today, version=version)
    signed = sign_facts(key, _facts(connection, engagement_id, issued, catalogue))
    row = {"id": new_id(), "engagement_id": engagement_id, "number": number, "version": version, "code": code,
           "status": "valid", "issued_on": today, "issued_at": utc_now(), "issued_by": actor,
           "verify_url": issued.verify_url, "signed": signed.to_bytes().decode(), "revoked_at": None,
           "revoked_reason": None, "superseded_by": None}
    connection.execute(insert(certificates).values(**row))
    publish_row(connection, "certificates", row["id"], actor=actor, action="issue",
                changes={"number": number, "version": version})
    return row


def revoke(connection: Connection, certificate: dict, *, actor: str, reason: str,
           superseded_by: str | None = None) -> None:
    """End a valid certificate: revoked, or superseded by a corrected version."""
    status = "superseded" if superseded_by else "revoked"
    connection.execute(update(certificates).where(certificates.c.id == certificate["id"]).values(
        status=status, revoked_at=utc_now(), revoked_reason=reason, superseded_by=superseded_by))
    publish_row(connection, "certificates", certificate["id"], actor=actor, action=status,
                changes={"status": status, "reason": reason})


def supersede(connection: Connection, certificate: dict, *, actor: str, key: Ed25519PrivateKey,
              public_url: str, catalogue: KpiCatalogue, today: date | None = None) -> dict:
    """Issue the next version of a corrected certificate and mark the old one superseded by it."""
    new = _issue(connection, certificate["engagement_id"], number=certificate["number"],
                 version=certificate["version"] + 1, actor=actor, key=key, public_url=public_url,
                 catalogue=catalogue, today=today or date.today())
    revoke(connection, certificate, actor=actor, reason=f"정정: 제{new['version']}판 발급 / corrected by version "
                                                        f"{new['version']}", superseded_by=new["id"])
    return new


def certified_engagement_ids(connection: Connection) -> set[str]:
    """Every engagement with a valid certificate."""
    return set(connection.execute(select(certificates.c.engagement_id).where(certificates.c.status == "valid"))
               .scalars())


def certified_engagements(connection: Connection, entity: str, rows: list[dict]) -> set[str]:
    """The engagements with a valid certificate whose facts these rows (before and after a change) feed."""
    engagements = SYNCED_TABLES["engagements"].__table__
    companies = SYNCED_TABLES["companies"].__table__
    if entity == "engagements":
        query = select(engagements.c.id).where(engagements.c.id.in_([r["id"] for r in rows]))
    elif entity in ("kpi_measurements", "outcomes"):
        query = select(engagements.c.id).where(engagements.c.id.in_([r["engagement_id"] for r in rows]))
    elif entity == "companies":
        query = select(engagements.c.id).where(engagements.c.company_id.in_([r["id"] for r in rows]))
    elif entity == "sponsors":
        query = (select(engagements.c.id).join(companies, companies.c.id == engagements.c.company_id)
                 .where(companies.c.sponsor_id.in_([r["id"] for r in rows])))
    else:
        return set()  # visits, attachments, surveys: not on the certificate
    ids = select(certificates.c.engagement_id).where(certificates.c.status == "valid",
                                                     certificates.c.engagement_id.in_(query))
    return set(connection.execute(ids).scalars())


def changed_certificates(connection: Connection, engagement_ids: set[str], catalogue: KpiCatalogue) -> list[dict]:
    """The valid certificates of these engagements whose facts the records, as they are now, no longer match."""
    changed = []
    for engagement_id in sorted(engagement_ids):
        certificate = valid_certificate(connection, engagement_id)
        if certificate is None:
            continue
        signed = SignedFacts.from_bytes(certificate["signed"].encode())
        try:
            now = _facts(connection, engagement_id, issued_of(certificate), catalogue)
        except IssueRefused:
            now = None
        if now != signed.facts:
            changed.append(certificate)
    return changed
