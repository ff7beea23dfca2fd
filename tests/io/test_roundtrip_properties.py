"""Properties: any text entry accepts comes back exactly from export → import, in XLSX and CSV, in either form."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from consultant_app.domain.validation import SHORT_TEXT_LIMIT, check_text
from consultant_app.io import Form, export_path, import_path
from consultant_app.io.cells import format_text, number_parser, unescape_cells
from consultant_app.services.companies import load_company, load_engagement, save_company, save_engagement
from consultant_app.store import Store
from tests.io.sample import A, query, sample, write_csvs

# Characters no worksheet or database can keep (validation.unstorable_character): never typed into the app.
UNSTORABLE = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)]
STORABLE = st.characters(exclude_categories=("Cs",), exclude_characters=UNSTORABLE)
# Starts that take the escape and the cell-type paths: formula look-alikes, quotes, error values, numbers, CR.
# Excel's _xHHHH_ escapes too, which a workbook's text must be able to hold as written.
STARTS = st.sampled_from(["", "=", "+", "-", "@", "'", "''", "'=", "#N/A", "\r", "\t=", "1", "-1", "1e5", "TRUE",
                          "2018-06-26", "줄\r\n바꿈", "_x000D_", "_x0041\r", "_x005F_x0041_", "_x_x0041_x0042_", "_\r"])
FIELDS = ("name", "representative", "region", "industry", "sponsor", "consultant")
# No shrinking: a failure is reported as found (shrinking six texts of 300 characters took minutes).
SETTINGS = settings(derandomize=True, max_examples=25, deadline=None, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def entered_text(draw, limit: int = SHORT_TEXT_LIMIT) -> str:
    """Text as entry stores it: storable characters, trimmed as the forms and the importer trim, within its limit."""
    body = draw(st.one_of(st.text(STORABLE, max_size=40), st.text(STORABLE, min_size=limit - 20, max_size=limit + 20)))
    text = (draw(STARTS) + body).strip()[:limit].strip()
    return text or draw(st.sampled_from(["가", "x", "=x"]))


TEXTS = st.fixed_dictionaries({name: entered_text() for name in FIELDS})


def _stored_texts(store: Store) -> dict[str, str]:
    [row] = query(store, "SELECT c.name, c.representative, c.region, c.industry, s.name, e.consultant "
                         "FROM companies c LEFT JOIN sponsors s ON s.id = c.sponsor_id "
                         "JOIN engagements e ON e.company_id = c.id AND e.year = 1 WHERE c.business_no = ?", A)
    return dict(zip(FIELDS, row))


@pytest.mark.parametrize("form", list(Form))
@pytest.mark.parametrize("target", ["out", "book.xlsx"])
def test_any_text_entry_accepts_survives_export_and_import(tmp_path: Path, form: Form, target: str):
    sheets = sample()
    with Store.open(tmp_path / "source", actor="tester") as source, \
            Store.open(tmp_path / "copy", actor="tester") as copy:
        import_path(source, write_csvs(tmp_path / "sample", sheets))
        company_id = query(source, "SELECT id FROM companies WHERE business_no = ?", A)[0][0]
        engagement_id = query(source, "SELECT id FROM engagements WHERE company_id = ? AND year = 1", company_id)[0][0]

        @SETTINGS
        @given(texts=TEXTS)
        def survives(texts: dict[str, str]) -> None:
            assert all(check_text(value, name) == [] for name, value in texts.items())  # entry accepts it
            with source.session() as session:
                company = load_company(session=session, company_id=company_id)
                _, engagement = load_engagement(session=session, engagement_id=engagement_id)
            save_company(source, replace(company, **{k: v for k, v in texts.items() if k != "consultant"}),
                         company_id=company_id)
            save_engagement(source, replace(engagement, consultant=texts["consultant"]), company_id=company_id,
                            engagement_id=engagement_id)
            assert _stored_texts(source) == texts
            export_path(source, tmp_path / target, form=form)
            result = import_path(copy, tmp_path / target)
            assert result.problems == []
            assert _stored_texts(copy) == texts

        survives()


@SETTINGS
@given(text=st.text(STORABLE, max_size=60))
def test_the_csv_escape_is_undone_exactly(text: str):
    assert unescape_cells([format_text(text)]) == [text]


@settings(derandomize=True, max_examples=200, deadline=None, database=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_reads_back_as_the_same_float_from_its_csv_text(value: float):
    assert number_parser(())(format_text(value)) == value  # -0.0 reads back as 0.0, which equals it
