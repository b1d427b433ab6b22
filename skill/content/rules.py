"""What the content files must hold: the phrase keys the skill speaks, and the placeholders
each kind of text may use. The validator checks the files against these rules."""

from __future__ import annotations

from skill.content.model import Source, Who

# Every phrase key the skill uses, with the placeholders its variants may contain.
PHRASE_PLACEHOLDERS: dict[str, frozenset[str]] = {
    key: frozenset(names)
    for key, names in {
        "welcome_new": (),
        "ask_names_reprompt": (),
        "one_name": ("name",),
        "one_name_reprompt": (),
        "confirm_names": ("first", "second"),
        "confirm_names_reprompt": ("first", "second"),
        "names_wrong": (),
        "names_missing": (),
        "name_too_long": (),
        "same_names": ("name",),
        "names_set": (),
        "for_two": (),
        "plan_ready": ("plan",),
        "plan_ready_reprompt": (),
        "plan_changed": ("plan",),
        "plan_changed_after_pause": ("plan",),
        "tip_next": (),
        "turns_alternate": ("name", "speaker"),
        "switch_once": ("speaker",),
        "acknowledge": (),
        "time_left": ("minutes", "steps"),
        "time_left_step": ("minutes",),
        "time_left_last": (),
        "time_left_ready": ("plan",),
        "time_left_naming": ("plan",),
        "time_left_done": (),
        "next_time_hint": (),
        "single_done_held": ("title",),
        "help_then_turn": ("next",),
        "help_then_step": ("title",),
        "help_then_together": (),
        "help_then_end": (),
        "help_commands": (),
        "help_tip": (),
        "safety": ("emergency", "helpline"),
        "ready_to_begin": (),
        "length_later": ("plan",),
        "format_later": ("plan",),
        "welcome_back": ("first", "second"),
        "goes_first": ("name",),
        "not_ready": (),
        "already_started": (),
        "start_over": (),
        "resuming": ("where",),
        "month_count": ("nth",),
        "total_count": ("nth",),
        "week_streak": ("count",),
        "ready_turn": ("next",),
        "ready_next": ("title",),
        "ready_beat": (),
        "ready_again": (),
        "ready_again_turn": ("next",),
        "turn_reprompt": ("speaker",),
        "both_reprompt": (),
        "more_time": (),
        "skipping": (),
        "another_question": ("speaker", "question"),
        "switching": (),
        "already_their_turn": ("name",),
        "switch_both": (),
        "turns_longer": ("length",),
        "turns_shorter": ("length",),
        "turns_limit": ("direction", "length"),
        "goodbye_done": (),
        "single_done": ("title",),
        "finished_offer": (),
        "finished_reprompt": (),
        "stop_saved": (),
        "stop_plain": (),
        "saved_brief": (),
        "pause": (),
        "not_understood": (),
        "help_turn": ("title", "speaker"),
        "help_both": ("title",),
        "help_names": (),
        "help_ready": ("plan",),
        "help_done": (),
        "not_therapy": (),
        "support": (),
        "support_offer_stop": (),
        "support_reprompt": (),
        "forget_confirm": (),
        "forget_reprompt": (),
        "forget_done": (),
        "forget_kept": (),
        "forget_nothing": (),
        "save_failed": (),
        "state_reset": (),
        "error": (),
        "unknown_exercise": (),
        "unknown_length": ("quick", "full"),
        "carry_on": (),
        "store_unreachable": (),
        "forget_failed": (),
    }.items()
}

MIN_VARIANTS = 3
MIN_QUESTIONS = 500
MIN_CATEGORIES = 12
MAX_TEXT = 400  # characters in one spoken line; keeps responses far below the SSML cap
DEFAULT_TURN_SECONDS = 45  # the floor of silence a partner gets for a turn
MAX_FLOOR = 120  # seconds of silence a beat may ask for
MAX_SILENCE = 30  # seconds in one silence of a breathing script
DURATION_TOLERANCE = 0.10  # a pause or a plan lasts its announced minutes within this much
# Alexa plays at most 240 s of audio in one response (silence counted, to be safe); the
# engine keeps 5 s of margin, and a breathing script leaves 15 s for the words around it.
AUDIO_BUDGET = 235.0
SCRIPT_BUDGET = AUDIO_BUDGET - 15

# The exercises the skill offers by name (the ExerciseName slot ids) and the plans it needs.
REQUIRED_EXERCISES = (
    "mindful_pause",
    "gratitude",
    "questions",
    "active_listening",
    "i_statements",
    "hug",
    "shared_goals",
)
REQUIRED_PLANS = ("quick", "full")
PAUSE_MINUTES = (1, 2, 3)

BEAT_PLACEHOLDERS = {
    "first": frozenset({"speaker", "other", "first", "second"}),
    "second": frozenset({"speaker", "other", "first", "second"}),
    "both": frozenset({"first", "second"}),
}
QUESTION_PLACEHOLDERS = frozenset({"other"})
SOURCES = tuple(Source)
WHO = tuple(Who)
