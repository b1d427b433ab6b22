"""`checkin render-audio` and `checkin publish-audio` (registered by skill/cli.py)."""

from __future__ import annotations

import argparse
import os
import sys
import time


def add_commands(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "render-audio", help="render the guided meditations to MP3 (needs the 'audio' extra)"
    )
    p.add_argument("--out", help="the folder for the MP3s and manifest.json")
    p.add_argument(
        "--engine",
        choices=("piper", "espeak", "polly"),
        default="piper",
        help="piper (offline neural voice, the default), espeak (robotic fallback), or polly "
        "(Amazon Polly neural, needs AWS credentials; the voice for published audio)",
    )
    p.add_argument("--only", nargs="+", metavar="ID", help="render only these meditations")
    p.add_argument("--force", action="store_true", help="render again what is already rendered")
    p.add_argument("--voice", default="Joanna", help="Polly's VoiceId (default Joanna)")
    p.add_argument(
        "--deadline", type=float, default=1800, help="seconds a Polly render may take in all"
    )
    p.add_argument(
        "--file", help="a meditations file to use (default: the shipped meditations.toml)"
    )
    p.add_argument(
        "--check", action="store_true", help="only validate the meditations file, render nothing"
    )
    p.set_defaults(run=render_audio)

    p = commands.add_parser(
        "publish-audio", help="upload rendered meditations and their manifest to S3"
    )
    p.add_argument("--from", dest="source", required=True, help="the folder render-audio wrote")
    p.add_argument("--bucket", help="the bucket (default: $CHECKIN_AUDIO_BUCKET)")
    p.add_argument("--prefix", default="audio/", help="key prefix (default audio/)")
    p.add_argument(
        "--allow-piper",
        action="store_true",
        help="publish audio made with the piper voice too (see the README on its licence)",
    )
    p.add_argument("--deadline", type=float, default=600, help="seconds the upload may take")
    p.set_defaults(run=publish_audio)


def render_audio(args: argparse.Namespace) -> int:
    from skill.audio import scripts

    path = args.file or os.path.join(scripts.CONTENT_DIR, scripts.FILE)
    problems = scripts.check_file(path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    meditations = scripts.load_file(path)
    if args.check:
        for m in meditations:
            print(
                f"{m.id}: {m.title!r}, {m.minutes} min, about {m.estimated_seconds:.0f} s, "
                f"version {m.version}"
            )
        return 0
    if not args.out:
        print("name the output folder with --out", file=sys.stderr)
        return 2
    if args.only:
        unknown = sorted(set(args.only) - {m.id for m in meditations})
        if unknown:
            print(f"no meditation with id {', '.join(unknown)}", file=sys.stderr)
            return 2
        meditations = tuple(m for m in meditations if m.id in args.only)

    from skill.audio.engines import EngineUnavailable, make_engine
    from skill.audio.render import Outcome, render_all

    options: dict = {}
    if args.engine == "polly":
        options = {"voice_id": args.voice, "deadline": time.monotonic() + args.deadline}

    def report(outcome: Outcome) -> None:
        e = outcome.entry
        minutes = e.duration_ms / 60000
        what = (
            "already rendered"
            if outcome.skipped
            else f"rendered in {outcome.seconds:.1f} s ({outcome.seconds / minutes:.2f} s per "
            "audio minute)"
        )
        print(
            f"{e.file}: {e.duration_ms / 1000:.1f} s, {e.loudness_lufs:.2f} LUFS, "
            f"true peak {e.true_peak_dbfs:.2f} dBFS, {e.engine}; {what}",
            flush=True,
        )
        for problem in outcome.problems:
            print(f"  problem: {problem}")

    try:
        outcomes = render_all(
            meditations,
            args.out,
            args.engine,
            lambda: make_engine(args.engine, **options),
            force=args.force,
            report=report,
        )
    except EngineUnavailable as error:
        print(f"cannot render with {args.engine}: {error}", file=sys.stderr)
        return 1
    rendered = [o for o in outcomes if not o.skipped]
    if rendered:
        seconds = sum(o.seconds for o in rendered)
        audio_minutes = sum(o.entry.duration_ms for o in rendered) / 60000
        print(
            f"render time: {seconds:.1f} s for {audio_minutes:.1f} audio minutes = "
            f"{seconds / audio_minutes:.2f} s per audio minute ({args.engine})"
        )
    print(f"manifest: {os.path.join(args.out, 'manifest.json')}")
    return 1 if any(o.problems for o in outcomes) else 0


def publish_audio(args: argparse.Namespace) -> int:
    from skill.audio.publish import PublishRefused, publish

    bucket = args.bucket or os.environ.get("CHECKIN_AUDIO_BUCKET", "").strip()
    if not bucket:
        print("name the bucket with --bucket or CHECKIN_AUDIO_BUCKET", file=sys.stderr)
        return 2
    try:
        keys = publish(
            args.source,
            bucket,
            prefix=args.prefix,
            allow_piper=args.allow_piper,
            deadline=time.monotonic() + args.deadline,
        )
    except PublishRefused as error:
        print(f"not published: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # any AWS or connection error, in one line
        print(f"could not publish: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    for key in keys:
        print(f"uploaded s3://{bucket}/{key}")
    return 0
