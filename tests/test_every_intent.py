"""Every intent in every phase, through the real Lambda handler: JSON envelopes in, Alexa
responses out. Whatever a couple says, at whatever point, Alexa answers in words, keeps the
microphone open with a reprompt (or ends the session on purpose), and never apologises for
an error of her own."""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.intents import MODEL_BUILT_INS
from skill.console.device import Device, Turn
from skill.console.envelopes import intent_request, launch_request
from skill.console.matcher import ER_SUCCESS_MATCH, ER_SUCCESS_NO_MATCH, SlotValue
from skill.content.rules import REQUIRED_EXERCISES
from tests.conftest import decline_offers, meet

ROOT = Path(__file__).resolve().parents[1]
PHRASES: dict[str, list[str]] = tomllib.loads(
    (ROOT / "skill" / "content" / "phrases.toml").read_text(encoding="utf-8")
)
ERROR_PHRASES = tuple(PHRASES["error"])
NAMES = ("Sam", "Alex")
EXERCISES = REQUIRED_EXERCISES


# --- slots and requests -------------------------------------------------------------------


def first_name(slot: str, value: str) -> SlotValue:
    return SlotValue(slot, value, None, None, None, "AMAZON.FirstName")


def matched(slot: str, slot_type: str, value_id: str, spoken: str | None = None) -> SlotValue:
    spoken = spoken or value_id.replace("_", " ")
    return SlotValue(slot, spoken, value_id, spoken, ER_SUCCESS_MATCH, slot_type)


def unmatched(slot: str, slot_type: str, spoken: str) -> SlotValue:
    return SlotValue(slot, spoken, None, None, ER_SUCCESS_NO_MATCH, slot_type)


def say_intent(echo: Device, intent: str, slots: dict[str, SlotValue] | None = None) -> Turn:
    """Send one IntentRequest; outside a session it opens one (a one-shot request)."""
    if not echo.in_session:
        echo.new_session()
    assert echo.session is not None
    return echo.send(intent_request(echo.session, intent, slots, now=echo.clock()))


def names_slots(first: str, second: str | None = None) -> dict[str, SlotValue]:
    slots = {"firstName": first_name("firstName", first)}
    if second is not None:
        slots["secondName"] = first_name("secondName", second)
    return slots


def saved_phase(turn: Turn) -> str:
    """The phase the skill carries in its session attributes after this turn."""
    return turn.state["phase"]


# --- what every answer must be --------------------------------------------------------------


def assert_sound_answer(turn: Turn) -> None:
    """A valid response that speaks, keeps a reprompt while open, and is not the error apology."""
    assert turn.response["version"] == "1.0"
    body = turn.response["response"]
    speech = body.get("outputSpeech") or {}
    assert speech.get("type") == "SSML"
    ssml = speech.get("ssml") or ""
    assert ssml.startswith("<speak>") and ssml.endswith("</speak>")
    ET.fromstring(ssml)  # well-formed: names and text are escaped
    assert turn.speech.strip()
    if not turn.ended:
        assert turn.reprompt and turn.reprompt.strip(), "an open session needs a reprompt"
    for apology in ERROR_PHRASES:
        assert apology not in turn.speech
        assert apology not in (turn.reprompt or "")


def assert_silent_answer(turn: Turn | None) -> None:
    """An answer with nothing to say: a valid, empty response."""
    assert turn is not None
    assert turn.response["version"] == "1.0"
    body = turn.response.get("response") or {}
    assert "outputSpeech" not in body
    assert "reprompt" not in body


_SENTENCE = re.compile(r"[^.?!]+[.?!]")


def spoken_prompt(turn: Turn) -> list[str]:
    """What a beat asked: its sentences addressed by name, before the speaker's silence.

    The mindful pause addresses nobody; its prompt is the guidance just before the first
    silence (the exercise's intro comes before it, and is not said again on resuming).
    """
    sentences = [s.strip() for s in _SENTENCE.findall(turn.speech.split("[pause")[0])]
    named = [s for s in sentences if any(n in s for n in NAMES)]
    return named or sentences[-1:]


# --- the phases a couple can be in ----------------------------------------------------------


def before_onboarding(echo: Device) -> Turn | None:
    """A fresh household: the intent itself opens the session, as a one-shot request."""
    return None


def names_after_launch(echo: Device) -> Turn | None:
    return echo.hear("Alexa, start our check-in")


def names_one_heard(echo: Device) -> Turn | None:
    echo.hear("Alexa, start our check-in")
    return echo.hear("I'm Sam")


def confirming_names(echo: Device) -> Turn | None:
    echo.hear("Alexa, start our check-in")
    return echo.hear("we are Sam and Alex")


def ready(echo: Device) -> Turn | None:
    meet(echo)
    return echo.hear("repeat")


def in_mindful_pause(echo: Device) -> Turn | None:
    meet(echo)
    return echo.hear("yes")


def in_gratitude_turn(echo: Device) -> Turn | None:
    in_mindful_pause(echo)
    return echo.hear("next")


def in_question_turn(echo: Device) -> Turn | None:
    in_gratitude_turn(echo)
    echo.hear("next")
    return echo.hear("next")


def before_the_hug(echo: Device) -> Turn | None:
    """The last question is asked, and Alexa asks: "Next is a twenty second hug. Ready?"."""
    in_question_turn(echo)
    return echo.hear("next")


def done_in_a_new_session(echo: Device) -> Turn | None:
    """A whole check-in finished (its offer of a reminder declined); the intent comes as a
    one-shot in a new session."""
    before_the_hug(echo)
    goodbye = decline_offers(echo, echo.hear("next"))
    assert goodbye.ended
    return goodbye


PHASES: dict[str, Callable[[Device], Turn | None]] = {
    "new": before_onboarding,
    "names": names_after_launch,
    "names-one-heard": names_one_heard,
    "confirm_names": confirming_names,
    "ready": ready,
    "beat-pause": in_mindful_pause,
    "beat-gratitude": in_gratitude_turn,
    "beat-question": in_question_turn,
    "beat-before-hug": before_the_hug,
    "done": done_in_a_new_session,
}
BEATS = tuple(phase for phase in PHASES if phase.startswith("beat"))

EXPECTED_PLACE = {
    "names": ("names", "first names"),
    "names-one-heard": ("names", "Sam"),
    "confirm_names": ("confirm_names", "Sam and Alex"),
    "ready": ("ready", "Ready?"),
    "beat-pause": ("beat", "one minute pause"),
    "beat-gratitude": ("beat", "Sam,"),
    "beat-question": ("beat", "Sam"),
    "beat-before-hug": ("beat", "a long hug"),
    "done": ("done", "Thank you"),
}


@pytest.mark.parametrize("phase", EXPECTED_PLACE)
def test_each_phase_setup_reaches_the_place_it_names(echo: Device, phase: str) -> None:
    turn = PHASES[phase](echo)

    assert turn is not None
    expected_phase, words = EXPECTED_PLACE[phase]
    assert saved_phase(turn) == expected_phase
    assert words in turn.speech


# --- 1. every built-in intent in every phase ------------------------------------------------

BUILT_INS = MODEL_BUILT_INS
ENDING = {
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.PauseIntent",
}


@pytest.mark.parametrize("intent", BUILT_INS)
@pytest.mark.parametrize("phase", PHASES)
def test_every_built_in_intent_gets_a_sound_answer_in_every_phase(
    echo: Device, phase: str, intent: str
) -> None:
    before = PHASES[phase](echo)

    turn = say_intent(echo, intent)

    assert_sound_answer(turn)
    if intent in ENDING:
        assert turn.ended
    if intent == "AMAZON.HelpIntent":
        assert "not therapy" in turn.speech
    if intent == "AMAZON.FallbackIntent":
        assert re.search(r"\b[Ss]ay\b", turn.speech), "a fallback says what can be said now"
    if intent == "AMAZON.RepeatIntent" and phase in BEATS:
        assert before is not None
        for sentence in spoken_prompt(before):
            assert sentence in turn.speech


# --- 1b. every custom intent in every phase -------------------------------------------------

CUSTOM = [
    pytest.param("NextIntent", {}, id="Next"),
    pytest.param("SkipIntent", {}, id="Skip"),
    pytest.param("SwitchIntent", {}, id="Switch"),
    pytest.param("SwitchIntent", {"partner": first_name("partner", "Alex")}, id="Switch-to-Alex"),
    pytest.param(
        "LengthIntent", {"length": matched("length", "CheckInLength", "quick")}, id="Length-quick"
    ),
    pytest.param(
        "LengthIntent", {"length": matched("length", "CheckInLength", "full")}, id="Length-full"
    ),
    pytest.param(
        "TurnTimeIntent",
        {"turnTime": matched("turnTime", "TurnTime", "longer")},
        id="TurnTime-longer",
    ),
    pytest.param(
        "TurnTimeIntent",
        {"turnTime": matched("turnTime", "TurnTime", "shorter")},
        id="TurnTime-shorter",
    ),
    pytest.param("StartCheckInIntent", {}, id="StartCheckIn"),
    pytest.param(
        "StartCheckInIntent",
        {"length": matched("length", "CheckInLength", "full")},
        id="StartCheckIn-full",
    ),
    *[
        pytest.param(
            "StartExerciseIntent",
            {"exercise": matched("exercise", "ExerciseName", exercise)},
            id=f"StartExercise-{exercise}",
        )
        for exercise in EXERCISES
    ],
    pytest.param("NamesIntent", names_slots("Jo", "Kim"), id="Names"),
    pytest.param("SupportIntent", {}, id="Support"),
    pytest.param("ForgetUsIntent", {}, id="ForgetUs"),
]


@pytest.mark.parametrize(("intent", "slots"), CUSTOM)
@pytest.mark.parametrize("phase", PHASES)
def test_every_custom_intent_gets_a_sound_answer_in_every_phase(
    echo: Device, phase: str, intent: str, slots: dict[str, SlotValue]
) -> None:
    PHASES[phase](echo)

    turn = say_intent(echo, intent, slots)

    assert_sound_answer(turn)


# --- 2. stop and cancel keep the place --------------------------------------------------------


@pytest.mark.parametrize("leaving", ["stop", "cancel", "that's enough for tonight", "pause"])
@pytest.mark.parametrize("speaker", NAMES)
def test_leaving_mid_gratitude_saves_the_step_and_the_turn(
    echo: Device, leaving: str, speaker: str
) -> None:
    turn = in_gratitude_turn(echo)
    if speaker == "Alex":
        turn = echo.hear("next")
    assert turn is not None
    asked = spoken_prompt(turn)
    assert asked[0].startswith(f"{speaker},")

    turn = echo.hear(leaving)
    assert turn.ended
    assert "resume our check-in" in turn.speech

    turn = echo.hear("Alexa, resume our check-in")
    assert_sound_answer(turn)
    assert f"the gratitude round, {speaker}'s turn" in turn.speech
    for sentence in asked:
        assert sentence in turn.speech


def test_stop_then_opening_the_skill_again_also_resumes_the_turn(echo: Device) -> None:
    asked = spoken_prompt(in_question_turn(echo))
    assert echo.hear("stop").ended

    turn = echo.hear("Alexa, open our check-in")

    welcomes = [line.format(first="Sam", second="Alex") for line in PHRASES["welcome_back"]]
    assert any(turn.speech.startswith(welcome) for welcome in welcomes)
    assert "questions for each other, Sam's turn" in turn.speech
    for sentence in asked:
        assert sentence in turn.speech


def test_stop_is_remembered_by_another_echo_of_the_same_household(echo: Device, new_device) -> None:
    asked = spoken_prompt(in_gratitude_turn(echo))
    assert echo.hear("stop").ended

    kitchen = new_device("amzn1.ask.device.kitchen")
    turn = kitchen.hear("Alexa, resume our check-in")

    assert "the gratitude round, Sam's turn" in turn.speech
    for sentence in asked:
        assert sentence in turn.speech


# --- 3. start over ------------------------------------------------------------------------


@pytest.mark.parametrize("phase", BEATS)
@pytest.mark.parametrize("words", ["start over", "start again from the beginning"])
def test_start_over_during_a_beat_goes_back_to_the_mindful_pause(
    echo: Device, phase: str, words: str
) -> None:
    PHASES[phase](echo)

    turn = echo.hear(words)

    assert_sound_answer(turn)
    assert "pause" in turn.speech
    assert "Close your eyes" in turn.speech
    assert "gratitude round. Ready?" in turn.speech or "Ready for the gratitude round?" in (
        turn.speech
    )
    turn = echo.hear("next")
    assert "Sam," in turn.speech and "[pause 45s]" in turn.speech


# --- 4. names and slot values Alexa may send ----------------------------------------------------


def test_names_intent_with_no_slots_asks_for_the_names_again(echo: Device) -> None:
    names_after_launch(echo)

    turn = say_intent(echo, "NamesIntent")

    assert_sound_answer(turn)
    assert not turn.ended
    assert "name" in turn.speech
    turn = say_intent(echo, "NamesIntent", names_slots("Sam", "Alex"))
    assert "Sam and Alex" in turn.speech


def test_one_first_name_then_alexa_asks_for_the_partner(echo: Device) -> None:
    names_after_launch(echo)

    turn = say_intent(echo, "NamesIntent", names_slots("Sam"))

    assert_sound_answer(turn)
    assert "Sam" in turn.speech and turn.speech.endswith("?")
    assert any(line.format(name="Sam") == turn.speech for line in PHRASES["one_name"])
    turn = say_intent(echo, "NamesIntent", names_slots("Alex"))
    assert "Sam and Alex" in turn.speech


@pytest.mark.parametrize("value", ["", "   ", "1234", "😊", "<>", "..."])
def test_a_name_with_nothing_usable_is_not_taken(echo: Device, value: str) -> None:
    names_after_launch(echo)

    turn = say_intent(echo, "NamesIntent", names_slots(value))

    assert_sound_answer(turn)
    assert not turn.ended
    assert any(line in turn.speech for line in PHRASES["names_missing"])
    turn = say_intent(echo, "NamesIntent", names_slots("Sam", "Alex"))
    assert "Sam and Alex" in turn.speech


@pytest.mark.parametrize("slot", ["firstName", "secondName"])
def test_a_300_character_name_gets_a_request_for_a_shorter_one(echo: Device, slot: str) -> None:
    names_after_launch(echo)
    long_name = ("Maximiliana " * 30)[:300]
    slots = names_slots("Sam", long_name) if slot == "secondName" else names_slots(long_name)

    turn = say_intent(echo, "NamesIntent", slots)

    assert_sound_answer(turn)
    assert not turn.ended
    assert any(line in turn.speech for line in PHRASES["name_too_long"])
    assert "Maximiliana" not in turn.speech


@pytest.mark.parametrize(
    ("heard", "said"),
    [
        ("Sam2", "Sam"),
        ("Sam 42", "Sam"),
        ("Zoë 😊", "Zoë"),
        ("🌹Sam🌹", "Sam"),
        ("<b>Sam</b>", "Sam"),
        ("Sam & Co", "Sam & Co"),
    ],
)
def test_digits_emoji_and_markup_are_kept_out_of_the_name(
    echo: Device, heard: str, said: str
) -> None:
    names_after_launch(echo)

    turn = say_intent(echo, "NamesIntent", names_slots(heard, "Alex"))

    assert_sound_answer(turn)
    assert f"{said} and Alex" in turn.speech
    assert not re.search(r"\d", turn.speech)
    assert "😊" not in turn.speech and "🌹" not in turn.speech


@pytest.mark.parametrize(
    "heard",
    [
        "<b>Sam</b>",
        'Sam"/><audio src="https://x.example/a.mp3"/>',
        "Sam</speak><speak>",
        "<![CDATA[Sam]]>",
        "Sam &amp; Alex",
    ],
)
def test_markup_in_a_name_never_becomes_ssml(echo: Device, heard: str) -> None:
    names_after_launch(echo)

    turn = say_intent(echo, "NamesIntent", names_slots(heard, "Alex"))

    assert_sound_answer(turn)
    for ssml in (
        turn.response["response"]["outputSpeech"]["ssml"],
        turn.response["response"]["reprompt"]["outputSpeech"]["ssml"],
    ):
        assert [element.tag for element in ET.fromstring(ssml).iter()] == ["speak"]
    assert "audio" not in turn.speech and "https" not in turn.speech
    assert "<" not in turn.speech and ">" not in turn.speech


@pytest.mark.parametrize("second", ["Sam", "sam", "SAM"])
def test_the_same_name_twice_asks_for_another_name(echo: Device, second: str) -> None:
    names_after_launch(echo)

    turn = say_intent(echo, "NamesIntent", names_slots("Sam", second))

    assert_sound_answer(turn)
    assert not turn.ended
    assert any(line.format(name="Sam") in turn.speech for line in PHRASES["same_names"])
    turn = say_intent(echo, "NamesIntent", names_slots("Alex"))
    assert "Sam and Alex" in turn.speech


@pytest.mark.parametrize("phase", ["ready", "beat-pause", "beat-gratitude", "done"])
def test_an_exercise_alexa_could_not_match_gets_the_list_of_exercises(
    echo: Device, phase: str
) -> None:
    PHASES[phase](echo)

    turn = say_intent(
        echo, "StartExerciseIntent", {"exercise": unmatched("exercise", "ExerciseName", "yoga")}
    )

    assert_sound_answer(turn)
    assert not turn.ended
    assert "gratitude" in turn.speech and "mindful pause" in turn.speech


@pytest.mark.parametrize("phase", ["ready", "beat-pause", "beat-question", "done"])
@pytest.mark.parametrize("intent", ["LengthIntent", "StartCheckInIntent"])
def test_a_length_alexa_could_not_match_gets_quick_or_full(
    echo: Device, phase: str, intent: str
) -> None:
    PHASES[phase](echo)

    turn = say_intent(echo, intent, {"length": unmatched("length", "CheckInLength", "medium")})

    assert_sound_answer(turn)
    if intent == "LengthIntent":  # "start a medium check-in" may just start one
        assert not turn.ended
        assert "quick" in turn.speech.lower() and "full" in turn.speech.lower()


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize(
    "slots",
    [
        pytest.param({}, id="no-slot"),
        pytest.param({"turnTime": unmatched("turnTime", "TurnTime", "purple")}, id="no-match"),
    ],
)
def test_turn_time_without_a_direction_is_answered_kindly(
    echo: Device, phase: str, slots: dict[str, SlotValue]
) -> None:
    PHASES[phase](echo)

    turn = say_intent(echo, "TurnTimeIntent", slots)

    assert_sound_answer(turn)
    assert not turn.ended


def test_longer_turns_are_heard_in_the_next_silence(echo: Device) -> None:
    in_mindful_pause(echo)

    turn = echo.hear("longer turns")
    assert "a minute" in turn.speech
    turn = echo.hear("next")

    assert "[pause 60s]" in turn.speech


# --- 5. an intent the model does not know ------------------------------------------------------


@pytest.mark.parametrize(
    "phase", ["new", "names", "confirm_names", "ready", "beat-pause", "beat-question", "done"]
)
def test_an_unknown_intent_is_answered_like_a_fallback(
    echo: Device, new_device, phase: str
) -> None:
    twin = new_device("amzn1.ask.device.twin", user_id="amzn1.ask.account.twin-couple")
    PHASES[phase](echo)
    PHASES[phase](twin)

    turn = say_intent(echo, "SomeUnknownIntent")
    fallback = say_intent(twin, "AMAZON.FallbackIntent")

    assert_sound_answer(turn)
    assert not turn.ended
    assert turn.speech == fallback.speech
    assert turn.reprompt == fallback.reprompt


# --- 6. the session ends without the skill ending it -----------------------------------------

SESSION_ENDS = [
    pytest.param(
        "ERROR", {"type": "INVALID_RESPONSE", "message": "The response is invalid."}, id="ERROR"
    ),
    pytest.param("USER_INITIATED", None, id="USER_INITIATED"),
    pytest.param("EXCEEDED_MAX_REPROMPTS", None, id="EXCEEDED_MAX_REPROMPTS"),
]


@pytest.mark.parametrize(("reason", "error"), SESSION_ENDS)
@pytest.mark.parametrize("phase", ["beat-gratitude", "beat-question"])
def test_a_session_ended_request_is_silent_and_keeps_the_place(
    echo: Device, phase: str, reason: str, error: dict[str, str] | None
) -> None:
    before = PHASES[phase](echo)
    assert before is not None

    ended = echo.close(reason, error)

    assert_silent_answer(ended)
    turn = echo.hear("Alexa, resume our check-in")
    assert_sound_answer(turn)
    assert "Sam's turn" in turn.speech
    for sentence in spoken_prompt(before):
        assert sentence in turn.speech


@pytest.mark.parametrize(("reason", "error"), SESSION_ENDS)
def test_a_session_ended_while_confirming_names_keeps_the_names_heard(
    echo: Device, reason: str, error: dict[str, str] | None
) -> None:
    confirming_names(echo)

    assert_silent_answer(echo.close(reason, error))

    turn = echo.hear("Alexa, start our check-in")
    assert "Sam and Alex" in turn.speech


@pytest.mark.parametrize(("reason", "error"), SESSION_ENDS)
def test_a_session_ended_after_two_silences_in_a_fresh_household_is_silent(
    echo: Device, reason: str, error: dict[str, str] | None
) -> None:
    echo.hear("Alexa, start our check-in")

    assert_silent_answer(echo.close(reason, error))

    assert "first names" in echo.hear("Alexa, start our check-in").speech


def test_two_silences_end_the_session_and_keep_the_place(echo: Device) -> None:
    before = in_gratitude_turn(echo)
    assert before is not None

    assert echo.silence() is None  # the first silence: Alexa reprompts
    assert_silent_answer(echo.silence())

    turn = echo.hear("Alexa, resume our check-in")
    for sentence in spoken_prompt(before):
        assert sentence in turn.speech


# --- 7. request types the skill does not handle ----------------------------------------------


def other_request(echo: Device, request_type: str, **fields: Any) -> dict[str, Any]:
    if not echo.in_session:
        echo.new_session()
    assert echo.session is not None
    envelope = launch_request(echo.session, echo.clock())
    envelope["request"]["type"] = request_type
    envelope["request"].update(fields)
    return envelope


UNHANDLED = [
    pytest.param(
        "System.ExceptionEncountered",
        {
            "error": {"type": "INVALID_RESPONSE", "message": "An exception occurred."},
            "cause": {"requestId": "amzn1.echo-api.request.earlier"},
        },
        id="System.ExceptionEncountered",
    ),
    pytest.param("AlexaSkillEvent.SkillEnabled", {}, id="SkillEnabled"),
    pytest.param("AlexaSkillEvent.SkillDisabled", {}, id="SkillDisabled"),
    pytest.param(
        "AlexaSkillEvent.SkillPermissionAccepted", {"body": {}}, id="SkillPermissionAccepted"
    ),
    pytest.param("AudioPlayer.PlaybackStarted", {"offsetInMilliseconds": 0}, id="PlaybackStarted"),
    pytest.param("PlaybackController.PlayCommandIssued", {}, id="PlayCommandIssued"),
]


@pytest.mark.parametrize(("request_type", "fields"), UNHANDLED)
def test_a_request_type_the_skill_does_not_handle_gets_an_empty_answer(
    echo: Device, request_type: str, fields: dict[str, Any]
) -> None:
    turn = echo.send(other_request(echo, request_type, **fields))

    assert_silent_answer(turn)


@pytest.mark.parametrize(("request_type", "fields"), UNHANDLED)
def test_a_request_type_the_skill_does_not_handle_mid_turn_leaves_the_turn_as_it_was(
    echo: Device, request_type: str, fields: dict[str, Any]
) -> None:
    in_gratitude_turn(echo)

    assert_silent_answer(echo.send(other_request(echo, request_type, **fields)))

    turn = echo.hear("next")
    assert_sound_answer(turn)
    assert turn.speech.startswith("Alex,")


# --- 8. support, in every phase -------------------------------------------------------------


def assert_support_offered(turn: Turn) -> None:
    assert_sound_answer(turn)
    assert not turn.ended
    assert "counselor" in turn.speech
    assert "emergency" in turn.speech
    assert any(line in turn.speech for line in PHRASES["support_offer_stop"])


@pytest.mark.parametrize("phase", PHASES)
def test_support_then_yes_stops_for_tonight(echo: Device, phase: str) -> None:
    PHASES[phase](echo)

    turn = echo.hear("we need help")
    assert_support_offered(turn)

    turn = echo.hear("yes")
    assert_sound_answer(turn)
    assert turn.ended


@pytest.mark.parametrize("phase", PHASES)
def test_support_then_no_carries_on_at_the_same_place(echo: Device, new_device, phase: str) -> None:
    twin = new_device("amzn1.ask.device.twin", user_id="amzn1.ask.account.twin-couple")
    PHASES[phase](echo)
    PHASES[phase](twin)
    same_place = say_intent(twin, "AMAZON.RepeatIntent")

    turn = echo.hear("we need support")
    assert_support_offered(turn)

    turn = echo.hear("no")
    assert_sound_answer(turn)
    assert not turn.ended
    assert same_place.speech in turn.speech
    assert turn.state["phase"] == saved_phase(same_place)


@pytest.mark.parametrize("phase", BEATS)
def test_support_then_yes_mid_check_in_still_keeps_the_place(echo: Device, phase: str) -> None:
    before = PHASES[phase](echo)
    assert before is not None
    echo.hear("we need support")
    assert echo.hear("yes").ended

    turn = echo.hear("Alexa, resume our check-in")

    for sentence in spoken_prompt(before):
        assert sentence in turn.speech


# --- 9. forget us ---------------------------------------------------------------------------


@pytest.mark.parametrize("phase", ["ready", "beat-gratitude", "done"])
def test_forget_us_then_yes_deletes_everything(echo: Device, new_device, phase: str) -> None:
    PHASES[phase](echo)

    turn = echo.hear("forget us")
    assert_sound_answer(turn)
    assert not turn.ended
    assert "Are you sure?" in turn.speech

    turn = echo.hear("yes")
    assert_sound_answer(turn)
    assert turn.ended
    assert any(line in turn.speech for line in PHRASES["forget_done"])

    turn = echo.hear("Alexa, start our check-in")
    assert "first names" in turn.speech
    assert "Sam" not in turn.speech and "Welcome back" not in turn.speech
    kitchen = new_device("amzn1.ask.device.kitchen")
    assert "first names" in kitchen.hear("Alexa, start our check-in").speech


@pytest.mark.parametrize("answer", ["no", "cancel"])
@pytest.mark.parametrize("phase", ["ready", "beat-gratitude", "done"])
def test_forget_us_then_no_keeps_everything(echo: Device, phase: str, answer: str) -> None:
    PHASES[phase](echo)

    turn = echo.hear("forget us")
    assert "Are you sure?" in turn.speech

    turn = echo.hear(answer)
    assert_sound_answer(turn)
    assert not turn.ended
    assert any(line in turn.speech for line in PHRASES["forget_kept"])

    echo.close()
    turn = echo.hear("Alexa, start our check-in")
    assert "Sam and Alex" in turn.speech
    assert "first names" not in turn.speech


def test_forget_us_mid_turn_then_no_goes_back_to_the_same_turn(echo: Device) -> None:
    before = in_gratitude_turn(echo)
    assert before is not None
    echo.hear("delete our data")

    turn = echo.hear("no")

    for sentence in spoken_prompt(before):
        assert sentence in turn.speech


def test_forget_us_then_something_else_deletes_nothing(echo: Device) -> None:
    in_gratitude_turn(echo)
    echo.hear("forget us")

    turn = echo.hear("next")
    assert_sound_answer(turn)
    turn = echo.hear("yes")  # a later yes is not an answer to "are you sure?"
    assert not turn.ended

    echo.close()
    assert "Sam and Alex" in echo.hear("Alexa, start our check-in").speech


def test_forget_us_while_giving_names_forgets_the_names_heard(echo: Device) -> None:
    confirming_names(echo)

    turn = echo.hear("forget us")
    assert "Are you sure?" in turn.speech
    assert echo.hear("yes").ended

    turn = echo.hear("Alexa, start our check-in")
    assert "first names" in turn.speech


@pytest.mark.parametrize("opening", ["launch", "one-shot"])
def test_forget_us_in_a_fresh_household_says_nothing_is_saved(echo: Device, opening: str) -> None:
    if opening == "launch":
        echo.hear("Alexa, open our check-in")
        turn = echo.hear("forget us")
    else:
        turn = echo.hear("Alexa, ask our check-in to forget us")

    assert_sound_answer(turn)
    assert any(line in turn.speech for line in PHRASES["forget_nothing"])
    assert "Are you sure?" not in turn.speech


@pytest.mark.parametrize("reason", ["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS"])
def test_an_unanswered_forget_us_does_not_outlive_its_session(echo: Device, reason: str) -> None:
    in_gratitude_turn(echo)
    assert "Are you sure?" in echo.hear("forget us").speech
    echo.close(reason)

    turn = echo.hear("Alexa, tell our check-in yes")

    assert_sound_answer(turn)
    assert not any(line in turn.speech for line in PHRASES["forget_done"])
    echo.close()
    assert "Sam and Alex" in echo.hear("Alexa, start our check-in").speech


@pytest.mark.parametrize("minutes", range(6))
def test_a_word_out_of_place_while_confirming_names_repeats_the_question(
    echo: Device, clock, minutes: int
) -> None:
    clock.advance(minutes=minutes)  # another evening draws other variants of what Alexa says
    confirming_names(echo)

    turn = echo.hear("skip")

    assert_sound_answer(turn)
    assert not turn.ended
    assert "yes" in turn.speech.lower() and "no" in turn.speech.lower()
    assert "Sam and Alex" in echo.hear("repeat").speech
