"""End to end: virtual-alexa (npm), with its AudioPlayer emulation, against the real Flask
server over HTTP. The living room starts a ten-minute meditation and pauses it three minutes
in; the kitchen, another Echo of the same household, resumes it at that offset and hears it
to the end; the finished meditation is in the couple's stored history.

The stream URL is https (virtual-alexa refuses http:) on a name that does not resolve:
virtual-alexa never fetches the audio, so no file is needed (see the script's header)."""

from __future__ import annotations

from pathlib import Path

from skill.engine.schema import load_state
from skill.engine.state import Phase
from skill.store.base import household_key
from skill.store.sqlite import SqliteStore
from tests.test_virtual_alexa import run_virtual_alexa

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "e2e" / "virtual_alexa_meditation.js"
USER = "amzn1.ask.account.e2e-meditating-couple"  # as in the script
AUDIO_URL = "https://audio.checkin.test/meditations/"


def test_a_meditation_paused_on_one_echo_resumes_on_another_and_plays_to_the_end(
    tmp_path: Path,
) -> None:
    result = run_virtual_alexa(SCRIPT, tmp_path, CHECKIN_AUDIO_URL=AUDIO_URL)
    db, log_path = tmp_path / "e2e.db", tmp_path / "server.log"
    output = result.stdout + result.stderr
    assert result.returncode == 0, output + "\nserver:\n" + log_path.read_text()[-3000:]
    assert "virtual-alexa meditation: OK" in result.stdout
    heard = result.stdout.splitlines()
    # The requests, in the order the two devices sent them, around the pause and the resume.
    assert heard.index("  living room -> AudioPlayer.PlaybackStopped offset=184000") < heard.index(
        "  living room -> AMAZON.PauseIntent"
    )
    assert heard.index("  kitchen -> AMAZON.ResumeIntent") < heard.index(
        "  kitchen -> AudioPlayer.PlaybackStarted offset=184000"
    )
    assert "  kitchen -> AudioPlayer.PlaybackFinished offset=600000" in heard
    assert "requests: " in result.stdout and "from 2 devices" in result.stdout

    record = SqliteStore(db).load(household_key(USER))
    assert record is not None
    state, damaged = load_state(record.state)
    assert not damaged
    assert state.meditated == 1  # the finished meditation counts in the history
    assert state.phase != Phase.MEDITATION and state.meditation == ""
