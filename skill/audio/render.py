"""Render meditations to MP3: mono, 24 kHz, 64 kbps CBR, -14 LUFS, true peak ≤ -2 dBFS.

How a script becomes a file:
1. Each spoken line is spoken by the engine, resampled to 24 kHz (scipy's polyphase filter,
   which pyloudnorm brings along) and given its slot: at least its length at 150 words a
   minute, the rest of the slot quiet. So the rendered length is the validator's estimate
   unless a voice is slower than 150 wpm.
2. Each silence is spliced in as that many seconds of zeros (never an SSML break).
3. Loudness: pyloudnorm measures the integrated loudness (ITU-R BS.1770-4, gated, so the
   silences do not pull it down); a gain brings it to -14 LUFS and a short look-ahead
   limiter (numpy + scipy, below) holds the 4x-oversampled peaks under -3 dBFS, the gain
   corrected until the limited signal measures -14 LUFS. A gain alone cannot do it: this
   synthetic speech peaks about 17 dB above its loudness, and the targets leave 12. The true
   peak is estimated as the sample peak of the signal oversampled 4x (resample_poly).
4. A 9 kHz low-pass (below the encoder's own) keeps the encoder from raising the peaks;
   lameenc encodes 64 kbps CBR mono at 24 kHz. The MP3 is decoded again (miniaudio) and
   measured; while it misses -14 LUFS by more than 0.4 (the encoder takes about 0.5 LU off)
   or its true peak is over -2 dBFS, the target (or the limiter's ceiling) moves by the miss
   and the file is made again. The manifest records what was measured on the MP3.

Nothing here depends on the clock or on randomness: the same script, engine and voice give
the same bytes. A meditation whose file already exists at the same version, rendered by the
same engine, is skipped.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import numpy as np

from skill.audio.engines import Engine
from skill.audio.scripts import SECONDS_PER_WORD, TOLERANCE, Meditation, words

SAMPLE_RATE = 24000
BITRATE_KBPS = 64
TARGET_LUFS = -14.0
LUFS_TOLERANCE = 1.0
PEAK_CEILING_DBFS = -2.0
LIMIT_CEILING_DBFS = -3.0
"""The limiter's true-peak ceiling: under the -2 dBFS ceiling, with room for what the
encoder adds."""
LIMIT_WINDOW = 48
"""Samples (2 ms at 24 kHz) over which the limiter's gain is held and smoothed."""
OVERSAMPLE = 4
LOWPASS_HZ = 9000
MASTER_ROUNDS = 5
MASTER_LUFS_TOLERANCE = 0.4
"""How far from -14 LUFS the decoded MP3 may measure before it is made again (the bound
checked is +-1)."""
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Rendered:
    id: str
    title: str
    version: str
    minutes: int
    duration_ms: int
    file: str
    engine: str
    voice: str
    loudness_lufs: float
    true_peak_dbfs: float


@dataclass(frozen=True)
class Outcome:
    entry: Rendered
    skipped: bool
    seconds: float
    """Wall-clock seconds the render took (0 when skipped)."""

    @property
    def problems(self) -> list[str]:
        e = self.entry
        found = []
        announced = e.minutes * 60_000
        if abs(e.duration_ms - announced) > TOLERANCE * announced:
            found.append(f"{e.id}: {e.duration_ms / 1000:.1f} s, announced {e.minutes} min")
        if abs(e.loudness_lufs - TARGET_LUFS) > LUFS_TOLERANCE:
            found.append(f"{e.id}: {e.loudness_lufs:.2f} LUFS, target {TARGET_LUFS:.0f} ±1")
        if e.true_peak_dbfs > PEAK_CEILING_DBFS + 1e-6:
            found.append(f"{e.id}: true peak {e.true_peak_dbfs:.2f} dBFS > {PEAK_CEILING_DBFS}")
        return found


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    if rate == target or samples.size == 0:
        return samples.astype(np.float64)
    from scipy.signal import resample_poly

    g = math.gcd(rate, target)
    return resample_poly(samples.astype(np.float64), target // g, rate // g)


def assemble(meditation: Meditation, engine: Engine) -> np.ndarray:
    """The whole meditation at 24 kHz, float64, unnormalised."""
    parts: list[np.ndarray] = []
    for item in meditation.script:
        if isinstance(item, str):
            spoken = resample(engine.speak(item), engine.sample_rate)
            slot = round(words(item) * SECONDS_PER_WORD * SAMPLE_RATE)
            if spoken.size < slot:
                spoken = np.concatenate([spoken, np.zeros(slot - spoken.size)])
            parts.append(spoken)
        else:
            parts.append(np.zeros(round(float(item) * SAMPLE_RATE)))
    return np.concatenate(parts)


def near_sound(samples: np.ndarray, rate: int, keep: float = 0.5) -> np.ndarray:
    """True for the samples within `keep` seconds of anything above -80 dBFS."""
    from scipy.ndimage import uniform_filter1d

    size = int(2 * keep * rate) + 1
    loud = (np.abs(samples) > 1e-4).astype(np.float32)
    return uniform_filter1d(loud, size=size, mode="constant") > 0.5 / size


def without_long_silences(samples: np.ndarray, rate: int) -> np.ndarray:
    """The samples near sound (near_sound).

    BS.1770 gating drops every 400 ms block below -70 LUFS, so the long silences of a
    meditation count for nothing but time: measuring without them gives the same loudness
    (within 0.01 LU here) about ten times faster.
    """
    return samples[near_sound(samples, rate)]


def loudness(samples: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """Integrated loudness in LUFS (pyloudnorm: ITU-R BS.1770-4, gated)."""
    import pyloudnorm

    speech = without_long_silences(samples, rate)
    return float(pyloudnorm.Meter(rate).integrated_loudness(speech))


def true_peak_dbfs(samples: np.ndarray) -> float:
    """Sample peak of the signal oversampled 4x: an estimate of the true peak (BS.1770)."""
    peak = float(np.max(peak_envelope(samples), initial=0.0))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def db_to_gain(db: float) -> float:
    return 10 ** (db / 20)


def peak_envelope(samples: np.ndarray) -> np.ndarray:
    """For each sample, the largest magnitude of the 4x-oversampled signal around it: the
    peaks between samples, which a bright voice (espeak-ng's above all) has a lot of.

    Oversampling is the slow part, so only the stretches near sound are oversampled (joined
    end to end; the joins are in near-silence): the long silences of a meditation have none.
    """
    from scipy.signal import resample_poly

    near = near_sound(samples, SAMPLE_RATE)
    sound = samples[near]
    envelope = np.zeros(samples.size)
    if sound.size:
        up = np.abs(resample_poly(sound, OVERSAMPLE, 1))[: sound.size * OVERSAMPLE]
        envelope[near] = np.maximum(up.reshape(-1, OVERSAMPLE).max(axis=1), np.abs(sound))
    return np.maximum(envelope, np.abs(samples))


def limit(
    samples: np.ndarray,
    ceiling_dbfs: float = LIMIT_CEILING_DBFS,
    envelope: np.ndarray | None = None,
) -> np.ndarray:
    """A look-ahead true-peak limiter: no (oversampled) peak above the ceiling.

    The gain each sample needs (ceiling / its peak envelope, at most 1) is taken as the
    minimum over +-LIMIT_WINDOW samples, then smoothed by a moving average over LIMIT_WINDOW
    + 1: every average is of values no larger than what the centre sample needs, so the
    ceiling holds, and the gain moves over about 2 ms instead of jumping (no hard clipping).
    `envelope` is peak_envelope(samples), if already known.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    peaks = peak_envelope(samples) if envelope is None else envelope
    needed = np.minimum(1.0, db_to_gain(ceiling_dbfs) / np.maximum(peaks, 1e-12))
    held = minimum_filter1d(needed, size=2 * LIMIT_WINDOW + 1, mode="nearest")
    return samples * uniform_filter1d(held, size=LIMIT_WINDOW + 1, mode="nearest")


def normalise(
    samples: np.ndarray, target: float = TARGET_LUFS, ceiling: float = LIMIT_CEILING_DBFS
) -> np.ndarray:
    """Gain to the target loudness and the limiter, the gain corrected (a few rounds) for what
    the limiter takes off: synthetic speech peaks some 17 dB above its loudness, and -14 LUFS
    with a true peak under -2 dBFS leaves room for 12."""
    envelope = peak_envelope(samples)
    gain = target - loudness(samples)
    for _ in range(5):
        factor = db_to_gain(gain)
        result = limit(samples * factor, ceiling, envelope * factor)
        error = target - loudness(result)
        if abs(error) < 0.2:
            break
        gain += 1.3 * error  # the limiter gives back less than the gain: step a bit further
    return result


def to_int16(samples: np.ndarray) -> np.ndarray:
    return np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")


def encode_mp3(pcm: np.ndarray) -> bytes:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_out_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)  # 2 = high quality, slower; the encode is a small part of a render
    return bytes(encoder.encode(pcm.tobytes()) + encoder.flush())


def decode_mp3(data: bytes) -> tuple[np.ndarray, int]:
    """Decoded float64 samples (mono) and the sample rate: for checking what we wrote."""
    import miniaudio

    decoded = miniaudio.mp3_read_s16(data)  # at the file's own rate (decode() resamples)
    samples = np.frombuffer(decoded.samples, dtype="<i2").astype(np.float64) / 32768.0
    if decoded.nchannels > 1:
        samples = samples.reshape(-1, decoded.nchannels).mean(axis=1)
    return samples, decoded.sample_rate


def band_limit(samples: np.ndarray) -> np.ndarray:
    """Low-pass at 9 kHz (8th-order Butterworth, run forwards and back: no phase shift).

    The encoder low-passes at about 11 kHz; on a buzzy voice (espeak-ng) that cut makes the
    glottal pulses ring, and the decoded peaks came out 2.5 dB above what went in. Cut first,
    and what the limiter held is what the listener gets.
    """
    from scipy.signal import butter, sosfiltfilt

    return sosfiltfilt(butter(8, LOWPASS_HZ, "lowpass", fs=SAMPLE_RATE, output="sos"), samples)


def master(samples: np.ndarray) -> tuple[bytes, float, float]:
    """MP3 bytes, and the loudness and true peak measured on the decoded MP3.

    The encoder's low-pass (about 10 kHz at 64 kbps) takes some treble, which K-weighting
    counts, so the decoded file measures quieter than what went in; and decoding can put a
    peak a little higher. So the decoded MP3 is measured and, while it misses -14 LUFS by more
    than 0.4 or its true peak is over -2 dBFS, the loudness target (or the limiter's ceiling)
    is moved by the miss and the file made again from the start.
    """
    samples = band_limit(samples)
    target, ceiling = TARGET_LUFS, LIMIT_CEILING_DBFS
    attempts: list[tuple[bytes, float, float]] = []
    for _ in range(MASTER_ROUNDS):
        data = encode_mp3(to_int16(normalise(samples, target, ceiling)))
        decoded, rate = decode_mp3(data)
        lufs, peak = loudness(decoded, rate), true_peak_dbfs(decoded)
        attempts.append((data, lufs, peak))
        if abs(lufs - TARGET_LUFS) <= MASTER_LUFS_TOLERANCE and peak <= PEAK_CEILING_DBFS:
            break
        target += TARGET_LUFS - lufs
        if peak > PEAK_CEILING_DBFS:
            ceiling -= 1.5 * (peak - PEAK_CEILING_DBFS) + 0.1
    # The encoder's peaks do not follow the limiter closely on a buzzy voice (espeak-ng:
    # 0.7 to 2 dB over, varying with the gain), so the rounds need not converge: keep the
    # attempt within the peak ceiling that is nearest -14 LUFS (else the lowest peak).
    within = [a for a in attempts if a[2] <= PEAK_CEILING_DBFS]
    if within:
        return min(within, key=lambda a: abs(a[1] - TARGET_LUFS))
    return min(attempts, key=lambda a: a[2])


def mp3_duration_ms(path: str) -> int:
    from mutagen.mp3 import MP3

    return round(MP3(path).info.length * 1000)


def read_manifest(directory: str) -> dict:
    path = os.path.join(directory, MANIFEST)
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except (FileNotFoundError, json.JSONDecodeError):
        return {"meditations": []}
    return data if isinstance(data.get("meditations"), list) else {"meditations": []}


def write_manifest(directory: str, entries: Iterable[Rendered]) -> None:
    rows = sorted((asdict(e) for e in entries), key=lambda row: (row["minutes"], row["id"]))
    _write_atomic(
        os.path.join(directory, MANIFEST),
        (json.dumps({"meditations": rows}, indent=2, ensure_ascii=False) + "\n").encode(),
    )


def _write_atomic(path: str, data: bytes) -> None:
    temporary = f"{path}.part"
    with open(temporary, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def render_one(meditation: Meditation, engine: Engine, directory: str) -> Rendered:
    samples = assemble(meditation, engine)
    data, lufs, peak = master(samples)
    path = os.path.join(directory, meditation.file_name)
    _write_atomic(path, data)
    return Rendered(
        id=meditation.id,
        title=meditation.title,
        version=meditation.version,
        minutes=meditation.minutes,
        duration_ms=mp3_duration_ms(path),
        file=meditation.file_name,
        engine=engine.name,
        voice=engine.voice,
        loudness_lufs=round(lufs, 2),
        true_peak_dbfs=round(peak, 2),
    )


def render_all(
    meditations: Iterable[Meditation],
    directory: str,
    engine_name: str,
    engine_factory: Callable[[], Engine],
    force: bool = False,
    report: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Render what is not yet rendered at the same version by the same engine; update the
    manifest (--force renders again anyway).

    The engine is made only if something needs rendering (loading a voice takes a moment).
    Entries of meditations not rendered this time stay in the manifest.
    """
    os.makedirs(directory, exist_ok=True)
    known = {row.get("id"): row for row in read_manifest(directory)["meditations"]}
    entries: dict[str, Rendered] = {}
    for mid, row in known.items():
        try:
            entries[mid] = Rendered(**row)
        except TypeError:
            continue  # a row of another shape: rendered again if asked for
    engine: Engine | None = None
    outcomes = []
    for meditation in meditations:
        old = entries.get(meditation.id)
        if (
            not force
            and old is not None
            and old.version == meditation.version
            and old.file == meditation.file_name
            and old.engine == engine_name
            and os.path.isfile(os.path.join(directory, old.file))
        ):
            outcome = Outcome(old, skipped=True, seconds=0.0)
        else:
            if engine is None:
                engine = engine_factory()
            start = time.perf_counter()
            entry = render_one(meditation, engine, directory)
            outcome = Outcome(entry, skipped=False, seconds=time.perf_counter() - start)
            entries[meditation.id] = entry
            write_manifest(directory, entries.values())
        outcomes.append(outcome)
        if report:
            report(outcome)
    write_manifest(directory, entries.values())
    return outcomes
