"""The everyday-speech corpora (one TOML file per locale; the shape is in README.md here).

en-US.toml is whole; every other locale's file names it as its `base`: that locale's corpus
is every group of en-US (each phrasing also in the locale's spelling, when that differs:
"we need a counsellor"), then the locale's own groups (its everyday words), with the locale's
own expectations (the helpline as it is spoken there)."""

from __future__ import annotations

import contextlib
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

#: The phases a group may name, in the order the figures are reported.
PHASES = (
    "naming",
    "confirm_names",
    "length",
    "single",
    "between",
    "mid_turn",
    "oneshot",
    "support",
    "safety",
)
BEHAVIOURS = frozenset(
    {
        "repeat",
        "stop",
        "time_left",
        "in_place",
        "moves_on",
        "new_question",
        "support",
        "safety",
        "exercise",
        "length",
    }
)


@dataclass(frozen=True, eq=False)
class Phrase:
    """One phrasing and what it must resolve to (hashed by identity: the same words may be
    tagged in several phases)."""

    locale: str
    phase: str
    text: str
    intent: str  # an intent name, or "LaunchRequest"
    slots: dict[str, str] = field(default_factory=dict)
    behaviour: str | None = None
    #: said through the Lambda handler in a derived locale too: the locale's own phrasings,
    #: its respellings, and the first two of every en-US group (see Corpus.for_handler)
    spot: bool = True

    @property
    def label(self) -> str:
        return f"{self.locale}/{self.phase}: {self.text!r}"


#: How many phrasings of each en-US group a derived locale says through the Lambda handler.
SPOT_PER_GROUP = 2


@dataclass(frozen=True)
class Corpus:
    locale: str
    model: Path
    expect: dict[str, str]
    phrases: tuple[Phrase, ...]
    base: str | None = None  # the corpus this one is derived from

    def for_handler(self) -> tuple[Phrase, ...]:
        """The phrasings said through the Lambda handler: all of a whole corpus; for a derived
        one, every group still (the first SPOT_PER_GROUP phrasings of each en-US group: what
        the skill does with an intent in a phase does not depend on the words that named
        it), and every phrasing of its own or in its own spelling. The matchers hear all."""
        return self.phrases if self.base is None else tuple(p for p in self.phrases if p.spot)

    def by_phase(self) -> Counter[str]:
        return Counter(p.phase for p in self.phrases)


def locales() -> list[str]:
    return sorted(path.stem for path in HERE.glob("*.toml"))


def _read(locale: str) -> dict[str, Any]:
    data = tomllib.loads((HERE / f"{locale}.toml").read_text(encoding="utf-8"))
    if data.get("locale") != locale:
        raise ValueError(f"{locale}.toml says locale = {data.get('locale')!r}")
    return data


def load(locale: str) -> Corpus:
    data = _read(locale)
    groups = list(data.get("group") or [])
    expect = dict(data.get("expect") or {})
    base_name = data.get("base")
    if base_name is not None:
        from skill.speech.spelling import respell

        base = _read(base_name)
        if base.get("base") is not None or data.get("phases"):
            raise ValueError(f"{locale}.toml: a derived corpus takes its base's phases")
        data = {**data, "phases": base["phases"]}
        expect = {**(base.get("expect") or {}), **expect}
        own = [{**group, "spot": "own"} for group in groups]
        groups = [_respelled(group, locale, respell) for group in base["group"]] + own
    declared = set(data.get("phases") or {})
    if declared != set(PHASES):
        raise ValueError(f"{locale}.toml: phases {sorted(declared)} are not {list(PHASES)}")
    phrases: list[Phrase] = []
    for group in groups:
        unknown = set(group) - {"phase", "intent", "slots", "behaviour", "phrases", "spot"}
        if unknown or group["phase"] not in PHASES:
            raise ValueError(f"{locale}.toml: bad group {group.get('phase')!r} {sorted(unknown)}")
        behaviour = group.get("behaviour")
        if behaviour is not None and behaviour not in BEHAVIOURS:
            raise ValueError(f"{locale}.toml: unknown behaviour {behaviour!r}")
        spot = group.get("spot")  # "own", or the indexes of a base group's spots
        for index, item in enumerate(group["phrases"]):
            text, slots = _phrase(item, group.get("slots") or {})
            chosen = spot is None or spot == "own" or index in spot
            phrases.append(
                Phrase(locale, group["phase"], text, group["intent"], slots, behaviour, chosen)
            )
    return Corpus(locale, ROOT / data["model"], expect, tuple(phrases), base_name)


def _respelled(group: dict[str, Any], locale: str, respell: Callable[[str, str], str]) -> dict:
    """A base group with each phrasing that the locale spells otherwise said both ways; its
    spots: the first SPOT_PER_GROUP phrasings and every respelled one."""
    phrases: list[str | dict[str, Any]] = []
    spot: list[int] = []
    for index, item in enumerate(group["phrases"]):
        if index < SPOT_PER_GROUP:
            spot.append(len(phrases))
        phrases.append(item)
        text = item if isinstance(item, str) else item["text"]
        other = respell(text, locale)
        if other != text:
            spot.append(len(phrases))
            phrases.append(other if isinstance(item, str) else {**item, "text": other})
    return {**group, "phrases": phrases, "spot": spot}


def _phrase(item: str | dict[str, Any], group_slots: dict[str, str]) -> tuple[str, dict[str, str]]:
    if isinstance(item, str):
        return item, dict(group_slots)
    return item["text"], dict(item.get("slots", group_slots))


def _letters(value: str | None) -> str:
    return "".join(ch for ch in (value or "").casefold() if ch.isalnum() or ch == "_")


def slots_agree(expected: dict[str, str], got: dict[str, str | None]) -> bool:
    """Same filled slots, values compared on their letters only: a first name is the words
    heard, and virtual-alexa drops the hyphen of "Mary-Jane" as it cleans the text."""
    if set(expected) != set(got):
        return False
    return all(_letters(got[k]) == _letters(v) for k, v in expected.items())


def share_table(
    title: str, phrases: Iterable[Phrase], understood: Callable[[Phrase], bool]
) -> tuple[str, float]:
    """A small table of phrasings and share understood per phase; returns it and the total."""
    total: Counter[str] = Counter()
    good: Counter[str] = Counter()
    for phrase in phrases:
        total[phrase.phase] += 1
        good[phrase.phase] += understood(phrase)
    lines = [title, f"  {'phase':<14}{'phrasings':>10}{'understood':>12}"]
    for phase in [p for p in PHASES if total[p]]:
        share = good[phase] / total[phase]
        lines.append(f"  {phase:<14}{total[phase]:>10}{share:>11.1%}")
    overall = sum(good.values()) / max(1, sum(total.values()))
    lines.append(f"  {'all':<14}{sum(total.values()):>10}{overall:>11.1%}")
    return "\n".join(lines), overall


def show(text: str, config: Any) -> None:
    """Print past pytest's capture (config: pytestconfig), so the figures show in the
    output of `make test` (pytest -q) too."""
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        print("\n" + text, flush=True)
