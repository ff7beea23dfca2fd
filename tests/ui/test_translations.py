"""The English translation keeps up with the Korean source strings."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from consultant_app.ui.i18n_build import lrelease, lupdate, qm_path, ts_path

HANGUL = re.compile(r"[\uac00-\ud7a3\u3130-\u318f]")
PLACEHOLDER = re.compile(r"%\d|%n")


def _messages(path) -> dict[tuple[str, str], tuple[str, str | None]]:
    root = ET.parse(path).getroot()
    found = {}
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            found[(name, message.findtext("source"))] = (translation.text or "", translation.get("type"))
    return found


def test_every_source_string_has_a_finished_english_translation():
    messages = _messages(ts_path("en"))
    assert len(messages) > 250
    for (context, source), (english, kind) in messages.items():
        assert kind is None and english.strip(), (context, source)
        assert not HANGUL.search(english), (context, source, english)
        assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(source)), (context, source)
        assert ("&" in source) == ("&" in english), (context, source, english)


def test_the_translation_file_lists_exactly_the_strings_in_the_code(tmp_path):
    fresh = tmp_path / "fresh.ts"
    lupdate(fresh)
    assert set(_messages(fresh)) == set(_messages(ts_path("en")))


def test_the_compiled_translation_is_up_to_date(tmp_path):
    compiled = tmp_path / "en.qm"
    lrelease(ts_path("en"), compiled)
    assert compiled.read_bytes() == qm_path("en").read_bytes()
