"""Certificates from the store: what each engagement would print, which are eligible, and rendering them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from consultant_app.domain.certificate import (
    CertificateSource,
    CertificateView,
    Issued,
    Missing,
    NotEligible,
    build_certificate,
    certificate_gaps,
    missing_lines,
)
from consultant_app.domain.kpi import KpiCatalogue, default_catalogue
from consultant_app.domain.records import KpiValues
from consultant_app.domain.validation import normalize_business_no
from consultant_app.errors import AppError
from consultant_app.services.kpis import sort_key
from consultant_app.store import Store
from consultant_app.store.models import Company, Engagement, IssuedCertificate, KpiMeasurement, Outcome, Sponsor


@dataclass(frozen=True, slots=True)
class CertificateFilter:
    """Which engagements a batch covers; None means any."""

    year: int | None = None
    sponsor: str | None = None
    consultant: str | None = None

    def matches(self, source: CertificateSource) -> bool:
        return ((self.year is None or source.year == self.year)
                and (self.sponsor is None or source.sponsor == self.sponsor)
                and (self.consultant is None or source.consultant == self.consultant))


class EngagementNotFound(AppError):
    """No live engagement of that company in that programme year."""

    def __init__(self, business_no: str, year: int):
        super().__init__(f"사업자등록번호 {business_no}인 기업의 {year}차년도 참여 기록이 없습니다.",
                         f"No year-{year} engagement of the company with business number {business_no}.")


def certificate_sources(*, session: Session, engagement_ids: list[str] | None = None,
                        catalogue: KpiCatalogue | None = None) -> list[CertificateSource]:
    """Every live engagement (or those listed) with what its certificate prints, in a handful of queries."""
    key = sort_key(catalogue or default_catalogue())
    wanted = set(engagement_ids) if engagement_ids is not None else None
    query = (select(Engagement, Company, Sponsor.name)
             .join(Company, Company.id == Engagement.company_id)
             .outerjoin(Sponsor, Sponsor.id == Company.sponsor_id)
             .where(Engagement.deleted == False, Company.deleted == False)  # noqa: E712
             .order_by(Engagement.year, Company.name, Company.business_no))
    if wanted is not None:
        query = query.where(Engagement.id.in_(wanted))
    rows = session.exec(query).all()
    ids = [engagement.id for engagement, _, _ in rows]
    kpis: dict[str, list[KpiMeasurement]] = defaultdict(list)
    outcomes: dict[str, Outcome] = {}
    for chunk in _chunks(ids):
        for m in session.exec(select(KpiMeasurement).where(KpiMeasurement.engagement_id.in_(chunk),
                                                           KpiMeasurement.deleted == False)):  # noqa: E712
            kpis[m.engagement_id].append(m)
        outcomes.update((o.engagement_id, o) for o in session.exec(
            select(Outcome).where(Outcome.engagement_id.in_(chunk), Outcome.deleted == False)))  # noqa: E712
    sources = []
    for engagement, company, sponsor in rows:
        measured = sorted(kpis.get(engagement.id, ()), key=lambda m: key(m.kpi_code))
        outcome = outcomes.get(engagement.id)
        sources.append(CertificateSource(
            engagement_id=engagement.id, business_no=company.business_no, company_name=company.name,
            representative=company.representative, region=company.region, sponsor=sponsor,
            supplier_tier=company.supplier_tier, year=engagement.year, phase=engagement.phase,
            field_code=engagement.field, support_krw=engagement.support_krw, consultant=engagement.consultant,
            start_date=engagement.start_date, end_date=engagement.end_date, status=engagement.status,
            kpis=tuple(KpiValues(m.kpi_code, m.baseline, m.target, m.post, m.baseline_date, m.post_date)
                       for m in measured),
            financial_effect_krw=outcome.financial_effect_krw if outcome else None,
            new_hires=outcome.new_hires if outcome else None,
            smart_factory_built=outcome.smart_factory_built if outcome else None,
            smart_factory_level=outcome.smart_factory_level if outcome else None,
        ))
    return sources


def _chunks(ids: list[str], size: int = 500):
    # SQLite limits the parameters of one statement; 500 ids stay far below it.
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def find_engagement(*, session: Session, business_no: str, year: int) -> str:
    """The id of the company's live engagement in ``year``; EngagementNotFound otherwise."""
    number = normalize_business_no(business_no)
    engagement_id = session.exec(
        select(Engagement.id).join(Company, Company.id == Engagement.company_id)
        .where(Company.business_no == number, Engagement.year == year,
               Company.deleted == False, Engagement.deleted == False)).first()  # noqa: E712
    if engagement_id is None:
        raise EngagementNotFound(number, year)
    return engagement_id


def issued_for(store: Store, engagement_id: str) -> Issued | None:
    """The office's valid certificate of the engagement, as this laptop last pulled it."""
    with store.session() as session:
        row = session.exec(select(IssuedCertificate).where(IssuedCertificate.engagement_id == engagement_id,
                                                           IssuedCertificate.status == "valid")).first()
    if row is None:
        return None
    return Issued(number=row.number, code=row.code, verify_url=row.verify_url, issued_on=row.issued_on,
                  version=row.version, signed=row.signed.encode())


def certificate_view(store: Store, engagement_id: str, *, printed_on: date | None = None,
                     issued: Issued | None = None, catalogue: KpiCatalogue | None = None,
                     official: bool = True) -> CertificateView:
    """The engagement's certificate: the office's issued one when this laptop's records show what it certifies,
    else a draft; raises NotEligible with every gap, EngagementNotFound when it is gone."""
    catalogue = catalogue or default_catalogue()
    with store.session() as session:
        sources = certificate_sources(session=session, engagement_ids=[engagement_id], catalogue=catalogue)
    if not sources:
        raise AppError(f"참여 기록을 찾을 수 없습니다 (삭제되었을 수 있습니다): {engagement_id}",
                       f"The engagement was not found (it may have been deleted): {engagement_id}")
    if issued is None and official:
        issued = issued_for(store, engagement_id)
        if issued is not None:
            view = build_certificate(sources[0], catalogue, printed_on=issued.issued_on, issued=issued)
            if shows_signed_facts(view):
                return view
            issued = None  # changed here since it was issued: only a draft can show these values
    return build_certificate(sources[0], catalogue, printed_on=printed_on or date.today(), issued=issued)


def shows_signed_facts(view: CertificateView) -> bool:
    """Whether the view prints exactly what the office signed."""
    from consultant_app.domain.signing import SignedFacts, certified_facts

    return view.issued is not None and view.issued.signed is not None and \
        certified_facts(view) == SignedFacts.from_bytes(view.issued.signed).facts


def render_pdf(view: CertificateView) -> bytes:
    """The certificate's PDF bytes (reportlab is imported on first use)."""
    from consultant_app.reports.certificate_pdf import render_certificate

    return render_certificate(view)


def not_eligible_message(error: NotEligible, lang: str = "ko", catalogue: KpiCatalogue | None = None) -> str:
    """The refusal as people read it: which engagement, and each thing it lacks on its own line."""
    source = error.source
    head = (f"{source.company_name} {source.year}차년도: 확인서를 만들 수 없습니다. 빠진 것:" if lang != "en" else
            f"{source.company_name}, year {source.year}: no certificate can be made. Missing:")
    return "\n".join([head, *(f"  - {line}" for line in missing_lines(error.missing, lang, catalogue))])


def eligibility(sources: list[CertificateSource], catalogue: KpiCatalogue) -> list[tuple[CertificateSource, list[Missing]]]:
    """Each source with what it lacks (an empty list: eligible)."""
    return [(source, certificate_gaps(source, catalogue)) for source in sources]
