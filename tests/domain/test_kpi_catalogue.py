"""The KPI catalogue: the bundled file, lookups, and refusing malformed office catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest

from consultant_app.domain.kpi import (
    CatalogueError,
    Category,
    Direction,
    KpiCatalogue,
    KpiDefinition,
    default_catalogue,
)
from consultant_app.paths import resource_path

HEADER = "code,name_ko,name_en,category,unit,direction,min,max,min_exclusive,description\n"
GOOD_ROW = "defect_rate,공정불량률,Process defect rate,Q,%,lower,0,100,false,defects ÷ units × 100\n"

# The domain doc's table: code → (unit, direction); lead_time may be in hours or days.
DOMAIN_KPIS = {
    "defect_rate": ({"%"}, Direction.LOWER),
    "final_defect_rate": ({"%"}, Direction.LOWER),
    "on_time_delivery": ({"%"}, Direction.HIGHER),
    "lead_time": ({"hours", "days", "h"}, Direction.LOWER),
    "process_time_reduction": ({"min", "minutes"}, Direction.LOWER),
    "output_per_hour": ({"units/h"}, Direction.HIGHER),
    "oee": ({"%"}, Direction.HIGHER),
    "return_rate": ({"%"}, Direction.LOWER),
    "cost_reduction": ({"KRW/unit"}, Direction.LOWER),
    "inventory_days": ({"days"}, Direction.LOWER),
    "setup_time": ({"min", "minutes"}, Direction.LOWER),
    "safety_incidents": ({"count"}, Direction.LOWER),
}


def _write(tmp_path: Path, text: str, name: str = "catalogue.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_bundled_catalogue_has_the_twelve_kpis_of_the_domain_with_unit_and_direction():
    catalogue = default_catalogue()
    for code, (units, direction) in DOMAIN_KPIS.items():
        definition = catalogue.get(code)
        assert definition is not None, code
        assert definition.unit in units, code
        assert definition.direction is direction, code


def test_bundled_catalogue_is_the_resources_file():
    assert len(default_catalogue()) == len(KpiCatalogue.from_csv(resource_path("kpi_catalogue.csv")))
    assert len(default_catalogue()) >= 12


def test_every_definition_has_korean_and_english_names_and_a_pqcdsm_category():
    for definition in default_catalogue():
        assert definition.name_ko.strip() and definition.name_en.strip(), definition.code
        assert any("\uac00" <= ch <= "\ud7a3" for ch in definition.name_ko), definition.code
        assert definition.name_en.isascii(), definition.code
        assert definition.category in set(Category)
        assert definition.category.value in "PQCDSM"
        assert definition.name("ko") == definition.name_ko and definition.name("en") == definition.name_en


def test_percent_kpis_range_from_0_to_100_and_times_must_be_positive():
    catalogue = default_catalogue()
    for definition in catalogue:
        if definition.is_percent:
            assert (definition.minimum, definition.maximum) == (0, 100), definition.code
    for code in ("lead_time", "process_time_reduction", "setup_time"):
        assert catalogue[code].minimum_exclusive and catalogue[code].minimum == 0
        assert not catalogue[code].in_range(0) and catalogue[code].in_range(0.5)
    assert catalogue["safety_incidents"].in_range(0) and not catalogue["safety_incidents"].in_range(-1)


def test_lookup_by_code_korean_name_and_english_name():
    catalogue = default_catalogue()
    defect = catalogue["defect_rate"]
    assert catalogue.lookup("defect_rate") is defect
    assert catalogue.lookup("공정불량률") is defect
    assert catalogue.lookup("Process defect rate") is defect
    assert catalogue.lookup("  process DEFECT rate ") is defect
    assert catalogue.lookup("납기준수율") is catalogue["on_time_delivery"]
    assert catalogue.lookup("완제품 불량률") is catalogue["final_defect_rate"]
    assert catalogue.lookup("완제품불량률") is catalogue["final_defect_rate"]


def test_lookup_of_an_unknown_name_is_none():
    assert default_catalogue().lookup("행복지수") is None
    assert default_catalogue().get("happiness") is None
    assert "happiness" not in default_catalogue()


def test_office_extended_catalogue_with_an_extra_row_loads(tmp_path):
    bundled = resource_path("kpi_catalogue.csv").read_text(encoding="utf-8")
    extra = "energy_use,에너지 사용량,Energy use,C,kWh/unit,lower,0,,true,electricity per unit produced\n"
    catalogue = KpiCatalogue.from_csv(_write(tmp_path, bundled.rstrip("\n") + "\n" + extra))
    assert len(catalogue) == len(default_catalogue()) + 1
    energy = catalogue.lookup("에너지 사용량")
    assert energy == KpiDefinition("energy_use", "에너지 사용량", "Energy use", Category.C, "kWh/unit",
                                   Direction.LOWER, 0.0, None, True, "electricity per unit produced")
    assert catalogue["defect_rate"] == default_catalogue()["defect_rate"]


def test_catalogue_saved_by_excel_with_a_byte_order_mark_loads(tmp_path):
    catalogue = KpiCatalogue.from_csv(_write(tmp_path, HEADER + GOOD_ROW, encoding="utf-8-sig"))
    assert catalogue["defect_rate"].name_ko == "공정불량률"


@pytest.mark.parametrize(("rows", "bad_row"), [
    pytest.param(GOOD_ROW + "oee,설비종합효율,OEE,X,%,higher,0,100,false,\n", 3, id="unknown-category"),
    pytest.param(GOOD_ROW + "oee,설비종합효율,OEE,P,%,sideways,0,100,false,\n", 3, id="unknown-direction"),
    pytest.param("oee,설비종합효율,OEE,P,%,higher,zero,100,false,\n", 2, id="minimum-not-a-number"),
    pytest.param(GOOD_ROW + GOOD_ROW.replace("defect_rate", "return_rate", 1) + "oee,설비종합효율\n", 4,
                 id="row-cut-short"),
    pytest.param(GOOD_ROW + ",설비종합효율,OEE,P,%,higher,0,100,false,\n", 3, id="empty-code"),
    pytest.param(GOOD_ROW + "oee,,OEE,P,%,higher,0,100,false,\n", 3, id="empty-korean-name"),
    pytest.param(GOOD_ROW + GOOD_ROW, 3, id="duplicate-code"),
    pytest.param("oee,설비종합효율,OEE,P,%,higher,100,0,false,\n", 2, id="minimum-above-maximum"),
    pytest.param("oee,설비종합효율,OEE,P,%,higher,0,100,maybe,\n", 2, id="min-exclusive-not-true-or-false"),
])
def test_malformed_catalogue_raises_catalogue_error_naming_file_and_row(tmp_path, rows, bad_row):
    path = _write(tmp_path, HEADER + rows, name="office_kpis.csv")
    with pytest.raises(CatalogueError) as raised:
        KpiCatalogue.from_csv(path)
    assert str(path) in str(raised.value)
    assert f"row {bad_row}" in str(raised.value)


def test_catalogue_without_the_required_columns_is_refused(tmp_path):
    path = _write(tmp_path, "code,name\ndefect_rate,공정불량률\n", name="wrong_columns.csv")
    with pytest.raises(CatalogueError) as raised:
        KpiCatalogue.from_csv(path)
    assert str(path) in str(raised.value)
    assert "name_ko" in str(raised.value)


def test_catalogue_not_in_utf8_is_refused_with_a_catalogue_error(tmp_path):
    path = tmp_path / "cp949.csv"
    path.write_bytes((HEADER + GOOD_ROW).encode("cp949", errors="replace"))
    with pytest.raises(CatalogueError) as raised:
        KpiCatalogue.from_csv(path)
    assert str(path) in str(raised.value)


def test_empty_catalogue_file_is_refused(tmp_path):
    path = _write(tmp_path, HEADER, name="empty.csv")
    with pytest.raises(CatalogueError) as raised:
        KpiCatalogue.from_csv(path)
    assert str(path) in str(raised.value)
