"""Guided meditations: the scripts and their validator, the renderer (offline voice and Polly
through botocore's Stubber), the manifest, hosting URLs, publishing, and GET /audio/."""

from __future__ import annotations

import io
import json
import math
import os
import re
from pathlib import Path

import pytest

from skill.audio import scripts
from skill.audio.scripts import Meditation, version_of

np = pytest.importorskip("numpy")
pytest.importorskip("lameenc")
pyloudnorm = pytest.importorskip("pyloudnorm")
mutagen_mp3 = pytest.importorskip("mutagen.mp3")

from skill.audio import render  # noqa: E402  (needs numpy)
from skill.audio.engines import EngineUnavailable, PollyEngine, make_engine  # noqa: E402

# --- the shipped scripts ---------------------------------------------------------------


def test_shipped_meditations_are_valid_and_cover_the_four_lengths():
    path = os.path.join(scripts.CONTENT_DIR, scripts.FILE)
    assert scripts.check_file(path) == []
    found = {m.minutes: m for m in scripts.meditations()}
    assert sorted(found) == [5, 10, 15, 20]
    for m in found.values():
        assert re.fullmatch(r"[0-9a-f]{8}", m.version)
        assert m.file_name == f"{m.id}.{m.version}.mp3"
        assert abs(m.estimated_seconds - m.announced_seconds) <= 0.05 * m.announced_seconds
        assert m.version == version_of(m.title, m.script)
    # the 20-minute sit is mostly silent, with sparse guidance
    sit = found[20]
    silence = sum(s for s in sit.script if not isinstance(s, str))
    assert silence / sit.estimated_seconds > 0.85


BAD = """
[[meditation]]
id = "too-much"
title = "Too much"
minutes = 1
script = [
    "Hello there.",
    0,
    "<break time='3s'/> Breathe.",
    "This line goes on and on and on, far longer than anyone could comfortably say \
in one calm breath out loud.",
    121,
    "Bye.",
]
"""


def test_validator_names_the_file_and_the_entry():
    problems = scripts.check_text(BAD, "bad.toml")
    text = "\n".join(problems)
    assert "bad.toml: meditation 1: [too-much] entry 2: silence of 0 s" in text
    assert "bad.toml: meditation 1: [too-much] entry 3: markup in a spoken line" in text
    assert "bad.toml: meditation 1: [too-much] entry 4: too long for one breath" in text
    assert "bad.toml: meditation 1: [too-much] entry 5: silence of 121 s" in text


def test_validator_checks_the_announced_length_and_ends():
    script = '["One, two.", 90, "Three."]'
    text = f'[[meditation]]\nid = "long"\ntitle = "Long"\nminutes = 1\nscript = {script}\n'
    (problem,) = scripts.check_text(text, "m.toml")
    assert problem.startswith("m.toml: meditation 1: [long]: lasts about 91 s")
    text = '[[meditation]]\nid = "s"\ntitle = "S"\nminutes = 1\nscript = [58, "Hi there."]\n'
    assert any("starts and ends with a spoken line" in p for p in scripts.check_text(text))
    with pytest.raises(ValueError, match="starts and ends"):
        scripts.parse_text(text)


def test_version_changes_with_the_script():
    a = version_of("T", ("Breathe in.", 4.0, "Out."))
    assert a == version_of("T", ("Breathe in.", 4, "Out."))
    assert a != version_of("T", ("Breathe in.", 5.0, "Out."))
    assert a != version_of("T2", ("Breathe in.", 4.0, "Out."))


# --- rendering with the offline voice ---------------------------------------------------


def tiny(script=None) -> Meditation:
    """A one-minute meditation-like script: 52 words (about 21 s) and 39 s of silence."""
    script = script or (
        "Sit close, and let your shoulders soften.",
        4,
        "Breathe in slowly, together.",
        4,
        "And let it go, a little longer than it came in.",
        10,
        "Notice the warmth of the person beside you.",
        10,
        "If your mind wanders, that is fine. Come back to the breath you share.",
        11,
        "Take one more breath together, and open your eyes when you are ready.",
    )
    return Meditation(
        id="tiny-test",
        title="A tiny test",
        minutes=1,
        script=tuple(script),
        version=version_of("A tiny test", script),
    )


@pytest.fixture(scope="module")
def offline_engine():
    for name in ("piper", "espeak"):
        try:
            return make_engine(name)
        except EngineUnavailable:
            continue
    pytest.skip("neither piper nor espeak-ng is installed")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, offline_engine):
    folder = tmp_path_factory.mktemp("audio")
    outcomes = render.render_all([tiny()], str(folder), offline_engine.name, lambda: offline_engine)
    return folder, outcomes[0]


def decode(path: Path):
    samples, rate = render.decode_mp3(path.read_bytes())
    return samples, rate


def test_rendered_mp3_format_duration_and_loudness(rendered):
    folder, outcome = rendered
    assert not outcome.skipped and outcome.problems == []
    path = folder / tiny().file_name
    info = mutagen_mp3.MP3(path).info
    assert info.sample_rate == 24000
    assert info.channels == 1
    assert abs(info.bitrate - 64000) <= 2000
    assert abs(info.length - 60) <= 0.05 * 60
    samples, rate = decode(path)
    assert rate == 24000
    lufs = pyloudnorm.Meter(rate).integrated_loudness(samples)
    assert abs(lufs + 14) <= 1, lufs
    peak = render.true_peak_dbfs(samples)
    assert peak <= -2.0, peak
    print(
        f"\n{outcome.entry.engine}: {outcome.seconds:.2f} s for 1 audio minute; "
        f"{lufs:.2f} LUFS, true peak {peak:.2f} dBFS"
    )


def test_silences_are_spliced_as_digital_silence(rendered):
    folder, _ = rendered
    samples, rate = decode(folder / tiny().file_name)
    # somewhere there is a run of at least 9 s of (near) silence: the 10 s pauses
    quiet = np.abs(samples) < 10 ** (-60 / 20)
    longest = run = 0
    for value in quiet[:: rate // 100]:  # every 10 ms
        run = run + 1 if value else 0
        longest = max(longest, run)
    assert longest >= 900


def test_manifest_describes_the_file(rendered):
    folder, outcome = rendered
    manifest = json.loads((folder / "manifest.json").read_text())
    (row,) = manifest["meditations"]
    m = tiny()
    assert row["id"] == m.id and row["title"] == m.title and row["version"] == m.version
    assert row["file"] == f"tiny-test.{m.version}.mp3"
    assert abs(row["duration_ms"] - 60000) <= 3000
    assert row["duration_ms"] == outcome.entry.duration_ms


def test_render_again_skips_and_a_changed_script_gets_a_new_file(rendered, offline_engine):
    folder, _ = rendered
    path = folder / tiny().file_name
    before = path.stat().st_mtime_ns
    (again,) = render.render_all([tiny()], str(folder), offline_engine.name, _no_engine)
    assert again.skipped and path.stat().st_mtime_ns == before

    changed = list(tiny().script)
    changed[1] = 5
    new = tiny(changed)
    assert new.version != tiny().version and new.file_name != tiny().file_name
    (outcome,) = render.render_all([new], str(folder), offline_engine.name, lambda: offline_engine)
    assert not outcome.skipped
    assert (folder / new.file_name).is_file()
    rows = json.loads((folder / "manifest.json").read_text())["meditations"]
    assert [r["file"] for r in rows] == [new.file_name]


def _no_engine():
    raise AssertionError("nothing should be rendered")


def test_rendering_is_reproducible(rendered, offline_engine, tmp_path):
    folder, _ = rendered  # its tiny file stays when a later version is rendered beside it
    render.render_all([tiny()], str(tmp_path), offline_engine.name, lambda: offline_engine)
    name = tiny().file_name
    assert (tmp_path / name).read_bytes() == (folder / name).read_bytes()


# --- Polly through botocore's Stubber ---------------------------------------------------


def test_polly_sends_one_exact_request_per_line(tmp_path):
    botocore_session = pytest.importorskip("botocore.session")
    from botocore.response import StreamingBody
    from botocore.stub import Stubber

    client = botocore_session.get_session().create_client(
        "polly",
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    engine = PollyEngine(voice_id="Joanna", client=client)
    m = tiny(("Breathe in, slowly & gently.", 55, "And out."))
    tone = (0.3 * np.sin(2 * np.pi * 220 * np.arange(16000 * 2) / 16000) * 32767).astype("<i2")
    pcm = tone.tobytes()
    with Stubber(client) as stubber:
        for line in ("Breathe in, slowly &amp; gently.", "And out."):
            stubber.add_response(
                "synthesize_speech",
                {
                    "AudioStream": StreamingBody(io.BytesIO(pcm), len(pcm)),
                    "ContentType": "audio/pcm",
                    "RequestCharacters": len(line),
                },
                {
                    "Engine": "neural",
                    "VoiceId": "Joanna",
                    "OutputFormat": "pcm",
                    "SampleRate": "16000",
                    "TextType": "ssml",
                    "Text": f'<speak><prosody rate="90%">{line}</prosody></speak>',
                },
            )
        (outcome,) = render.render_all([m], str(tmp_path), "polly", lambda: engine)
        stubber.assert_no_pending_responses()
    assert outcome.entry.engine == "polly" and outcome.problems == []
    info = mutagen_mp3.MP3(tmp_path / m.file_name).info
    assert info.sample_rate == 24000 and abs(info.length - 60) <= 3


def test_polly_stops_at_the_render_deadline():
    engine = PollyEngine(client=object(), deadline=0.0)
    with pytest.raises(TimeoutError):
        engine.speak("Hello.")


# --- hosting ------------------------------------------------------------------------------


def test_stream_url_is_https_or_nothing(monkeypatch):
    from skill.audio.hosting import stream_url

    m = tiny()
    monkeypatch.delenv("CHECKIN_AUDIO_URL", raising=False)
    assert stream_url(m) is None
    for bad in ("http://example.com/audio/", "ftp://x/", "https://example.com:8443/a/", "x"):
        monkeypatch.setenv("CHECKIN_AUDIO_URL", bad)
        assert stream_url(m) is None, bad
    monkeypatch.setenv("CHECKIN_AUDIO_URL", "https://d1.cloudfront.net/audio")
    assert stream_url(m) == f"https://d1.cloudfront.net/audio/tiny-test.{m.version}.mp3"


def test_publish_uploads_files_then_manifest(rendered, tmp_path):
    pytest.importorskip("botocore.session")
    import botocore.session
    from botocore.stub import ANY, Stubber

    from skill.audio.publish import PublishRefused, publish

    folder, outcome = rendered
    if outcome.entry.engine == "piper":
        with pytest.raises(PublishRefused, match="piper"):
            publish(str(folder), "bucket")
    client = botocore.session.get_session().create_client(
        "s3", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    rows = json.loads((folder / "manifest.json").read_text())["meditations"]
    with Stubber(client) as stubber:
        for name, kind in [(r["file"], "audio/mpeg") for r in rows] + [
            ("manifest.json", "application/json")
        ]:
            stubber.add_response(
                "put_object",
                {},
                {
                    "Bucket": "bucket",
                    "Key": f"audio/{name}",
                    "Body": ANY,
                    "ContentType": kind,
                    "CacheControl": ANY,
                },
            )
        keys = publish(str(folder), "bucket", allow_piper=True, client=client)
        stubber.assert_no_pending_responses()
    assert keys[-1] == "audio/manifest.json"


# --- the web service ----------------------------------------------------------------------


def test_web_serves_audio_with_ranges_and_caching(rendered, monkeypatch):
    from skill.store.memory import MemoryStore
    from skill.web.app import create_app

    folder, _ = rendered
    name = json.loads((folder / "manifest.json").read_text())["meditations"][0]["file"]
    monkeypatch.setenv("CHECKIN_AUDIO_DIR", str(folder))
    client = create_app(MemoryStore(), verify=False, skill_id="test").test_client()
    size = (folder / name).stat().st_size

    whole = client.get(f"/audio/{name}")
    assert whole.status_code == 200 and whole.mimetype == "audio/mpeg"
    assert int(whole.headers["Content-Length"]) == size
    assert "immutable" in whole.headers["Cache-Control"]
    assert whole.headers["Accept-Ranges"] == "bytes" and whole.headers["ETag"]

    part = client.get(f"/audio/{name}", headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-1099/{size}"
    assert part.data == (folder / name).read_bytes()[100:1100]

    again = client.get(f"/audio/{name}", headers={"If-None-Match": whole.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/audio/manifest.json").status_code == 200
    for bad in ("../manifest.json", "x.mp3", "tiny-test.zzzzzzzz.mp3", "nothing.12345678.mp3"):
        assert client.get(f"/audio/{bad}").status_code == 404, bad
    monkeypatch.delenv("CHECKIN_AUDIO_DIR")
    assert client.get(f"/audio/{name}").status_code == 404


def test_cli_checks_the_shipped_file(capsys):
    from skill.cli import main

    assert main(["render-audio", "--check"]) == 0
    out = capsys.readouterr().out
    assert "breathing-together-5" in out and "quiet-sit-together-20" in out


def test_true_peak_sees_between_samples():
    # a sine at a quarter of the rate, sampled off its peaks: sample peak 0.707, true peak 1
    x = np.sin(np.pi / 2 * np.arange(4800) + np.pi / 4)
    assert render.true_peak_dbfs(x) > 20 * math.log10(np.max(np.abs(x))) + 2
