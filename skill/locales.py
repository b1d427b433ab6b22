"""The English locales of the skill, and the generator that keeps their interaction models in
step: interaction_models/en-US.json is the source, interaction_models/locales.toml holds what
differs per locale, and build_models() writes every other locale's model from the two (see
locales.toml for what a model holds). `checkin build-models` writes the files;
tests/test_interaction_model.py checks that the committed files are what this writes."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

from skill.speech.spelling import respell

#: Every locale the skill is published in; the first is the source of the others.
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
SOURCE = LOCALES[0]
# skill/interaction_models: the top-level interaction_models/ folder (a symbolic link in the
# source tree, the files themselves in a wheel).
MODELS_DIR = Path(__file__).resolve().parent / "interaction_models"


def model_path(locale: str, directory: Path = MODELS_DIR) -> Path:
    return directory / f"{locale}.json"


def load_differences(directory: Path = MODELS_DIR) -> dict[str, Any]:
    data = tomllib.loads((directory / "locales.toml").read_text(encoding="utf-8"))
    if data.get("source") != SOURCE:
        raise ValueError(f"locales.toml: source must be {SOURCE!r}")
    unknown = set(data.get("locales", {})) - set(LOCALES[1:])
    if unknown:
        raise ValueError(f"locales.toml: unknown locales {sorted(unknown)}")
    return data


def _add(items: list[str], more: list[str]) -> list[str]:
    seen = {" ".join(item.lower().split()) for item in items}
    for item in more:
        key = " ".join(item.lower().split())
        if key not in seen:
            seen.add(key)
            items.append(item)
    return items


def build_model(source: dict[str, Any], locale: str, differences: dict[str, Any]) -> dict[str, Any]:
    """The interaction model of ``locale`` made from the source model (a pure function)."""
    model = copy.deepcopy(source)
    language = model["interactionModel"]["languageModel"]
    extra = differences.get("locales", {}).get(locale, {})
    extra_samples: dict[str, list[str]] = extra.get("samples", {})
    extra_synonyms: dict[str, dict[str, list[str]]] = extra.get("synonyms", {})
    intents = {intent["name"]: intent for intent in language["intents"]}
    types = {slot_type["name"]: slot_type for slot_type in language.get("types", [])}
    missing = (set(extra_samples) - set(intents)) | (set(extra_synonyms) - set(types))
    if missing:
        raise ValueError(f"{locale}: no such intent or slot type in {SOURCE}: {sorted(missing)}")
    for intent in language["intents"]:
        if "samples" not in intent:
            continue
        samples = intent["samples"]
        respelled = [respell(sample, locale) for sample in samples]
        intent["samples"] = _add(
            _add(list(samples), respelled), extra_samples.get(intent["name"], [])
        )
    for slot_type in language.get("types", []):
        wanted = extra_synonyms.get(slot_type["name"], {})
        ids = {value.get("id") or value["name"]["value"] for value in slot_type["values"]}
        if set(wanted) - ids:
            raise ValueError(
                f"{locale}: {slot_type['name']} has no value {sorted(set(wanted) - ids)}"
            )
        for value in slot_type["values"]:
            name = value["name"]
            value_id = value.get("id") or name["value"]
            taken = [name["value"], *name.get("synonyms", [])]
            more = [respell(word, locale) for word in taken] + wanted.get(value_id, [])
            new = _add(list(taken), more)[len(taken) :]
            if new:
                name["synonyms"] = [*name.get("synonyms", []), *new]
    return model


def dumps(model: dict[str, Any]) -> str:
    """A model as the committed files are written (two-space indents, a final newline)."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def build_models(directory: Path = MODELS_DIR) -> dict[str, str]:
    """locale -> the text of its model file, for every locale but the source."""
    source = json.loads(model_path(SOURCE, directory).read_text(encoding="utf-8"))
    differences = load_differences(directory)
    return {locale: dumps(build_model(source, locale, differences)) for locale in LOCALES[1:]}


def write_models(directory: Path = MODELS_DIR) -> list[Path]:
    """Write every generated model; returns the files that changed."""
    changed = []
    for locale, text in build_models(directory).items():
        path = model_path(locale, directory)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
