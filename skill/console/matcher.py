"""Resolve a typed utterance against an ASK interaction model, roughly as a device would.

Every sample becomes an anchored regex over normalized words. Slot patterns are flat and use
possessive quantifiers, and each sample's possible word-count range is checked before its regex
runs, so very long input is rejected cheaply instead of backtracking.

Ranking, best first: the sample with the most literal words (so a literal sample such as
"what" always beats a bare "{firstName}"), then one whose custom slots all resolved, then one
with more resolved custom slots (a closed list of values is stronger evidence than an open
AMAZON.FirstName capture: "full" is a length before it is a name), then model order. A sample
made only of custom slots ("{length}") matches only a value of its type, as a device needs the
value itself to pick such a sample. Hesitations ("um", "uh", "er", "erm") are dropped first,
as a speech recogniser drops them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from skill.console.builtins import resolve

ER_SUCCESS_MATCH = "ER_SUCCESS_MATCH"
ER_SUCCESS_NO_MATCH = "ER_SUCCESS_NO_MATCH"

DEFAULT_INVOCATION_NAME = "our check in"

#: Phrases a device understands for built-in intents even when the model lists no samples.
#: Only used for built-ins the model declares.
BUILTIN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.HelpIntent": ("help", "help me", "what can i say"),
    "AMAZON.StopIntent": ("stop", "quit", "exit", "goodbye", "bye"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "forget it"),
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "sure", "ok", "okay"),
    "AMAZON.NoIntent": ("no", "nope", "no thanks"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "say that again", "again"),
    "AMAZON.PauseIntent": ("pause", "wait"),
    "AMAZON.ResumeIntent": ("resume", "continue", "keep going"),
    "AMAZON.StartOverIntent": ("start over", "restart", "start again"),
    "AMAZON.NavigateHomeIntent": ("go home", "home"),
    "AMAZON.PreviousIntent": ("previous", "go back"),
    "AMAZON.LoopOnIntent": ("loop", "loop on"),
    "AMAZON.LoopOffIntent": ("loop off",),
    "AMAZON.ShuffleOnIntent": ("shuffle", "shuffle on"),
    "AMAZON.ShuffleOffIntent": ("shuffle off",),
}

#: Hesitations a speech recogniser leaves out of the transcript ("um, next" is heard "next").
FILLERS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm"})

_FIRST_NAME = "AMAZON.FirstName"
_FIRST_NAME_MAX_WORDS = 4
_OTHER_SLOT_MAX_WORDS = 5

_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark (the usual curly apostrophe)
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
    }
)
_CHECK_IN = re.compile(r"\bcheck-in")
# A word: letters/digits, with apostrophes or hyphens allowed only *inside* it ("d'arcy", "we're").
_WORD = re.compile(r"[^\W_]++(?:['-][^\W_]++)*+")
_SLOT_REF = re.compile(r"\{\s*([^{}\s]+)\s*\}")

# Slot patterns are flat (one repeated word class, possessive) so they cannot backtrack inside a
# word; normalized text has exactly one space between words.
_NAME_WORD = r"(?:[^\W\d_]|['-])++"
_ANY_WORD = r"[^ ]++"


@dataclass(frozen=True)
class SlotValue:
    """One filled slot, as the device would report it."""

    name: str
    value: str
    resolved_id: str | None
    resolved_name: str | None
    status: str | None
    slot_type: str | None = None


@dataclass(frozen=True)
class Match:
    """The intent a typed utterance resolved to; ``slots`` holds only the filled slots."""

    intent: str
    slots: dict[str, SlotValue]


@dataclass(frozen=True)
class _Sample:
    intent: str
    intent_index: int
    order: int
    regex: re.Pattern[str]
    literals: int
    min_words: int
    max_words: int
    groups: tuple[tuple[str, str, str], ...]  # (regex group, slot name, slot type)
    open_slots: int = 0  # slots of built-in AMAZON.* types, which take any words


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.translate(_TYPOGRAPHIC).lower())
    return _WORD.findall(_CHECK_IN.sub("check in", text))


def normalize(text: str) -> str:
    """Normalize typed text or a sample: lowercase, plain words, no leading wake word."""
    words = _words(text)
    if words and words[0] == "alexa":
        words = words[1:]
    return " ".join(words)


def without_fillers(norm: str) -> str:
    """Normalized text without hesitations (a lone "um" is nothing: the fallback hears it)."""
    return " ".join(w for w in norm.split(" ") if w not in FILLERS)


def _language_model(model: dict[str, Any]) -> dict[str, Any]:
    """Accept the whole file, the ``interactionModel`` object or the ``languageModel`` itself."""
    if "interactionModel" in model:
        model = model["interactionModel"]
    return model.get("languageModel", model)


class UtteranceMatcher:
    """Map typed lines to intents and slots using the samples of an interaction model."""

    def __init__(self, model: dict[str, Any]) -> None:
        lm = _language_model(model)
        self.invocation_name: str = (
            normalize(lm.get("invocationName") or "") or DEFAULT_INVOCATION_NAME
        )
        self._values = self._build_values(lm.get("types") or [])
        self._samples = self._build_samples(lm.get("intents") or [])
        inv = re.escape(self.invocation_name)
        self._launch = re.compile(rf"(?:(?:open|start|launch) {inv}|(?:ask|tell) {inv})")
        self._oneshot = re.compile(rf"(?:ask|tell) {inv}(?: (?:to|for|that|about))? (.+)")

    @classmethod
    def from_file(cls, path: str | PathLike[str]) -> UtteranceMatcher:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    # -- public --------------------------------------------------------------------------

    def match(self, text: str) -> Match | None:
        """Best intent for ``text``, or None (the caller then sends AMAZON.FallbackIntent).

        Ties are broken by: most literal words, then all custom slots resolved, then more
        resolved custom slots, then model order (then sample order within an intent).
        """
        norm = without_fillers(normalize(text))
        if not norm:
            return None
        n_words = norm.count(" ") + 1
        best: Match | None = None
        best_key: tuple[int, int, int, int, int] | None = None
        for sample in self._samples:
            if not sample.min_words <= n_words <= sample.max_words:
                continue
            found = sample.regex.fullmatch(norm)
            if found is None:
                continue
            slots = {
                slot: self._resolve(slot, slot_type, found.group(group))
                for group, slot, slot_type in sample.groups
            }
            resolved = all(v.status != ER_SUCCESS_NO_MATCH for v in slots.values())
            if not resolved and not sample.literals and not sample.open_slots:
                continue  # a bare custom slot needs one of its values
            closed = sum(v.status == ER_SUCCESS_MATCH for v in slots.values())
            key = (
                -sample.literals,
                0 if resolved else 1,
                -closed,
                sample.intent_index,
                sample.order,
            )
            if best_key is None or key < best_key:
                best, best_key = Match(sample.intent, slots), key
        return best

    def split_invocation(self, text: str) -> tuple[str, str]:
        """Classify a typed line: returns (kind, rest) where kind is
        'launch' for 'alexa, open/start/launch our check in' (rest ''),
        'oneshot' for 'alexa, ask/tell our check in [to|for|that|about] X' (rest X),
        'plain' otherwise (rest = the normalized text without a leading 'alexa').

        A bare 'ask/tell our check in' launches, as it does on a device.
        """
        norm = normalize(text)
        if self._launch.fullmatch(norm):
            return "launch", ""
        found = self._oneshot.fullmatch(norm)
        if found:
            return "oneshot", found.group(1)
        return "plain", norm

    # -- building ------------------------------------------------------------------------

    @staticmethod
    def _build_values(types: list[dict[str, Any]]) -> dict[str, dict[str, tuple[str | None, str]]]:
        """Per custom type: normalized phrase -> (id, canonical name).

        Canonical names are indexed before synonyms so a value's own name always wins over
        another value's synonym.
        """
        table: dict[str, dict[str, tuple[str | None, str]]] = {}
        for slot_type in types:
            lookup: dict[str, tuple[str | None, str]] = {}
            values = slot_type.get("values") or []
            for value in values:
                name = value["name"]["value"]
                lookup.setdefault(normalize(name), (value.get("id"), name))
            for value in values:
                name = value["name"]["value"]
                for synonym in value["name"].get("synonyms") or []:
                    lookup.setdefault(normalize(synonym), (value.get("id"), name))
            lookup.pop("", None)
            table[slot_type["name"]] = lookup
        return table

    def _build_samples(self, intents: list[dict[str, Any]]) -> list[_Sample]:
        samples: list[_Sample] = []
        literal_only: set[str] = set()
        for index, intent in enumerate(intents):
            slot_types = {s["name"]: s["type"] for s in intent.get("slots") or []}
            for order, text in enumerate(intent.get("samples") or []):
                sample = _compile(intent["name"], index, order, text, slot_types)
                if sample is None:
                    continue
                samples.append(sample)
                if not sample.groups:
                    literal_only.add(normalize(text))
        # Default phrases for declared built-ins, unless the model already uses the phrase
        # (then the model's own sample decides, and there is no duplicate).
        for index, intent in enumerate(intents):
            phrases = BUILTIN_PHRASES.get(intent["name"], ())
            for k, phrase in enumerate(phrases):
                if phrase in literal_only:
                    continue
                sample = _compile(intent["name"], index, 10_000 + k, phrase, {})
                if sample is not None:
                    samples.append(sample)
        return samples

    def _resolve(self, slot: str, slot_type: str, raw: str) -> SlotValue:
        if slot_type.startswith("AMAZON."):
            return SlotValue(slot, resolve(slot_type, raw), None, None, None, slot_type)
        hit = self._values.get(slot_type, {}).get(raw)
        if hit is None:
            return SlotValue(slot, raw, None, None, ER_SUCCESS_NO_MATCH, slot_type)
        value_id, name = hit
        return SlotValue(slot, raw, value_id, name, ER_SUCCESS_MATCH, slot_type)


def _compile(
    intent: str, intent_index: int, order: int, text: str, slot_types: dict[str, str]
) -> _Sample | None:
    """Compile one sample utterance; None if it normalizes to nothing."""
    tokens: list[str | tuple[str, str]] = []  # literal word, or (slot name, slot type)
    for i, piece in enumerate(_SLOT_REF.split(text)):
        if i % 2 == 0:
            tokens.extend(_words(piece))
            continue
        if piece not in slot_types:
            raise ValueError(f"{intent}: sample {text!r} uses undeclared slot {{{piece}}}")
        tokens.append((piece, slot_types[piece]))
    if tokens and tokens[0] == "alexa":
        tokens = tokens[1:]
    if not tokens:
        return None

    parts: list[str] = []
    groups: list[tuple[str, str, str]] = []
    literals = max_extra = 0
    for token in tokens:
        if isinstance(token, str):
            parts.append(re.escape(token))
            literals += 1
            continue
        slot, slot_type = token
        if slot_type == _FIRST_NAME:
            word, most = _NAME_WORD, _FIRST_NAME_MAX_WORDS
        else:
            word, most = _ANY_WORD, _OTHER_SLOT_MAX_WORDS
        group = f"s{len(groups)}"
        parts.append(f"(?P<{group}>{word}(?: {word}){{0,{most - 1}}})")
        groups.append((group, slot, slot_type))
        max_extra += most
    return _Sample(
        intent=intent,
        intent_index=intent_index,
        order=order,
        regex=re.compile(" ".join(parts)),
        literals=literals,
        min_words=literals + len(groups),
        max_words=literals + max_extra,
        groups=tuple(groups),
        open_slots=sum(slot_type.startswith("AMAZON.") for _, _, slot_type in groups),
    )
