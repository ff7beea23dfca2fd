"""The certificate PDF read back: Korean text and every figure, fonts, QR code, watermark, layout, metadata."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pypdf
import pypdfium2 as pdfium
import pytest
from reportlab.pdfbase import pdfmetrics

from consultant_app.domain.certificate import CertificateSource, Issued, build_certificate
from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.records import KpiValues
from consultant_app.reports.certificate_pdf import WATERMARK, render_certificate
from consultant_app.reports.fonts import REGULAR, register_fonts
from tests.reports.pdf_checks import (
    assert_every_font_embedded,
    assert_text_inside_margins,
    decode_qr_codes,
    pdf_text,
)

PRINTED = date(2024, 3, 15)
ISSUED = Issued(number="IIM-2024-000123", code="7KQ4-M2XD", verify_url="https://central.example/verify/7KQ4-M2XD",
                issued_on=date(2024, 3, 14))


def source(**changes) -> CertificateSource:
    """A complete engagement whose figures are worked out by hand in the tests."""
    base = CertificateSource(
        engagement_id="0f6c2b8e-1111-4e0e-9a77-3c1d2e4f5a6b", business_no="1248100998", company_name="한빛정밀(주)",
        representative="김대표", region="경기 안산", sponsor="대성자동차", supplier_tier=2, year=3, phase=1,
        field_code="productivity", support_krw=30_000_000, consultant="이컨설", start_date=date(2016, 9, 1),
        end_date=date(2017, 5, 31), status="completed",
        kpis=(
            # The press example: 2.93% → 1.71% is a 41.6% improvement (not "44%"), −1.22 percentage points;
            # against a target of 2.0: (1.71 − 2.93) ÷ (2.0 − 2.93) = 131.2% achieved.
            KpiValues("defect_rate", 2.93, 2.0, 1.71, date(2016, 9, 20), date(2017, 5, 20)),
            # A score 20 → 84 with a target of 90 is a 320% improvement, 91.4% of the target (not "350%").
            KpiValues("output_per_hour", 20, 90, 84, date(2016, 9, 21), date(2017, 5, 21)),
            # No incidents before or after: the relative improvement is undefined, never a number.
            KpiValues("safety_incidents", 0, 0, 0, date(2016, 9, 22), date(2017, 5, 22)),
        ),
        financial_effect_krw=125_000_000, new_hires=4, smart_factory_built=True, smart_factory_level=2)
    return dataclasses.replace(base, **changes)


def render(src: CertificateSource | None = None, *, issued: Issued | None = None) -> bytes:
    view = build_certificate(src or source(), default_catalogue(), printed_on=PRINTED, issued=issued)
    return render_certificate(view)


@pytest.fixture(scope="module")
def draft() -> bytes:
    return render()


def test_company_facts_in_korean_are_in_the_text(draft):
    text = pdf_text(draft)
    for fact in ("개선 확인서", "한빛정밀(주)", "124-81-00998", "김대표", "경기 안산", "대성자동차", "2차 협력사",
                 "3차년도 (1단계)", "생산성", "30,000,000원", "이컨설", "2016-09-01 ~ 2017-05-31"):
        assert fact in text, fact


def test_every_kpi_value_and_figure_is_printed_as_computed(draft):
    words = pdf_text(draft).split()
    # defect rate: baseline, its date, target, post, its date, improvement, points, achievement
    for figure in ("2.93", "2016-09-20", "2", "1.71", "2017-05-20", "+41.6%", "-1.22%p", "131.2%"):
        assert figure in words, figure
    for figure in ("20", "90", "84", "+320.0%", "91.4%"):
        assert figure in words, figure
    text = pdf_text(draft)
    assert "공정불량률 (%)" in text and "시간당 생산량 (units/h)" in text and "안전사고 (count)" in text
    # the mean over the two computable KPIs: (41.6… + 320) ÷ 2 = 180.8%
    assert "평균 개선율 +180.8%" in text
    assert "125,000,000원 / 년" in text and "4명" in text and "구축 (수준 2)" in text


def test_a_zero_baseline_prints_undefined_with_its_reason_not_a_number(draft):
    text = pdf_text(draft)
    squashed = "".join(text.split())
    assert "정의되지않음:기준값이0" in squashed
    assert "inf" not in text.lower() and "nan" not in text.lower()
    # the safety row: 0 → 0 has no relative improvement, and 0 = 0 target gives no achievement either
    assert "정의되지않음:목표값이기준값과같음" in squashed


def test_the_legend_states_every_formula(draft):
    squashed = "".join(pdf_text(draft).split())
    for formula in ("(B-A)÷B×100", "(A-B)÷B×100", "(A-B)÷(T-B)×100", "퍼센트포인트(%p)A-B"):
        assert formula in squashed, formula


def test_every_font_is_embedded_and_every_character_has_a_glyph(draft):
    assert_every_font_embedded(draft)
    register_fonts()
    font = pdfmetrics.getFont(REGULAR)
    document = pdfium.PdfDocument(draft)
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    missing = {c for c in text if not c.isspace() and ord(c) not in font.face.charToGlyph}
    assert missing == set()  # nothing would print as an empty box


def test_a_draft_has_the_watermark_on_every_page_and_its_qr_says_it_is_a_draft():
    many = source(kpis=tuple(KpiValues(code, 10, 8, 7, date(2016, 9, 1), date(2017, 5, 1))
                             for code in ("defect_rate", "final_defect_rate", "lead_time", "process_time_reduction",
                                          "return_rate", "cost_reduction", "inventory_days", "setup_time",
                                          "safety_incidents")))
    data = render(many)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert WATERMARK in page.extract_text()
    codes = decode_qr_codes(data, page=len(reader.pages) - 1)
    assert len(codes) == 1
    assert codes[0].startswith("IIM-CERT-DRAFT:DRAFT-03-0F6C2B8E:") and "DRAFT" in codes[0]
    assert "검증 코드: 발급 전" in pdf_text(data)


def test_an_issued_certificate_has_no_watermark_and_its_qr_leads_to_the_verification_page():
    data = render(issued=ISSUED)
    text = pdf_text(data)
    assert WATERMARK not in text and "초안" not in text
    assert "IIM-2024-000123" in text and "7KQ4-M2XD" in text and "발급일 2024-03-14" in text
    assert decode_qr_codes(data) == ["https://central.example/verify/7KQ4-M2XD"]


def test_metadata_is_set():
    reader = pypdf.PdfReader(io.BytesIO(render()))
    meta = reader.metadata
    assert meta.title == "개선 확인서 DRAFT-03-0F6C2B8E - 한빛정밀(주)"
    assert meta.author == "산업혁신운동 중앙추진본부"
    assert meta.subject == "한빛정밀(주) 3차년도 산업혁신운동 개선 확인서"
    assert meta.creation_date is not None and meta.creator == "consultant-app"


@pytest.mark.parametrize("name", [
    "가나다라마바사아자차카타파하" * 11,  # 154 Hangul syllables, no space to break at
    "(주)" + "대한민국정밀기계부품제조 " * 12,
    "Very Long Company Name Manufacturing And Precision Engineering Co., Ltd. " * 3,
])
def test_long_korean_names_stay_inside_the_margins(name):
    long = source(company_name=name, representative="남궁" * 20, sponsor="한국" * 40, region="경상남도 " * 10)
    data = render(long)
    page_texts = assert_text_inside_margins(data)
    assert "".join(name.split()) in "".join("".join(page_texts).split())  # printed whole, wrapped


def test_pages_render_without_error_at_print_resolution(draft):
    document = pdfium.PdfDocument(draft)
    try:
        bitmap = document[0].render(scale=300 / 72)
        assert bitmap.width > 2400  # A4 at 300 dpi
    finally:
        document.close()
