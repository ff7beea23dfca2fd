"""The programme report PDF read back: text and figures, metadata, embedded fonts, a long name inside the page."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pypdf
import pytest

from consultant_app.demo import load_demo
from consultant_app.domain.aggregates import ReportFilter
from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.records import EngagementRecord, KpiValues, SurveyAnswers
from consultant_app.domain.report_view import build_report_view
from consultant_app.reports.programme_pdf import render_programme_report
from consultant_app.store.queries import engagement_records
from tests.reports.pdf_checks import assert_every_font_embedded, assert_text_inside_margins, pdf_text

GENERATED = date(2024, 5, 1)
LONG_SPONSOR = ("가나다라마바사아자차카타파하" * 11)[:150]


def small_programme() -> list[EngagementRecord]:
    """Four engagements whose figures are worked out by hand in the tests below."""
    return [
        # A, year 1: defect rate 10 → 5 (lower is better): 50%; output per hour 100 → 130: 30%; mean 40%.
        EngagementRecord("e1", "1010101010", "가온정밀", year=1, phase=1, sponsor="한빛전자",
                         kpis=(KpiValues("defect_rate", 10, 6, 5), KpiValues("output_per_hour", 100, 120, 130)),
                         financial_effect_krw=120_000_000, new_hires=3, smart_factory_built=True,
                         survey=SurveyAnswers(5, True, True, ("productivity",))),
        # B, year 1: OEE 50 → 60: 20%.
        EngagementRecord("e2", "2020202020", "나래산업", year=1, phase=1, sponsor="대성자동차",
                         kpis=(KpiValues("oee", 50, 55, 60),), financial_effect_krw=80_000_000, new_hires=2,
                         smart_factory_built=False, survey=SurveyAnswers(3, False, True, ("quality", "productivity"))),
        # A again, year 2: lead time 20 → 15 days (lower is better): 25%.
        EngagementRecord("e3", "1010101010", "가온정밀", year=2, phase=1, sponsor="한빛전자",
                         kpis=(KpiValues("lead_time", 20, 16, 15),), financial_effect_krw=200_000_000, new_hires=7,
                         smart_factory_built=True, survey=SurveyAnswers(4, True, True, ("productivity",))),
        # C, year 2, no sponsor: no KPI, no outcome, no survey; left out of every mean and sum.
        EngagementRecord("e4", "3030303030", "다온기공", year=2, phase=1, sponsor=None),
    ]


def render(records: list[EngagementRecord], *, lang: str = "ko", report_filter: ReportFilter = ReportFilter()) -> bytes:
    view = build_report_view(records, default_catalogue(), report_filter=report_filter, lang=lang,
                             generated_on=GENERATED)
    return render_programme_report(view)


def tokens(data: bytes) -> list[str]:
    return pdf_text(data).split()


def contains_run(words: list[str], run: list[str]) -> bool:
    """Whether ``run`` occurs in ``words`` as consecutive words (a table row read left to right)."""
    return any(words[i:i + len(run)] == run for i in range(len(words) - len(run) + 1))


# -- text and figures -----------------------------------------------------------------------------------------

def test_korean_report_prints_the_hand_computed_figures():
    data = render(small_programme())
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    words = text.split()
    assert "산업혁신운동 성과 보고" in text
    assert "전체 참여 · 작성일 2024-05-01" in text
    # Headline: 4 engagements, 3 companies; mean of 40, 20 and 25 (e4 has no KPI) = 28.33…
    assert contains_run(words, ["참여", "건수", "4건"])
    assert contains_run(words, ["참여", "기업", "3개"])
    assert contains_run(words, ["KPI", "평균", "개선율", "28.3%"])
    assert "400,000,000원" in words  # 120 + 80 + 200 million; e4 recorded none
    assert "133,333,333원" in words  # 400 million ÷ the 3 engagements that recorded an effect
    assert contains_run(words, ["신규", "채용", "합계", "12명"])
    assert contains_run(words, ["1차년도", "5명", "2차년도", "7명"])
    assert contains_run(words, ["스마트공장", "구축", "기업", "1개"])  # company A, twice
    # By year: engagements, companies, KPI mean, effect (million won), per engagement, hires, smart, satisfied.
    assert contains_run(words, ["1차년도", "2", "2", "30.0%", "200", "100.0", "5", "1", "50.0%"])
    assert contains_run(words, ["2차년도", "2", "2", "25.0%", "200", "200.0", "7", "1", "100.0%"])
    # By sponsor: 한빛전자 has e1 and e3 (one company), the engagement without a sponsor its own row.
    assert contains_run(words, ["한빛전자", "2", "1", "32.5%", "320", "160.0", "10", "1", "100.0%"])
    assert contains_run(words, ["(후원기업", "없음)", "1", "1", "계산", "불가", "0", "계산", "불가", "0", "0",
                                "계산", "불가"])
    # Survey: 3 responses; satisfied 2 of 3 (5 and 4), continue 2 of 3, recommend 3 of 3.
    assert contains_run(words, ["응답", "수", "3건"])
    assert contains_run(words, ["만족(4점", "이상)", "66.7%"])
    assert contains_run(words, ["추천", "의향", "100.0%"])
    assert contains_run(words, ["생산성", "혁신", "100.0%"])
    assert contains_run(words, ["품질수준", "향상", "33.3%"])
    # The method section, and a method note beside its figure.
    assert "산출 방법" in text
    assert "제외: 지표가 없는 참여 1건" in text
    assert "None" not in text


def test_every_figure_has_its_method_note_in_the_method_section():
    records = small_programme()
    view = build_report_view(records, default_catalogue(), generated_on=GENERATED)
    text = "".join(pdf_text(render_programme_report(view)).split())
    for note in view.overall.method.values():
        assert "".join(note.split()) in text


def test_undefined_figures_print_the_undefined_wording_never_a_number_or_none():
    records = [EngagementRecord("e1", "1010101010", "가온정밀", year=1, phase=1, sponsor="한빛전자")]
    korean, english = pdf_text(render(records)), pdf_text(render(records, lang="en"))
    assert contains_run(korean.split(), ["KPI", "평균", "개선율", "계산", "불가"])
    assert contains_run(korean.split(), ["재무적", "효과", "평균(건당)", "계산", "불가"])
    assert contains_run(korean.split(), ["만족(4점", "이상)", "계산", "불가"])
    assert contains_run(english.split(), ["Mean", "KPI", "improvement", "undefined"])
    for text in (korean, english):
        assert "None" not in text and "nan" not in text.split()


def test_english_version_has_english_labels():
    text = pdf_text(render(small_programme(), lang="en"))
    words = text.split()
    assert "Industrial Innovation Movement: programme results" in text
    assert "all engagements · generated on 2024-05-01" in text
    for wording in ("Headline figures", "Mean KPI improvement", "Results by programme year", "Results by sponsor",
                    "Satisfaction survey", "How each figure was computed", "Productivity innovation"):
        assert wording in text
    assert contains_run(words, ["KRW", "400,000,000"])
    assert contains_run(words, ["year", "1", "2", "2", "30.0%", "200", "100.0", "5", "1", "50.0%"])
    assert "산업혁신운동 성과 보고" not in text and "계산 불가" not in text and "차수" not in text


def test_the_filter_is_printed():
    text = pdf_text(render(small_programme(), report_filter=ReportFilter(year=2)))
    assert "2차년도 · 작성일 2024-05-01" in text
    assert contains_run(text.split(), ["참여", "건수", "2건"])


# -- metadata and fonts ---------------------------------------------------------------------------------------

def test_metadata_title_author_subject_and_dates():
    reader = pypdf.PdfReader(io.BytesIO(render(small_programme())))
    meta = reader.metadata
    assert meta.title == "산업혁신운동 성과 보고 (전체 참여)"
    assert meta.author == "산업혁신운동 중앙추진본부"
    assert "성과 보고서" in meta.subject and "2024-05-01" in meta.subject
    assert meta.creator == "consultant-app"
    assert meta.creation_date is not None
    english = pypdf.PdfReader(io.BytesIO(render(small_programme(), lang="en"))).metadata
    assert english.author == "Industrial Innovation Movement"
    assert english.title.startswith("Industrial Innovation Movement: programme results")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_font_in_the_file_is_embedded_charts_included(lang):
    names = assert_every_font_embedded(render(small_programme(), lang=lang))
    assert any("Bold" in name for name in names)  # the bold face really is used, and embedded too


def test_the_walk_would_see_an_unembedded_font():
    # guards the test above against a walk that cannot fail: a bare canvas with Helvetica
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(100, 100, "plain")
    canvas.save()
    with pytest.raises(AssertionError):
        assert_every_font_embedded(buffer.getvalue())


# -- layout ---------------------------------------------------------------------------------------------------

def test_a_150_character_sponsor_name_stays_inside_the_margins():
    records = [dataclasses.replace(r, sponsor=LONG_SPONSOR) if r.sponsor == "대성자동차" else r
               for r in small_programme()]
    data = render(records)
    page_texts = assert_text_inside_margins(data)
    assert LONG_SPONSOR in "".join("".join(page_texts).split())  # printed whole, wrapped over lines


# -- real data and size ---------------------------------------------------------------------------------------

def test_demo_data_renders_with_every_engagement_counted(store):
    load_demo(store)
    with store.session() as session:
        records = engagement_records(session=session)
    data = render(records)
    words = tokens(data)
    assert contains_run(words, ["참여", "건수", f"{len(records):,}건"])
    assert contains_run(words, ["참여", "기업", f"{len({r.business_no for r in records}):,}개"])
    for year in sorted({r.year for r in records}):
        assert f"{year}차년도" in words
    for sponsor in {r.sponsor for r in records if r.sponsor}:
        assert sponsor.split()[0] in words
    assert_every_font_embedded(data)
    assert "None" not in words


def test_pdf_size_does_not_grow_with_the_number_of_engagements():
    base = small_programme()
    many = [dataclasses.replace(r, engagement_id=f"{r.engagement_id}-{n}", business_no=f"{n:04d}{r.business_no[4:]}")
            for n in range(250) for r in base]
    small, large = len(render(base)), len(render(many))
    assert large < small * 1.15, (small, large)
