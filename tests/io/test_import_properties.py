"""Whatever bytes a file holds, the import either succeeds or refuses it with a named problem (ImportFailed or
SourceUnreadable, both AppError): never another exception, whether the file is a CSV or a workbook."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultant_app.errors import AppError
from consultant_app.io import ImportFailed, SourceUnreadable, import_path
from consultant_app.io.columns import SPECS, Kind, normalize_header
from consultant_app.store import Store
from tests.io.hostile import excel_parts, fods, libreoffice, read_parts, write_zip
from tests.io.sample import A, B, dashed, sample, write_csvs

# Repeatable in CI (derandomize), no example database left in the work tree, no deadline on a shared machine.
FAST = dict(deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One store for every example: imports that succeed pile up, so later ones re-import over earlier ones."""
    opened = Store.open(tmp_path_factory.mktemp("store"), actor="tester")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("files")


def imports_or_names_the_problem(store, path) -> None:
    """The property: success, or an AppError that says where (the file's name), and nothing else."""
    try:
        import_path(store, path)
    except (ImportFailed, SourceUnreadable) as refusal:
        assert isinstance(refusal, AppError)
        assert refusal.message("ko") and refusal.message("en")
        if isinstance(refusal, SourceUnreadable):
            assert path.name in refusal.message("en") or path.stem in refusal.message("en")
        else:
            assert refusal.problems and all(p.file for p in refusal.problems)


# --- CSV -------------------------------------------------------------------------------------------------------

# Cells worth combining: broken keys, quotes, delimiters, control characters, numbers no column holds, dates in
# every spelling, overlong text, the export's formula escape.
HOSTILE = st.one_of(st.sampled_from([
    "1298114411", "123", "", " ", '"', '""', '"a', 'a"b', ",", ";", "\t", "\r", "\n", "\x00", "\x1b", "\ufeff",
    "99999999999999999999", "-1", "1e999", "nan", "1,5", "2024-02-30", "가" * 301, "'=1+1",
]), st.integers().map(str), st.floats().map(str), st.text(max_size=12))
# Numbers at and past every boundary, for the number columns.
NUMBERS = st.one_of(st.sampled_from(["9223372036854775808", "9223372036854775807", "-9223372036854775809",
                                     "99999999999999999999", "1e999", "-1", "0.5", "nan", "1,5", "1,234,567"]),
                    st.integers().map(str))
# Cells a column of each kind accepts, so that rows get past parsing into the checks and the write.
VALID = {
    Kind.TEXT: st.sampled_from(["(주)한빛정밀", "김철수", "경기", "한빛자동차"]),
    Kind.INT: st.sampled_from(["1", "2", "3", "45", "1차", "0"]),
    Kind.MONEY: st.sampled_from(["30000000", "1,234,000원", "₩5,000", "0"]),
    Kind.FLOAT: st.sampled_from(["2.93", "85", "0", "1e3"]),
    Kind.DATE: st.sampled_from(["2018-06-26", "2018.06.26", "2018. 6. 26.", "2024년 3월 5일"]),
    Kind.BOOL: st.sampled_from(["true", "예", "O", "n"]),
    Kind.BUSINESS_NO: st.sampled_from([A, B, dashed(A)]),
    Kind.CODE: st.sampled_from(["basic", "productivity", "스마트공장", "품질"]),
    Kind.CODES: st.sampled_from(["productivity;quality", "mindset", ""]),
    Kind.KPI: st.sampled_from(["oee", "defect_rate", "공정불량률", "on_time_delivery"]),
}


@st.composite
def sheet_text(draw) -> tuple[str, str]:
    """A sheet's CSV text: some of its columns under one of their headers (or misspelt), rows of valid and hostile
    cells, separated and quoted one way or another; and the file's name."""
    spec = draw(st.sampled_from(list(SPECS.values())))
    key = [spec.column(name) for name in spec.key]
    extra = draw(st.lists(st.sampled_from(spec.columns), max_size=5, unique_by=lambda c: c.name))
    columns = key + [c for c in extra if c not in key]
    header = [draw(st.sampled_from([h for h in c.headers() if h] + [c.name[:-1] + "x"])) for c in columns]
    rows = draw(st.lists(st.lists(st.one_of(*(VALID[c.kind] for c in columns)), min_size=len(columns),
                                  max_size=len(columns)), max_size=6))
    rows = [[draw(st.one_of(st.just(cell), HOSTILE)) if draw(st.integers(0, 4)) == 0 else cell for cell in row]
            for row in rows]
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    quote_all = draw(st.booleans())

    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if quote_all else value

    text = "\r\n".join(delimiter.join(cell(c) for c in row) for row in [header, *rows]) + "\r\n"
    return text, spec.name + draw(st.sampled_from([".csv", ".txt"]))


@settings(max_examples=120, **FAST)
@given(data=st.data(), keep_good_rows=st.booleans())
def test_the_sample_with_hostile_cells_imports_or_is_refused(store, folder, data, keep_good_rows):
    # The sample's rows are valid, so a hostile cell meets every later step: the checks, and with keep_good_rows
    # the write itself (an update of the rows an earlier example wrote, or a new row).
    sheets = sample()
    for _ in range(data.draw(st.integers(1, 4))):
        name = data.draw(st.sampled_from(sorted(sheets)))
        row = data.draw(st.integers(2, len(sheets[name])))
        column = data.draw(st.integers(0, len(sheets[name][0]) - 1))
        kind = SPECS[name].by_header[normalize_header(sheets[name][0][column])].kind
        numeric = kind in (Kind.INT, Kind.MONEY, Kind.FLOAT)
        sheets[name][row - 1][column] = data.draw(st.one_of(NUMBERS, HOSTILE) if numeric else HOSTILE)
    path = write_csvs(folder / "sample", sheets)
    try:
        import_path(store, path, keep_good_rows=keep_good_rows)
    except (ImportFailed, SourceUnreadable) as refusal:
        assert refusal.message("ko") and refusal.message("en")


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp949", "utf-16", "utf-16-le"])
NAMES = st.sampled_from(["companies.csv", "kpis.csv", "companies.txt"])


@settings(max_examples=80, **FAST)
@given(sheet=sheet_text(), encoding=ENCODINGS)
def test_any_csv_text_imports_or_is_refused_with_a_named_problem(store, folder, sheet, encoding):
    text, name = sheet
    path = folder / name
    path.write_bytes(text.encode(encoding, errors="replace"))
    imports_or_names_the_problem(store, path)


@settings(max_examples=60, **FAST)
@given(data=st.binary(max_size=600), name=NAMES)
def test_any_bytes_as_a_csv_file_import_or_are_refused_with_a_named_problem(store, folder, data, name):
    path = folder / name
    path.write_bytes(data)
    imports_or_names_the_problem(store, path)


@settings(max_examples=40, **FAST)
@given(sheet=st.sampled_from(["companies", "engagements", "kpis", "surveys"]), cut=st.integers(0, 400),
       junk=st.binary(min_size=1, max_size=8))
def test_the_sample_with_bytes_spliced_in_imports_or_is_refused(store, folder, sheet, cut, junk):
    lines = "".join(",".join(row) + "\r\n" for row in sample()[sheet]).encode("utf-8")
    path = folder / f"{sheet}.csv"
    path.write_bytes(lines[:cut] + junk + lines[cut:])
    imports_or_names_the_problem(store, path)


# --- workbooks --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """Real workbooks' parts: written part by part as Excel does, by openpyxl, and by LibreOffice."""
    from openpyxl import Workbook

    root = tmp_path_factory.mktemp("books")
    sheets = sample()
    books = {"excel": excel_parts(sheets, hidden_rows={"companies": {3}}, hidden_sheets=("surveys",))}
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(root / "openpyxl.xlsx")
    books["openpyxl"] = read_parts(root / "openpyxl.xlsx")
    try:
        (converted,) = libreoffice([fods(root / "libreoffice.fods", sheets)], root / "out")
        books["libreoffice"] = read_parts(converted)
    except pytest.skip.Exception:
        pass
    return books


@settings(max_examples=20, **FAST)
@given(data=st.binary(max_size=600))
def test_any_bytes_as_a_workbook_are_refused_with_a_named_problem(store, folder, data):
    path = folder / "book.xlsx"
    path.write_bytes(data)
    imports_or_names_the_problem(store, path)


@st.composite
def mutated(draw, books: dict[str, dict[str, bytes]]) -> tuple[str, dict[str, bytes]]:
    """A real workbook with one part truncated, overwritten, spliced into or replaced."""
    book = draw(st.sampled_from(sorted(books)))
    parts = dict(books[book])
    part = draw(st.sampled_from(sorted(parts)))
    data = parts[part]
    at = draw(st.integers(0, len(data)))
    junk = draw(st.binary(min_size=1, max_size=12))
    how = draw(st.sampled_from(["truncate", "overwrite", "splice", "replace", "drop"]))
    if how == "truncate":
        parts[part] = data[:at]
    elif how == "overwrite":
        parts[part] = data[:at] + junk + data[at + len(junk):]
    elif how == "splice":
        parts[part] = data[:at] + junk + data[at:]
    elif how == "replace":
        parts[part] = junk
    else:
        del parts[part]
    return f"{book}: {how} {part} at {at}", parts


@settings(max_examples=45, **FAST)
@given(data=st.data())
def test_real_workbooks_with_a_mutated_part_import_or_are_refused(store, folder, workbooks, data):
    _, parts = data.draw(mutated(workbooks))
    imports_or_names_the_problem(store, write_zip(folder / "book.xlsx", parts))


@settings(max_examples=15, **FAST)
@given(data=st.data())
def test_real_workbooks_with_their_packed_bytes_mutated_import_or_are_refused(store, folder, workbooks, data):
    # Bytes changed in the zip itself: headers, packed data, the central directory.
    book = data.draw(st.sampled_from(sorted(workbooks)))
    path = write_zip(folder / "book.xlsx", workbooks[book])
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    path.write_bytes(bytes(raw))
    imports_or_names_the_problem(store, path)


def test_the_unmutated_workbooks_import(store, folder, workbooks):
    for name, parts in workbooks.items():
        path = write_zip(folder / f"{name}.xlsx", parts)
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
        result = import_path(store, path)
        assert not result.errors, name
