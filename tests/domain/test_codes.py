"""Code lists: imports accept the English code or the Korean word."""

from __future__ import annotations

import pytest

from consultant_app.domain.codes import (
    Capability,
    EngagementStatus,
    GrowthStage,
    SupportField,
    label,
    parse_code,
)

ALL_ENUMS = (SupportField, GrowthStage, Capability, EngagementStatus)


@pytest.mark.parametrize(("enum", "text", "expected"), [
    (SupportField, "smart_factory", SupportField.SMART_FACTORY),
    (SupportField, "  SMART_FACTORY ", SupportField.SMART_FACTORY),
    (SupportField, "tech_innovation", SupportField.TECH_INNOVATION),
    (SupportField, "env_safety", SupportField.ENV_SAFETY),
    (SupportField, "productivity", SupportField.PRODUCTIVITY),
    (GrowthStage, "intermediate2", GrowthStage.INTERMEDIATE2),
    (Capability, "mindset", Capability.MINDSET),
    (EngagementStatus, "completed", EngagementStatus.COMPLETED),
])
def test_parse_code_accepts_the_english_code(enum, text, expected):
    assert parse_code(enum, text) is expected


@pytest.mark.parametrize(("enum", "text", "expected"), [
    (SupportField, "스마트공장", SupportField.SMART_FACTORY),
    (SupportField, "스마트 공장", SupportField.SMART_FACTORY),
    (SupportField, "기술혁신", SupportField.TECH_INNOVATION),
    (SupportField, "환경안전", SupportField.ENV_SAFETY),
    (SupportField, "생산성", SupportField.PRODUCTIVITY),
    (GrowthStage, "기초", GrowthStage.BASIC),
    (GrowthStage, "중간1", GrowthStage.INTERMEDIATE1),
    (GrowthStage, "중간2", GrowthStage.INTERMEDIATE2),
    (GrowthStage, "고도화", GrowthStage.ADVANCED),
    (Capability, "생산성 혁신", Capability.PRODUCTIVITY),
    (Capability, "생산성", Capability.PRODUCTIVITY),
    (Capability, "품질수준 향상", Capability.QUALITY),
    (Capability, "품질", Capability.QUALITY),
    (Capability, "혁신 인식·마인드", Capability.MINDSET),
    (Capability, "원가", Capability.COST),
    (Capability, "납기", Capability.DELIVERY),
    (Capability, "안전", Capability.SAFETY),
    (EngagementStatus, "진행중", EngagementStatus.IN_PROGRESS),
])
def test_parse_code_accepts_the_korean_word(enum, text, expected):
    assert parse_code(enum, text) is expected


@pytest.mark.parametrize(("enum", "text"), [
    (SupportField, "quality"), (GrowthStage, "중간3"), (Capability, "스마트공장"), (SupportField, ""),
    (EngagementStatus, "done"),
])
def test_parse_code_returns_none_for_anything_else(enum, text):
    assert parse_code(enum, text) is None


@pytest.mark.parametrize("enum", ALL_ENUMS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_label_parses_back_to_its_own_member(enum, lang):
    for member in enum:
        assert parse_code(enum, label(member, lang)) is member, (member, label(member, lang))


def test_productivity_support_field_and_productivity_capability_keep_their_own_korean_words():
    # Both codes are "productivity"; the support field is 생산성, the survey capability 생산성 혁신.
    assert label(SupportField.PRODUCTIVITY) == "생산성"
    assert label(Capability.PRODUCTIVITY) == "생산성 혁신"


@pytest.mark.parametrize("enum", ALL_ENUMS)
def test_every_member_has_a_korean_label_distinct_from_its_code(enum):
    for member in enum:
        word = label(member, "ko")
        assert word != member.value and any("\uac00" <= ch <= "\ud7a3" for ch in word)
    assert len({label(m, "ko") for m in enum}) == len(enum)


def test_english_labels_are_words_not_codes():
    assert label(SupportField.SMART_FACTORY, "en") == "Smart factory"
    assert label(GrowthStage.INTERMEDIATE1, "en") == "Intermediate 1"
    assert label(EngagementStatus.COMPLETED, "en") == "Completed"
