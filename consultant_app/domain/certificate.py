"""The improvement certificate: who may have one, and the facts it prints (a view-model, no PDF in sight)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from consultant_app.domain.codes import EngagementStatus
from consultant_app.domain.formulas import Figure
from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.records import KpiValues
from consultant_app.domain.summary import KpiFigures, summarize

DRAFT_QR_PREFIX = "IIM-CERT-DRAFT"


@dataclass(frozen=True, slots=True)
class CertificateSource:
    """Everything stored about one engagement that a certificate may print."""

    engagement_id: str
    business_no: str
    company_name: str
    representative: str | None
    region: str | None
    sponsor: str | None
    supplier_tier: int | None
    year: int
    phase: int | None
    field_code: str | None
    support_krw: int | None
    consultant: str | None
    start_date: date | None
    end_date: date | None
    status: str
    kpis: tuple[KpiValues, ...] = ()
    financial_effect_krw: int | None = None
    new_hires: int | None = None
    smart_factory_built: bool | None = None
    smart_factory_level: int | None = None


class Gap(StrEnum):
    """What keeps an engagement from having a certificate."""

    CANCELLED = "cancelled"
    NO_REPRESENTATIVE = "no_representative"
    NO_CONSULTANT = "no_consultant"
    NO_START_DATE = "no_start_date"
    NO_END_DATE = "no_end_date"
    NO_KPI = "no_kpi"
    UNKNOWN_KPI = "unknown_kpi"
    NO_BASELINE = "no_baseline"
    NO_BASELINE_DATE = "no_baseline_date"
    NO_TARGET = "no_target"
    NO_POST = "no_post"
    NO_POST_DATE = "no_post_date"


@dataclass(frozen=True, slots=True)
class Missing:
    """One gap, with the KPI it concerns (empty for the engagement itself)."""

    gap: Gap
    kpi: str = ""

    def message(self, lang: str = "ko", catalogue: KpiCatalogue | None = None) -> str:
        """The gap as a sentence, naming the KPI in the user's language."""
        ko, en = _GAP_TEXT[self.gap]
        if catalogue is None and self.kpi:
            from consultant_app.domain.kpi import default_catalogue

            catalogue = default_catalogue()
        definition = catalogue.get(self.kpi) if catalogue and self.kpi else None
        name = definition.name(lang) if definition else self.kpi
        return (en if lang == "en" else ko).format(kpi=name)


_GAP_TEXT: dict[Gap, tuple[str, str]] = {
    Gap.CANCELLED: ("중단된 참여에는 확인서를 발급하지 않습니다.", "A cancelled engagement gets no certificate."),
    Gap.NO_REPRESENTATIVE: ("기업 대표자 이름이 없습니다.", "The company's representative is missing."),
    Gap.NO_CONSULTANT: ("담당 컨설턴트가 없습니다.", "The consultant is missing."),
    Gap.NO_START_DATE: ("참여 시작일이 없습니다.", "The engagement's start date is missing."),
    Gap.NO_END_DATE: ("참여 종료일이 없습니다.", "The engagement's end date is missing."),
    Gap.NO_KPI: ("KPI가 하나도 없습니다.", "The engagement has no KPI."),
    Gap.UNKNOWN_KPI: ("지표 목록에 없는 KPI입니다: {kpi}", "A KPI not in the catalogue: {kpi}"),
    Gap.NO_BASELINE: ("{kpi}: 기준값이 없습니다.", "{kpi}: the baseline is missing."),
    Gap.NO_BASELINE_DATE: ("{kpi}: 기준값 측정일이 없습니다.", "{kpi}: the baseline date is missing."),
    Gap.NO_TARGET: ("{kpi}: 목표값이 없습니다.", "{kpi}: the target is missing."),
    Gap.NO_POST: ("{kpi}: 개선값이 없습니다.", "{kpi}: the post value is missing."),
    Gap.NO_POST_DATE: ("{kpi}: 개선값 측정일이 없습니다.", "{kpi}: the post date is missing."),
}

# What a KPI gap lacks, in the words of a list ("공정불량률: 개선값, 개선값 측정일 없음").
_KPI_FIELD_TEXT: dict[Gap, tuple[str, str]] = {
    Gap.NO_BASELINE: ("기준값", "baseline"), Gap.NO_BASELINE_DATE: ("기준값 측정일", "baseline date"),
    Gap.NO_TARGET: ("목표값", "target"), Gap.NO_POST: ("개선값", "post value"),
    Gap.NO_POST_DATE: ("개선값 측정일", "post date"),
}


def missing_lines(missing: list[Missing], lang: str = "ko", catalogue: KpiCatalogue | None = None) -> list[str]:
    """The gaps as lines to show: one per engagement gap, one per KPI listing all that KPI lacks."""
    lines: list[str] = []
    by_kpi: dict[str, list[str]] = {}
    for item in missing:
        if item.gap in _KPI_FIELD_TEXT:
            ko, en = _KPI_FIELD_TEXT[item.gap]
            by_kpi.setdefault(item.kpi, []).append(en if lang == "en" else ko)
        else:
            lines.append(item.message(lang, catalogue))
    if by_kpi:
        if catalogue is None:
            from consultant_app.domain.kpi import default_catalogue

            catalogue = default_catalogue()
        for code, fields in by_kpi.items():
            definition = catalogue.get(code)
            name = definition.name(lang) if definition else code
            lines.append(f"{name}: {', '.join(fields)} missing" if lang == "en" else f"{name}: {', '.join(fields)} 없음")
    return lines


# Each KPI field a certificate prints, and the gap its absence is.
_KPI_REQUIRED = (("baseline", Gap.NO_BASELINE), ("baseline_date", Gap.NO_BASELINE_DATE),
                 ("target", Gap.NO_TARGET), ("post", Gap.NO_POST), ("post_date", Gap.NO_POST_DATE))


def certificate_gaps(source: CertificateSource, catalogue: KpiCatalogue) -> list[Missing]:
    """What the engagement lacks for a certificate, in reading order; empty when it is eligible."""
    gaps = []
    if source.status == EngagementStatus.CANCELLED:
        gaps.append(Missing(Gap.CANCELLED))
    for value, gap in ((source.representative, Gap.NO_REPRESENTATIVE), (source.consultant, Gap.NO_CONSULTANT),
                       (source.start_date, Gap.NO_START_DATE), (source.end_date, Gap.NO_END_DATE)):
        if value is None or (isinstance(value, str) and not value.strip()):
            gaps.append(Missing(gap))
    if not source.kpis:
        gaps.append(Missing(Gap.NO_KPI))
    for kpi in source.kpis:
        if kpi.code not in catalogue:
            gaps.append(Missing(Gap.UNKNOWN_KPI, kpi.code))
            continue
        gaps += [Missing(gap, kpi.code) for name, gap in _KPI_REQUIRED if getattr(kpi, name) is None]
    return gaps


class NotEligible(ValueError):
    """The engagement lacks what a certificate needs; ``missing`` lists every gap."""

    def __init__(self, source: CertificateSource, missing: list[Missing]):
        self.source = source
        self.missing = missing
        super().__init__(f"{source.company_name} year {source.year}: "
                         + "; ".join(m.message("en") for m in missing))


@dataclass(frozen=True, slots=True)
class Issued:
    """What the central office gave a certificate when it issued it."""

    number: str
    code: str  # the short verification code printed under the QR
    verify_url: str
    issued_on: date
    version: int = 1
    signed: bytes | None = None  # the office's signed facts, embedded in the PDF for offline verification


@dataclass(frozen=True)
class CertificateView:
    """A certificate as it prints: the source facts, each KPI's figures, and how it is identified."""

    source: CertificateSource
    kpis: tuple[KpiFigures, ...]
    mean_improvement: Figure
    printed_on: date
    issued: Issued | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_draft(self) -> bool:
        """Not issued by the central office: printed with a watermark, the QR says so."""
        return self.issued is None

    @property
    def number(self) -> str:
        """The certificate number; a draft has a provisional one made from the engagement's key."""
        if self.issued:
            return self.issued.number
        return f"DRAFT-{self.source.year:02d}-{self.source.engagement_id.replace('-', '')[:8].upper()}"

    @property
    def qr_payload(self) -> str:
        """What the QR code holds: the verification address, or for a draft, that it is one."""
        if self.issued:
            return self.issued.verify_url
        return f"{DRAFT_QR_PREFIX}:{self.number}:초안(미발급) DRAFT, NOT ISSUED"


def build_certificate(source: CertificateSource, catalogue: KpiCatalogue, *, printed_on: date,
                      issued: Issued | None = None) -> CertificateView:
    """The certificate's view-model; raises NotEligible listing every gap."""
    missing = certificate_gaps(source, catalogue)
    if missing:
        raise NotEligible(source, missing)
    summary = summarize(source.kpis, catalogue)
    return CertificateView(source=source, kpis=summary.kpis, mean_improvement=summary.mean_improvement,
                           printed_on=printed_on, issued=issued)


def safe_file_name(text: str, *, limit: int = 120) -> str:
    """A file name any system accepts, keeping Hangul: no path or reserved characters, not too long."""
    import unicodedata

    cleaned = "".join("_" if (c in '\\/:*?"<>|' or unicodedata.category(c).startswith("C")) else c
                      for c in unicodedata.normalize("NFC", text))
    cleaned = " ".join(cleaned.split()).strip(" .") or "certificate"
    if cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = "_" + cleaned
    return cleaned[:limit].rstrip(" .")


# Names Windows refuses for a file, whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def certificate_file_name(source: CertificateSource) -> str:
    """``2차_(주)한빛정밀_1248100998.pdf``: year, company and number, safe on any system."""
    return safe_file_name(f"{source.year}차_{source.company_name}_{source.business_no}") + ".pdf"
