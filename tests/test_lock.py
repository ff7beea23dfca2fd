"""The lock: every package the project asks for has a tested version in requirements.lock, within
pyproject.toml's bounds, and the environment running these tests was built from it."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"


def _locked() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", line.strip())
            assert match, f"requirements.lock: not a pin: {line!r}"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        wanted += [Requirement(r) for r in extra if not r.startswith(project["name"])]
    return [r for r in wanted if r.marker is None or r.marker.evaluate()]


def test_every_requirement_is_pinned_within_its_bounds():
    pins = _locked()
    for requirement in _requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} has no version in requirements.lock: run tools/refresh-lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), \
            f"requirements.lock has {name}=={pins[name]}, outside pyproject.toml's {requirement}"


def test_the_tests_run_on_the_locked_versions():
    differing = {name: (version, metadata.version(name)) for name, version in _locked().items()
                 if _installed(name) and metadata.version(name) != version}
    assert not differing, (f"installed versions differ from requirements.lock (locked, installed): {differing}; "
                           "install with -c requirements.lock as the README says")


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True
