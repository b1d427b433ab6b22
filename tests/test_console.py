"""`checkin chat`, the way a newcomer runs it: typed lines in, Alexa's words out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def chat(lines: list[str], db: Path, *args: str) -> str:
    env = {**os.environ, "CHECKIN_DB": str(db)}
    result = subprocess.run(
        [sys.executable, "-m", "skill.cli", "chat", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_a_newcomer_holds_a_check_in_by_typing(tmp_path: Path) -> None:
    out = chat(
        [
            "Alexa, start our check-in",
            "we are Sam and Alex",
            "yes",
            "yes",
            "next",
            "next",
            "next",
            "next",
            "next",
            "no",  # to the weekly reminder their first check-in ends by offering
        ],
        tmp_path / "c.db",
    )
    assert "What are your first names?" in out or "first names?" in out
    assert "[pause" in out  # silences are shown, not waited out
    assert "turn: Sam" in out and "turn: Alex" in out  # whose turn it is
    offer, goodbye = out.split("remind", 1)
    assert "session has ended" not in offer  # the offer kept the session open for an answer
    assert "Thank" in goodbye and "session has ended" in goodbye
    assert '{"request"' not in out  # no operator log lines in the conversation


def test_an_unmatched_line_gets_the_fallback_answer(tmp_path: Path) -> None:
    out = chat(["Alexa, start our check-in", "what is the weather on mars"], tmp_path / "c.db")
    assert "Sorry" in out or "missed" in out


def test_two_silences_close_the_microphone_and_resume_picks_up(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    out = chat(["Alexa, start our check-in", "Sam and Alex", "yes", "yes", "next", "", ""], db)
    assert "reprompt" in out and "microphone closed" in out
    out = chat(["Alexa, resume our check-in"], db)
    assert "gratitude round, Sam's turn" in out


def test_another_user_is_another_household(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    chat(["Alexa, start our check-in", "Sam and Alex", "yes"], db)
    out = chat(["Alexa, start our check-in"], db, "--user", "amzn1.ask.account.someone-else")
    assert "first names" in out


def test_speak_without_espeak_says_so_and_still_works(tmp_path: Path) -> None:
    env_path = os.environ.get("PATH", "")
    os.environ["PATH"] = str(tmp_path)  # no espeak-ng on this PATH
    try:
        out = chat(["Alexa, start our check-in"], tmp_path / "c.db", "--speak")
    finally:
        os.environ["PATH"] = env_path
    assert "first names" in out
    assert "espeak-ng" in out


def test_a_meditation_is_shown_playing_paused_resumed_and_finished(tmp_path: Path) -> None:
    out = chat(
        [
            "Alexa, ask our check in for a ten minute meditation",
            "Alexa, pause",
            "[resume]",
            "[finish]",
        ],
        tmp_path / "c.db",
    )
    assert "[playing: Appreciation, together, 10:00]" in out
    assert "[the meditation stops]" in out
    assert "[Appreciation, together has finished]" in out
    assert "Alexa: \n" not in out  # the player's replies have no words to show
