"""The KPI catalogue: definitions the programme office keeps in ``resources/kpi_catalogue.csv``."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path


class Direction(StrEnum):
    """Which way a KPI improves."""

    LOWER = "lower"
    HIGHER = "higher"


class Category(StrEnum):
    """The programme's KPI families: productivity, quality, cost, delivery, safety, morale."""

    P = "P"
    Q = "Q"
    C = "C"
    D = "D"
    S = "S"
    M = "M"


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    """One KPI: what it measures, in which unit, which way is better and which values are valid."""

    code: str
    name_ko: str
    name_en: str
    category: Category
    unit: str
    direction: Direction
    minimum: float | None = None
    maximum: float | None = None
    minimum_exclusive: bool = False
    description: str = ""

    @property
    def is_percent(self) -> bool:
        """True when values are percentages, so a change is also shown in percentage points."""
        return self.unit == "%"

    def name(self, lang: str = "ko") -> str:
        """The KPI's name in the given language."""
        return self.name_en if lang == "en" else self.name_ko

    def in_range(self, value: float) -> bool:
        """Whether a measured value lies within the KPI's valid range."""
        if not math.isfinite(value):
            return False
        if self.minimum is not None:
            if value < self.minimum or (self.minimum_exclusive and value == self.minimum):
                return False
        return self.maximum is None or value <= self.maximum


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message names the file and row."""


class KpiCatalogue:
    """KPI definitions by code, in the order the catalogue lists them."""

    def __init__(self, definitions: list[KpiDefinition]):
        self._by_code = {d.code: d for d in definitions}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self):
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> KpiDefinition | None:
        """The definition for ``code``, or None when the catalogue has no such KPI."""
        return self._by_code.get(code)

    def __getitem__(self, code: str) -> KpiDefinition:
        return self._by_code[code]

    def lookup(self, text: str) -> KpiDefinition | None:
        """Find a KPI by code or by its Korean or English name (as spreadsheets write it)."""
        key = text.strip()
        if key in self._by_code:
            return self._by_code[key]
        folded = key.casefold().replace(" ", "")
        for definition in self._by_code.values():
            names = (definition.code, definition.name_ko, definition.name_en)
            if any(folded == n.casefold().replace(" ", "") for n in names):
                return definition
        return None

    @classmethod
    def from_csv(cls, path: Path) -> KpiCatalogue:
        """Read a catalogue file; a bad row raises CatalogueError naming file and row."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            # Excel may save as CP949. Text is decoded in blocks, so which row is not known exactly.
            raise CatalogueError(f"{path}: not UTF-8 text ({exc.reason}); save it as CSV UTF-8") from exc
        return cls.from_csv_text(text, source=str(path))

    @classmethod
    def from_csv_text(cls, text: str, *, source: str = "catalogue") -> KpiCatalogue:
        """Read a catalogue from CSV text; a bad row raises CatalogueError naming ``source`` and row."""
        definitions: dict[str, KpiDefinition] = {}
        reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        missing = [c for c in _REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogueError(f"{source}, row 1: missing columns {', '.join(missing)}")
        for row_number, row in enumerate(reader, start=2):
            try:
                definition = _definition_from_row(row)
            except (KeyError, ValueError, TypeError, AttributeError) as exc:
                raise CatalogueError(f"{source}, row {row_number}: {exc}") from exc
            if definition.code in definitions:
                raise CatalogueError(f"{source}, row {row_number}: the code {definition.code!r} is listed twice")
            definitions[definition.code] = definition
        if not definitions:
            raise CatalogueError(f"{source}: no KPI definitions")
        return cls(list(definitions.values()))


_REQUIRED_COLUMNS = ("code", "name_ko", "name_en", "category", "unit", "direction")


def _optional_float(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def _required(row: dict[str, str | None], column: str) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise ValueError(f"{column} is empty")
    return value


def _flag(text: str | None) -> bool:
    value = (text or "").strip().lower()
    if value not in ("", "true", "false"):
        raise ValueError(f"min_exclusive must be true or false, not {text!r}")
    return value == "true"


def _definition_from_row(row: dict[str, str | None]) -> KpiDefinition:
    minimum, maximum = _optional_float(row.get("min")), _optional_float(row.get("max"))
    if minimum is not None and maximum is not None and minimum > maximum:
        raise ValueError(f"min {minimum:g} is above max {maximum:g}")
    return KpiDefinition(
        code=_required(row, "code"),
        name_ko=_required(row, "name_ko"),
        name_en=_required(row, "name_en"),
        category=Category(_required(row, "category")),
        unit=_required(row, "unit"),
        direction=Direction(_required(row, "direction")),
        minimum=minimum,
        maximum=maximum,
        minimum_exclusive=_flag(row.get("min_exclusive")),
        description=(row.get("description") or "").strip(),
    )


@lru_cache(maxsize=1)
def bundled_catalogue() -> KpiCatalogue:
    """The catalogue bundled in ``resources/``."""
    from consultant_app.paths import resource_path

    return KpiCatalogue.from_csv(resource_path("kpi_catalogue.csv"))


_office_catalogue: KpiCatalogue | None = None


def default_catalogue() -> KpiCatalogue:
    """The catalogue in force: the central office's latest, once one is installed, else the bundled one."""
    return _office_catalogue or bundled_catalogue()


def install_catalogue(catalogue: KpiCatalogue | None) -> None:
    """Put the office's catalogue in force (None: back to the bundled one)."""
    global _office_catalogue
    _office_catalogue = catalogue


def check_update(current: KpiCatalogue, new: KpiCatalogue) -> None:
    """A new catalogue may add KPIs and reword them, but never drop one or change its unit or direction:
    values already measured (and certified) keep their meaning. CatalogueError says what is wrong."""
    problems = []
    for old in current:
        replacement = new.get(old.code)
        if replacement is None:
            problems.append(f"{old.code}: missing (a KPI cannot be removed)")
        elif (replacement.unit, replacement.direction) != (old.unit, old.direction):
            problems.append(f"{old.code}: unit or direction changed ({old.unit}, {old.direction.value} → "
                            f"{replacement.unit}, {replacement.direction.value})")
    if problems:
        raise CatalogueError("; ".join(problems))
