"""The programme's code lists, each value with the Korean word spreadsheets may use instead."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any, TypeVar

E = TypeVar("E", bound=StrEnum)


class SupportField(StrEnum):
    SMART_FACTORY = "smart_factory"
    TECH_INNOVATION = "tech_innovation"
    ENV_SAFETY = "env_safety"
    PRODUCTIVITY = "productivity"


class GrowthStage(StrEnum):
    BASIC = "basic"
    INTERMEDIATE1 = "intermediate1"
    INTERMEDIATE2 = "intermediate2"
    ADVANCED = "advanced"


class Capability(StrEnum):
    """Capabilities a company says the programme improved (survey)."""

    PRODUCTIVITY = "productivity"
    QUALITY = "quality"
    MINDSET = "mindset"
    COST = "cost"
    DELIVERY = "delivery"
    SAFETY = "safety"


class EngagementStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class _ByMember(Mapping):
    """A mapping keyed by enum member that keeps members of different enums apart.

    StrEnum members hash and compare as their text, so in a plain dict ``SupportField.PRODUCTIVITY`` and
    ``Capability.PRODUCTIVITY`` ("productivity" both) would be one key and the later word would win.
    """

    def __init__(self, *tables: dict[StrEnum, Any]):
        # One dict per enum: within an enum the members are distinct keys.
        self._members = [m for table in tables for m in table]
        self._values = {(type(m), m.value): v for table in tables for m, v in table.items()}

    def __getitem__(self, member: StrEnum) -> Any:
        if not isinstance(member, StrEnum):
            raise KeyError(member)
        return self._values[(type(member), member.value)]

    def __iter__(self) -> Iterator[StrEnum]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)


KOREAN: Mapping[StrEnum, str] = _ByMember({
    SupportField.SMART_FACTORY: "스마트공장",
    SupportField.TECH_INNOVATION: "기술혁신",
    SupportField.ENV_SAFETY: "환경안전",
    SupportField.PRODUCTIVITY: "생산성",
}, {
    GrowthStage.BASIC: "기초",
    GrowthStage.INTERMEDIATE1: "중간1",
    GrowthStage.INTERMEDIATE2: "중간2",
    GrowthStage.ADVANCED: "고도화",
}, {
    Capability.PRODUCTIVITY: "생산성 혁신",
    Capability.QUALITY: "품질수준 향상",
    Capability.MINDSET: "혁신 인식·마인드",
    Capability.COST: "원가",
    Capability.DELIVERY: "납기",
    Capability.SAFETY: "안전",
}, {
    EngagementStatus.PLANNED: "계획",
    EngagementStatus.IN_PROGRESS: "진행중",
    EngagementStatus.COMPLETED: "완료",
    EngagementStatus.CANCELLED: "중단",
})

# Short Korean forms seen in the office's sheets, beside the full words above.
_EXTRA_KOREAN: Mapping[StrEnum, tuple[str, ...]] = _ByMember({
    Capability.PRODUCTIVITY: ("생산성",),
    Capability.QUALITY: ("품질", "품질수준"),
    Capability.MINDSET: ("마인드", "혁신인식", "혁신 인식"),
}, {
    SupportField.PRODUCTIVITY: ("생산성혁신", "생산성 혁신"),
    SupportField.SMART_FACTORY: ("스마트 공장",),
})


ENGLISH: Mapping[StrEnum, str] = _ByMember({
    SupportField.SMART_FACTORY: "Smart factory",
    SupportField.TECH_INNOVATION: "Technology innovation",
    SupportField.ENV_SAFETY: "Environment and safety",
    SupportField.PRODUCTIVITY: "Productivity",
}, {
    GrowthStage.BASIC: "Basic",
    GrowthStage.INTERMEDIATE1: "Intermediate 1",
    GrowthStage.INTERMEDIATE2: "Intermediate 2",
    GrowthStage.ADVANCED: "Advanced",
}, {
    Capability.PRODUCTIVITY: "Productivity innovation",
    Capability.QUALITY: "Quality level",
    Capability.MINDSET: "Innovation mindset",
    Capability.COST: "Cost",
    Capability.DELIVERY: "Delivery",
    Capability.SAFETY: "Safety",
}, {
    EngagementStatus.PLANNED: "Planned",
    EngagementStatus.IN_PROGRESS: "In progress",
    EngagementStatus.COMPLETED: "Completed",
    EngagementStatus.CANCELLED: "Cancelled",
})


def label(code: StrEnum, lang: str = "ko") -> str:
    """A code's display word in Korean or English."""
    words = ENGLISH if lang == "en" else KOREAN
    return words.get(code, code.value.replace("_", " "))


def _fold(text: str) -> str:
    # Case, spaces and underscores don't matter: "Smart factory" (the English label) is smart_factory.
    return text.strip().casefold().replace(" ", "").replace("_", "")


def parse_code(enum: type[E], text: str) -> E | None:
    """The enum member for an English code, its English label or a Korean word; None when nothing matches."""
    folded = _fold(text)
    for member in enum:
        words = (member.value, KOREAN.get(member, ""), ENGLISH.get(member, ""), *_EXTRA_KOREAN.get(member, ()))
        if any(folded == _fold(w) for w in words if w):
            return member
    return None
