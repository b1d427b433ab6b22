"""The choice of words: which variant of a phrase is said, and small spoken forms.

A variant is chosen from the couple's seed and their place (check-in, step, beat), so that
the same moment always says the same words ("repeat") and the next moment says others."""

from __future__ import annotations

from skill.content.model import Content
from skill.engine.state import State
from skill.engine.variants import pick

MINUTE_WORDS = {1: "one minute", 2: "two minute", 3: "three minute"}


def say(content: Content, state: State, key: str, **values: str) -> str:
    variant = pick(content.phrases[key], state.seed, state.started, state.step, state.beat, key)
    return variant.format(**values)


def plan_title(content: Content, plan_id: str) -> str:
    plan = content.plans.get(plan_id) or content.plans["quick"]
    return plan.title


def seconds_words(seconds: int) -> str:
    if seconds == 60:
        return "a minute"
    if seconds == 90:
        return "a minute and a half"
    return f"{seconds} seconds"
