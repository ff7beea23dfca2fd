"""Builders for files as Excel and LibreOffice write them, and for the damaged and hostile ones they become."""

from __future__ import annotations

import struct
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from tests.io.libreoffice import soffice

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def laughs(root: str) -> str:
    """A "billion laughs" document type for ``root``: ten entities, each ten of the one before; ``&lol9;`` would
    expand to 10^9 "lol"s."""
    entities = "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    return f'<!DOCTYPE {root} [<!ENTITY lol "lol">{entities}]>'


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def excel_parts(sheets: dict[str, list[list[object]]], *, hidden_rows: dict[str, set[int]] | None = None,
                hidden_sheets: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The parts of an .xlsx as Excel writes it: shared strings, ``spans``, ``hidden="1"`` rows, sheet ``state``."""
    strings: list[str] = []
    index: dict[str, int] = {}
    parts: dict[str, bytes] = {}
    for number, (name, rows) in enumerate(sheets.items(), start=1):
        xml_rows = []
        for r, cells in enumerate(rows, start=1):
            xml_cells = []
            for c, value in enumerate(cells):
                ref = f"{column_letter(c)}{r}"
                if value is None:
                    continue
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    xml_cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                else:
                    text = str(value)
                    if text not in index:
                        index[text] = len(strings)
                        strings.append(text)
                    xml_cells.append(f'<c r="{ref}" t="s"><v>{index[text]}</v></c>')
            hidden = ' hidden="1"' if r in (hidden_rows or {}).get(name, set()) else ""
            xml_rows.append(f'<row r="{r}" spans="1:{max(len(cells), 1)}"{hidden}>{"".join(xml_cells)}</row>')
        parts[f"xl/worksheets/sheet{number}.xml"] = (
            f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><dimension ref="A1"/>'
            f'<sheetData>{"".join(xml_rows)}</sheetData></worksheet>').encode()
    shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    parts["xl/sharedStrings.xml"] = (f'{DECLARATION}<sst xmlns="{MAIN}" count="{len(strings)}" '
                                     f'uniqueCount="{len(strings)}">{shared}</sst>').encode()
    states = {name: ' state="hidden"' if name in hidden_sheets else "" for name in sheets}
    sheet_entries = "".join(f'<sheet name="{escape(name)}" sheetId="{n}"{states[name]} r:id="rId{n}"/>'
                            for n, name in enumerate(sheets, start=1))
    parts["xl/workbook.xml"] = (f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
                                f"<sheets>{sheet_entries}</sheets></workbook>").encode()
    count = len(sheets)
    relations = "".join(f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                        for n in range(1, count + 1))
    relations += (f'<Relationship Id="rId{count + 1}" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
                  f'<Relationship Id="rId{count + 2}" Type="{RELS}/styles" Target="styles.xml"/>')
    parts["xl/_rels/workbook.xml.rels"] = (f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">{relations}'
                                           "</Relationships>").encode()
    parts["xl/styles.xml"] = (f'{DECLARATION}<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/>'
                              '<name val="맑은 고딕"/></font></fonts><fills count="1"><fill><patternFill '
                              'patternType="none"/></fill></fills><borders count="1"><border/></borders>'
                              '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf xfId="0"/>'
                              '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
                              "</cellStyles></styleSheet>").encode()
    parts["_rels/.rels"] = (f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
                            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode()
    ml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{ml}.worksheet+xml"/>'
                        for n in range(1, count + 1))
    parts["[Content_Types].xml"] = (
        f'{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ml}.sheet.main+xml"/>{overrides}'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ml}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ml}.styles+xml"/></Types>').encode()
    return parts


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    """Parts into a zip, deflated, in the order given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def read_parts(path: Path) -> dict[str, bytes]:
    """A workbook's parts, in the zip's order."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def break_deflate(path: Path, member: str) -> Path:
    """Overwrite the middle of ``member``'s packed data with bytes deflate cannot mean (the zip itself stays
    readable: only that part fails, when it is unpacked)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 3
    data[middle:middle + 16] = b"\xff" * 16  # a run of 0xff: an invalid block type or distance, never valid data
    path.write_bytes(bytes(data))
    return path


def libreoffice(sources: list[Path], out: Path, convert_to: str = "xlsx") -> list[Path]:
    """Convert files with LibreOffice itself, in one run (it takes a second or two to start)."""
    program = soffice()  # fails in CI when LibreOffice is missing, as every LibreOffice test does
    out.mkdir(parents=True, exist_ok=True)
    profile = out / ".lo-profile"  # a profile of its own, so a running LibreOffice does not take the job
    subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", convert_to,
                    "--outdir", str(out), *map(str, sources)], check=True, capture_output=True, timeout=180)
    suffix = "." + convert_to.split(":")[0]
    converted = [out / (source.stem + suffix) for source in sources]
    missing = [p for p in converted if not p.exists()]
    assert not missing, f"LibreOffice wrote nothing for {missing}"
    return converted


_FODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"')


def fods(path: Path, sheets: dict[str, list[list[str]]], *, hidden_rows: dict[str, set[int]] | None = None,
         hidden_sheets: tuple[str, ...] = ()) -> Path:
    """A flat OpenDocument spreadsheet (text cells), for LibreOffice to save as .xlsx or CSV its own way."""
    tables = []
    for name, rows in sheets.items():
        style = ' table:style-name="hidden"' if name in hidden_sheets else ""
        xml_rows = []
        for r, cells in enumerate(rows, start=1):
            collapse = ' table:visibility="collapse"' if r in (hidden_rows or {}).get(name, set()) else ""
            xml_cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{escape(str(c))}</text:p>'
                                "</table:table-cell>" for c in cells)
            xml_rows.append(f"<table:table-row{collapse}>{xml_cells}</table:table-row>")
        tables.append(f'<table:table table:name="{escape(name)}"{style}>{"".join(xml_rows)}</table:table>')
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><office:document {_FODS_NS} office:version="1.2" '
        'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:automatic-styles>'
        '<style:style style:name="hidden" style:family="table"><style:table-properties table:display="false"/>'
        "</style:style></office:automatic-styles><office:body><office:spreadsheet>"
        f'{"".join(tables)}</office:spreadsheet></office:body></office:document>', encoding="utf-8")
    return path
