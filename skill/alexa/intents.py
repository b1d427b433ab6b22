"""Which engine event each intent of the interaction model stands for, and its slot values."""

from __future__ import annotations

from ask_sdk_model import Intent
from ask_sdk_model.slu.entityresolution import StatusCode

INTENT_EVENTS = {
    "StartCheckInIntent": "start",
    "StartExerciseIntent": "exercise",
    "NamesIntent": "names",
    "NextIntent": "next",
    "SkipIntent": "skip",
    "SwitchIntent": "switch",
    "LengthIntent": "length",
    "TurnTimeIntent": "turn_time",
    "SupportIntent": "support",
    "SafetyIntent": "safety",
    "TimeLeftIntent": "time_left",
    "AcknowledgeIntent": "acknowledge",
    "ForgetUsIntent": "forget",
    "MeditateIntent": "meditate",
    "QuestionKindIntent": "question_kind",
    "KeepQuestionIntent": "keep_question",
    "FavouriteIntent": "favourite",
    "NeverAgainIntent": "never_again",
    "ReminderSetIntent": "remind",
    "ReminderWhenIntent": "reminder_when",
    "ReminderMoveIntent": "reminder_move",
    "ReminderStopIntent": "reminder_stop",
    "AMAZON.HelpIntent": "help",
    "AMAZON.StopIntent": "stop",
    "AMAZON.CancelIntent": "cancel",
    "AMAZON.FallbackIntent": "fallback",
    "AMAZON.NavigateHomeIntent": "home",
    "AMAZON.RepeatIntent": "repeat",
    "AMAZON.PauseIntent": "pause",
    "AMAZON.ResumeIntent": "resume",
    "AMAZON.StartOverIntent": "start_over",
    "AMAZON.YesIntent": "yes",
    "AMAZON.NoIntent": "no",
    # The audio player's built-ins (declared, as an AudioPlayer skill must): next means next;
    # the others have no meaning in a meditation and are answered so.
    "AMAZON.NextIntent": "next",
    "AMAZON.PreviousIntent": "player_command",
    "AMAZON.LoopOnIntent": "player_command",
    "AMAZON.LoopOffIntent": "player_command",
    "AMAZON.ShuffleOnIntent": "player_command",
    "AMAZON.ShuffleOffIntent": "player_command",
}

# The built-in intents the interaction model declares.
MODEL_BUILT_INS = tuple(name for name in INTENT_EVENTS if name.startswith("AMAZON."))

# Slots of AMAZON.FirstName: the words heard are the value. thirdName is filled when three
# names are said ("Zoë and Mark and Ana"): the skill is for two.
# Built-in slot types: AMAZON.NUMBER ("10"), AMAZON.TIME ("20:00", "EV") and
# AMAZON.DayOfWeek ("sunday") are read as heard.
OPEN_SLOTS = frozenset(
    {"firstName", "secondName", "thirdName", "partner", "minutes", "time", "day"}
)


def resolved_id(slot) -> str | None:
    """The custom value id Alexa matched, or None when it heard something it could not match."""
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        status = getattr(getattr(authority, "status", None), "code", None)
        if status == StatusCode.ER_SUCCESS_MATCH and authority.values:
            return authority.values[0].value.id
    return None


def slot_values(intent: Intent) -> dict[str, str | None]:
    """Filled slots only. A heard but unmatched custom value is present with None."""
    values: dict[str, str | None] = {}
    for name, slot in (intent.slots or {}).items():
        if slot is None or slot.value is None:
            continue
        values[name] = slot.value if name in OPEN_SLOTS else resolved_id(slot)
    return values
