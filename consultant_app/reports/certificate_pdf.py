"""The improvement certificate (개선 확인서) as an A4 PDF: facts, KPI table with formulas, chart, signatures, QR."""

from __future__ import annotations

import io
from html import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from consultant_app.domain.certificate import CertificateView
from consultant_app.domain.codes import SupportField, label
from consultant_app.domain.formulas import ACHIEVEMENT_FORMULA, IMPROVEMENT_FORMULA, POINTS_FORMULA, Figure
from consultant_app.domain.kpi import Direction
from consultant_app.domain.messages import undefined_message
from consultant_app.domain.summary import KpiFigures
from consultant_app.domain.validation import format_business_no
from consultant_app.reports.certificate_chart import kpi_chart
from consultant_app.reports.layout import (
    ACCENT,
    FRAME_WIDTH,
    MARGIN,
    PAGE_SIZE,
    RULE,
    SHADE,
    canvas_class,
    cell,
    day,
    font_safe,
    number,
    percent,
    plain_cells,
    points,
    styles,
    won,
)
from consultant_app.reports.qr import QrFlowable

AUTHOR = "산업혁신운동 중앙추진본부"
WATERMARK = "초안 / DRAFT"
TITLE = "개선 확인서"
TITLE_EN = "Certificate of Improvement"
DIRECTION_TEXT = {Direction.LOWER: "↓ 낮을수록 좋음", Direction.HIGHER: "↑ 높을수록 좋음"}
# Cell padding a little under reportlab's default, so a certificate with a handful of KPIs fits one page.
TIGHT = (("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5))
PHASE_TEXT = {1: "1단계", 2: "2단계"}
TIER_TEXT = {1: "1차 협력사", 2: "2차 협력사", 3: "3차 협력사"}


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(font_safe(text)), style)


def figure_text(figure: Figure, formatted: str) -> str:
    """A computed figure, or why it is undefined (never a number for a zero baseline)."""
    return formatted if figure.defined else undefined_message(figure.undefined, "ko")


def kpi_row_texts(kpi: KpiFigures) -> list[str]:
    """One KPI's row as printed: name, unit and direction, baseline (date), target, post (date), figures."""
    values, definition = kpi.values, kpi.definition
    return [
        f"{definition.name_ko} ({definition.unit})\n{DIRECTION_TEXT[definition.direction]}",
        f"{number(values.baseline)}\n{day(values.baseline_date)}",
        number(values.target),
        f"{number(values.post)}\n{day(values.post_date)}",
        figure_text(kpi.improvement, percent(kpi.improvement.value, signed=True)),
        figure_text(kpi.points, points(kpi.points.value)) if definition.is_percent else "해당 없음",
        figure_text(kpi.achievement, percent(kpi.achievement.value)),
    ]


def _two_lines(text: str, style) -> Paragraph:
    """A cell whose second line (a date, a direction) is set smaller."""
    first, _, second = font_safe(text).partition("\n")
    markup = escape(first) + (f'<br/><font size="7" color="#52606d">{escape(second)}</font>' if second else "")
    return Paragraph(markup, style)


class CertificateRenderer:
    """Lays out one certificate; ``render()`` returns the PDF's bytes."""

    def __init__(self, view: CertificateView):
        self.view = view
        self.s = styles()

    def render(self) -> bytes:
        view, source = self.view, self.view.source
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=MARGIN, title=f"{TITLE} {view.number} - {source.company_name}",
            author=AUTHOR, subject=f"{source.company_name} {source.year}차년도 산업혁신운동 개선 확인서",
            creator="consultant-app", keywords=f"{view.number}, {source.business_no}")
        footer = f"{TITLE} {view.number} · {source.company_name} · {'초안(미발급)' if view.is_draft else '발급본'}"
        doc.build(self.story(), canvasmaker=canvas_class(footer=font_safe(footer),
                                                         watermark=WATERMARK if view.is_draft else ""))
        if view.issued and view.issued.signed:
            from consultant_app.reports.signed_pdf import embed_signed

            return embed_signed(buffer.getvalue(), view.issued.signed)
        return buffer.getvalue()

    def story(self) -> list:
        return [*self._header(), self._company_table(), Spacer(1, 1 * mm), *self._kpi_section(),
                *self._outcomes(), *self._chart(), self._closing()]

    # -- parts ------------------------------------------------------------------------------------------------
    def _header(self) -> list:
        view, s = self.view, self.s
        state = "초안 · 발급 전 (검증 불가)" if view.is_draft else f"발급일 {day(view.issued.issued_on)}"
        meta = Table([[_p("산업혁신운동 · Industrial Innovation Movement", s.small),
                       _p(f"확인서 번호 {view.number}", s.cell_right)],
                      [_p("", s.small), _p(f"{state} · 출력일 {day(view.printed_on)}", s.cell_right)]],
                     colWidths=[FRAME_WIDTH * 0.5, FRAME_WIDTH * 0.5])
        meta.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        return [meta, Spacer(1, 2 * mm), _p(TITLE, s.title), _p(TITLE_EN, s.subtitle), Spacer(1, 3 * mm)]

    def _company_table(self) -> Table:
        source, s = self.view.source, self.s
        field_code = SupportField(source.field_code) if source.field_code in set(SupportField) else None
        pairs = [
            ("기업명", source.company_name), ("사업자등록번호", format_business_no(source.business_no)),
            ("대표자", source.representative or "–"), ("지역", source.region or "–"),
            ("후원기업", source.sponsor or "–"), ("협력사 차수", TIER_TEXT.get(source.supplier_tier, "–")),
            ("참여 차수", f"{source.year}차년도" + (f" ({PHASE_TEXT[source.phase]})" if source.phase in PHASE_TEXT else "")),
            ("지원분야", label(field_code, "ko") if field_code else "–"),
            ("지원금액", won(source.support_krw)), ("담당 컨설턴트", source.consultant or "–"),
            ("참여 기간", f"{day(source.start_date)} ~ {day(source.end_date)}"), ("", ""),
        ]
        label_width, value_width = FRAME_WIDTH * 0.15, FRAME_WIDTH * 0.35
        rows = [[cell(pairs[i][0], s.cell, label_width), cell(pairs[i][1], s.cell, value_width),
                 cell(pairs[i + 1][0], s.cell, label_width), cell(pairs[i + 1][1], s.cell, value_width)]
                for i in range(0, len(pairs), 2)]
        table = Table(rows, colWidths=[label_width, value_width] * 2)
        table.setStyle(TableStyle([*plain_cells(s.cell),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 0), (2, -1), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *TIGHT,
        ]))
        return table

    def _kpi_section(self) -> list:
        view, s = self.view, self.s
        headers = ["지표 (단위)\n개선 방향", "기준값 B\n측정일", "목표값 T", "개선값 A\n측정일", "개선율",
                   "변화 (%p)\n% 지표만", "목표 달성률"]
        widths = [FRAME_WIDTH * w for w in (0.22, 0.13, 0.11, 0.13, 0.13, 0.14, 0.14)]
        header = [Paragraph(escape(h).replace("\n", "<br/>"), s.header_cell) for h in headers]
        rows = [header]
        for kpi in view.kpis:
            texts = kpi_row_texts(kpi)
            rows.append([_two_lines(t, s.cell if i == 0 else s.cell_center) if "\n" in t
                         else cell(t, s.cell_center, widths[i]) for i, t in enumerate(texts)])
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([*plain_cells(s.cell_center, ((1, 1), (-1, -1))),
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *TIGHT,
        ]))
        computable = sum(1 for k in view.kpis if k.improvement.defined)
        mean = figure_text(view.mean_improvement, percent(view.mean_improvement.value, signed=True))
        legend = (f"B 기준값, T 목표값, A 개선값. 개선율: 낮을수록 좋은 지표 {IMPROVEMENT_FORMULA[Direction.LOWER]}, "
                  f"높을수록 좋은 지표 {IMPROVEMENT_FORMULA[Direction.HIGHER]}. 목표 달성률: {ACHIEVEMENT_FORMULA}. "
                  f"% 단위 지표의 변화는 퍼센트포인트(%p) {POINTS_FORMULA}. 기준값이 0이면 개선율은 정의되지 않습니다.")
        return [
            _p("핵심성과지표(KPI) 개선 결과", s.heading), table, Spacer(1, 2 * mm), _p(legend, s.small),
            Spacer(1, 1.5 * mm),
            _p(f"평균 개선율 {mean} — 계산 가능한 지표 {computable}개의 단순 평균 (전체 {len(view.kpis)}개)", s.body),
        ]

    def _outcomes(self) -> list:
        source, s = self.view.source, self.s
        if source.smart_factory_built is None:
            smart = "기록 없음"
        elif source.smart_factory_built:
            smart = "구축" + (f" (수준 {source.smart_factory_level})" if source.smart_factory_level else "")
        else:
            smart = "미구축"
        effect = won(source.financial_effect_krw) + " / 년" if source.financial_effect_krw is not None else "기록 없음"
        hires = f"{source.new_hires:,}명" if source.new_hires is not None else "기록 없음"
        widths = [FRAME_WIDTH * w for w in (0.13, 0.25, 0.12, 0.16, 0.13, 0.21)]
        texts = ["재무적 효과", effect, "신규 채용", hires, "스마트공장", smart]
        table = Table([[cell(t, s.cell, w) for t, w in zip(texts, widths)]], colWidths=widths)
        table.setStyle(TableStyle([*plain_cells(s.cell),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *TIGHT,
            *[("BACKGROUND", (c, 0), (c, 0), SHADE) for c in (0, 2, 4)],
        ]))
        return [_p("성과", s.heading), table]

    def _chart(self) -> list:
        drawing = kpi_chart(self.view.kpis, width=FRAME_WIDTH)
        return [_p("지표별 기준값 · 목표값 · 개선값", self.s.heading), drawing]

    def _closing(self) -> KeepTogether:
        view, source, s = self.view, self.view.source, self.s
        statement = f"위 기업이 {source.year}차년도 산업혁신운동에 참여하여 위와 같이 개선하였음을 확인합니다."
        signers = [("담당 컨설턴트", source.consultant or ""), ("기업 대표", source.representative or ""),
                   ("산업혁신운동 중앙추진본부", "")]
        if view.is_draft:
            code = "검증 코드: 발급 전 (초안)"
            verify = ("중앙추진본부가 발급하기 전의 초안입니다. 검증할 수 없으며 공식 확인서로 쓸 수 없습니다. "
                      "DRAFT: not issued, cannot be verified.")
        else:
            code = f"검증 코드: {view.issued.code}"
            verify = f"QR 코드나 다음 주소에서 진위와 효력을 확인할 수 있습니다: {view.issued.verify_url}"
        qr_size = 24 * mm
        signature_width = (FRAME_WIDTH - qr_size - 4 * mm) / 3
        cells = [[cell(role, s.cell_center, signature_width) for role, _ in signers]
                 + [QrFlowable(view.qr_payload, size=qr_size)],
                 [cell(f"{name}  (서명)" if name else "(인)", s.cell_center, signature_width) for _, name in signers]
                 + [""]]
        table = Table(cells, colWidths=[signature_width] * 3 + [qr_size + 4 * mm], rowHeights=[7 * mm, 18 * mm])
        table.setStyle(TableStyle([*plain_cells(s.cell_center, ((0, 0), (2, 1))),
            ("BOX", (0, 0), (2, 1), 0.5, RULE), ("INNERGRID", (0, 0), (2, 1), 0.5, RULE),
            ("BACKGROUND", (0, 0), (2, 0), SHADE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("SPAN", (3, 0), (3, 1)), ("ALIGN", (3, 0), (3, 1), "RIGHT"), ("RIGHTPADDING", (3, 0), (3, 1), 0),
        ]))
        return KeepTogether([Spacer(1, 4 * mm), _p(f"{statement}  {day(view.printed_on)}", s.body),
                             Spacer(1, 2 * mm), table, Spacer(1, 1.5 * mm),
                             _p(f"{code} · {verify}", s.small)])


def render_certificate(view: CertificateView) -> bytes:
    """The certificate's PDF."""
    return CertificateRenderer(view).render()
