"""The content as each locale spells it (skill/content/localized.py): every line respelled
with its placeholders and SSML intact, a respelled content still valid, the same object when
nothing changes, and nothing imported on the en-US path."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.content.durations import check_durations
from skill.content.lint import validate
from skill.content.loader import CONTENT_DIR, build, default_content, read_files
from skill.content.localized import FIELDS, KEPT, for_locale, respelled, texts
from skill.content.model import Beat, Category, Content, Exercise, Plan, Question, Step, Who
from skill.locales import LOCALES
from skill.speech.spelling import cached_speller, respell, table

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"<[^>]*>")
OTHER_SPELLINGS = ("british", "canadian")  # en-US's is the files' own


#: Every spelling of every word in the table.
WORDS = sorted(
    {
        entry[key]
        for entry in table()["word"]
        for key in ("british", "american", "canadian")
        if key in entry
    }
)


def respelled_raw(value: Any, spelling: str) -> Any:
    """The content files as read (TOML tables), every string value respelled, keys kept."""
    if isinstance(value, str):
        return cached_speller(spelling)(value)
    if isinstance(value, dict):
        return {key: respelled_raw(item, spelling) for key, item in value.items()}
    if isinstance(value, list):
        return [respelled_raw(item, spelling) for item in value]
    return value


def small_content() -> Content:
    """A content of one exercise, one plan and two questions, in no one spelling."""
    beat = Beat(Who.FIRST, ("{name}, tell {other} your favourite colour.",), None)
    return Content(
        exercises={"talk": Exercise("talk", "a cosy talk", ("Let's practise.",), (beat,))},
        plans={"quick": Plan("quick", "a quick one", (Step(("talk",)),), 5)},
        questions={
            "q1": Question("q1", "fun", "What would you do on a rainy day?"),
            "q2": Question("q2", "fun", "Which neighbor made you laugh?"),
        },
        pauses={1: ("Breathe in.", 4, "And out.", 6)},
        phrases={"support": ("A couples counselor can help.",), "goodbye": ("Goodnight.",)},
        categories={"fun": Category("fun", "Just for fun")},
    )


# --- the mechanism ---------------------------------------------------------------------------


def test_every_field_of_the_content_is_respelled_or_kept_on_purpose() -> None:
    """A new field of Content must be named in FIELDS (respelled) or KEPT (not)."""
    assert set(FIELDS) | set(KEPT) == set(Content.__slots__)
    assert not set(FIELDS) & set(KEPT)


def test_each_locale_reads_the_content_in_its_own_spelling() -> None:
    content = small_content()
    british = for_locale(content, "en-GB")
    assert british.exercises["talk"].title == "a cosy talk"
    assert british.exercises["talk"].beats[0].prompts == (
        "{name}, tell {other} your favourite colour.",
    )
    assert british.questions["q2"].text == "Which neighbour made you laugh?"
    assert british.phrases["support"] == ("A couples counsellor can help.",)
    american = respelled(content, "american")
    assert american.exercises["talk"].intro == ("Let's practice.",)
    assert american.exercises["talk"].title == "a cozy talk"
    assert american.phrases["support"] == content.phrases["support"]
    canadian = for_locale(content, "en-CA")
    assert canadian.exercises["talk"].title == "a cozy talk"  # Canada: -our, but cozy
    assert canadian.questions["q2"].text == "Which neighbour made you laugh?"


def test_what_does_not_change_is_the_same_object() -> None:
    content = small_content()
    assert for_locale(content, "en-US") is content
    assert for_locale(content, "en-NZ") is content  # spelled as en-US, like its model
    british = for_locale(content, "en-GB")
    assert british is not content
    assert for_locale(content, "en-AU") is for_locale(content, "en-IN") is british
    assert british.questions["q1"] is content.questions["q1"]
    assert british.pauses is content.pauses and british.plans is content.plans
    assert british.locales is content.locales and british.not_names is content.not_names
    plain = Content({}, {}, {"q1": content.questions["q1"]}, {}, {"bye": ("Goodnight.",)})
    assert for_locale(plain, "en-GB") is plain


def test_the_en_us_path_imports_nothing() -> None:
    """The Lambda cold start of an en-US request: no spelling table, no tomllib, and no
    dataclasses of ours (a fresh interpreter, as a cold start is). ask-sdk-model imports
    dataclasses anyway, through pprint; tomllib is what a built artifact never imports."""
    code = (
        "import sys\n"
        "from skill.content.model import Content\n"
        "from skill.content.localized import for_locale\n"
        "content = Content({}, {}, {}, {}, {'bye': ('Goodnight, favourite people.',)})\n"
        "assert for_locale(content, 'en-US') is content\n"
        "print(sorted({'tomllib', 'dataclasses', 'skill.speech.spelling'} & set(sys.modules)))\n"
        "for_locale(content, 'en-GB')\n"
        "print(sorted({'tomllib', 'skill.speech.spelling'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n{code}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.splitlines() == ["[]", "['skill.speech.spelling', 'tomllib']"]


# --- placeholders and tags: never changed ------------------------------------------------------

TOKENS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(str.upper),
    st.sampled_from(WORDS).map(str.capitalize),
    st.sampled_from(WORDS).map(lambda w: w + "s"),
    st.sampled_from(WORDS).map(lambda w: "{" + w + "}"),
    st.sampled_from(WORDS).map(lambda w: "{" + w + "_name}"),
    st.sampled_from(WORDS).map(lambda w: f'<audio src="https://x.example/{w}.mp3"/>'),
    st.sampled_from(('<break time="4s"/>', "<speak>", "</speak>", "{other}", "{first}")),
    st.sampled_from(("and", "your", "re", "practice", "un", ".", ",", "!", "'s", "-")),
)


@given(st.lists(TOKENS, max_size=12), st.lists(st.sampled_from(("", " ", "\n")), max_size=12))
def test_respelling_never_changes_a_placeholder_or_a_tag(
    tokens: list[str], gaps: list[str]
) -> None:
    text = "".join(t + (gaps[i] if i < len(gaps) else " ") for i, t in enumerate(tokens))
    for locale in LOCALES:
        spelled = respell(text, locale)
        assert PLACEHOLDER.findall(spelled) == PLACEHOLDER.findall(text)
        assert TAG.findall(spelled) == TAG.findall(text)
        assert len(spelled.split()) == len(text.split())  # words replaced, never merged
        assert respell(spelled, locale) == spelled


# --- the shipped content -----------------------------------------------------------------------


@pytest.mark.parametrize("spelling", OTHER_SPELLINGS)
def test_every_shipped_line_keeps_its_placeholders_and_tags(spelling: str) -> None:
    content = default_content()
    localized = respelled(content, spelling)
    pairs = list(zip(texts(content), texts(localized), strict=True))
    assert any(before != after for before, after in pairs)  # something is spelled otherwise
    for before, after in pairs:
        assert PLACEHOLDER.findall(after) == PLACEHOLDER.findall(before), before
        assert TAG.findall(after) == TAG.findall(before), before
        assert after == cached_speller(spelling)(before)


@pytest.mark.parametrize("spelling", OTHER_SPELLINGS)
def test_the_content_files_respelled_pass_the_validator_and_build_the_same_content(
    spelling: str,
) -> None:
    """Respell every string of the files, as a writer in that spelling could have written
    them: the validator and the duration check still pass, and the content they build is the
    one for_locale makes (so no field of what is said is left out)."""
    raw, problems = read_files(CONTENT_DIR)
    assert not problems
    raw = respelled_raw(raw, spelling)
    assert validate(raw) == []
    written = build(raw)
    assert check_durations(written) == []
    localized = respelled(default_content(), spelling)
    for name in FIELDS:
        if name == "meditations":  # a title respelled, the recording (its version) the same
            assert [(t.id, t.title, t.minutes) for t in localized.meditations.values()] == [
                (t.id, t.title, t.minutes) for t in written.meditations.values()
            ]
        else:
            assert getattr(localized, name) == getattr(written, name), name


def test_the_content_is_written_as_en_us_spells_it() -> None:
    """en-US is given the files as they are (at no cost), so they must be in its spelling;
    the other locales' spelling is made from them."""
    wrong = [text for text in texts(default_content()) if respell(text, "en-US") != text]
    assert not wrong, "write these in en-US spelling (counselor, practice):\n" + "\n".join(wrong)
