"""The `checkin` command: chat, lint-content, create-table, serve."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from skill.store import default_db_path


def lint_content(args: argparse.Namespace) -> int:
    from pathlib import Path

    from skill.content.loader import CONTENT_DIR, check_directory

    directory = Path(args.directory) if args.directory else CONTENT_DIR
    shown = args.directory or "the shipped content (package skill.content)"
    problems = check_directory(directory)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {shown}", file=sys.stderr)
        return 1
    print(f"content OK: {shown}")
    return 0


def create_table(args: argparse.Namespace) -> int:
    """Create the DynamoDB table for self-hosting (the SAM template creates it on AWS)."""
    from skill.store.dynamodb import make_client
    from skill.store.table import create_table as create

    name = args.table or os.environ.get("CHECKIN_TABLE", "").strip()
    if not name:
        print("name the table with --table or CHECKIN_TABLE", file=sys.stderr)
        return 2
    try:
        notes = create(make_client(), name)
    except Exception as error:  # report any AWS or connection error in one line
        print(f"could not create table {name}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    for note in notes:
        print(f"note: {note}")
    print(f"table {name} is ready")
    return 0


def chat(args: argparse.Namespace) -> int:
    from skill.console.chat import run

    return run(
        user=args.user, db=str(args.db), voice=args.speak, screen=args.screen, locale=args.locale
    )


NO_VERIFY_WARNING = "Alexa request verification is OFF: development only"


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1."""
    import ipaddress

    if host.strip().lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def serve(args: argparse.Namespace) -> int:
    """Flask's development server (threaded); production runs gunicorn (see skill.web)."""
    log = logging.getLogger("checkin.web")
    if args.no_verify:
        log.warning("WARNING: %s", NO_VERIFY_WARNING)
        if not is_loopback(args.host):
            print(
                f"refusing to serve without request verification on {args.host}: "
                "use a loopback host (127.0.0.1, ::1, localhost) or drop --no-verify",
                file=sys.stderr,
            )
            return 2
    if args.any_skill and not is_loopback(args.host):
        print(f"refusing --any-skill on {args.host}: loopback only", file=sys.stderr)
        return 2
    from skill.alexa.guard import NoSkillId
    from skill.web import create_app

    try:
        app = create_app(verify=not args.no_verify, any_skill=args.any_skill)
    except NoSkillId as error:
        print(f"refusing to serve: {error}", file=sys.stderr)
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    state = "OFF" if args.no_verify else "on"
    print(
        f"Our Check-In listening on http://{host}:{args.port}/alexa (verification {state})",
        flush=True,
    )
    try:
        app.run(host=args.host, port=args.port, threaded=True, debug=False, use_reloader=False)
    except OSError as error:
        print(f"could not listen on {host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0


def build_models(args: argparse.Namespace) -> int:
    from pathlib import Path

    from skill.locales import LOCALES, MODELS_DIR, SOURCE, write_models

    changed = write_models(Path(args.directory) if args.directory else MODELS_DIR)
    for path in changed:
        print(f"wrote {path}")
    others = ", ".join(locale for locale in LOCALES if locale != SOURCE)
    print(f"{others}: made from {SOURCE}.json ({len(changed)} changed)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="checkin", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("chat", help="hold a check-in by typing, on the embedded store")
    p.add_argument(
        "--user",
        default="amzn1.ask.account.console-couple",
        help="the Alexa userId; another value is another household",
    )
    p.add_argument("--db", default=default_db_path(), help="SQLite file (default: $CHECKIN_DB)")
    p.add_argument("--speak", action="store_true", help="also speak with espeak-ng")
    p.add_argument(
        "--screen",
        action="store_true",
        help="an Echo Show: print the screen under each answer; type [Next] to touch a button",
    )
    p.add_argument(
        "--locale",
        default="en-US",
        choices=("en-US", "en-GB", "en-CA", "en-AU", "en-IN"),
        help="the device's language: its interaction model and the requests' locale",
    )
    p.set_defaults(run=chat)

    p = commands.add_parser("lint-content", help="validate the exercise and question files")
    p.add_argument("directory", nargs="?", help="a content folder (default: the shipped one)")
    p.set_defaults(run=lint_content)

    p = commands.add_parser(
        "build-models", help="write the other locales' interaction models from en-US.json"
    )
    p.add_argument("directory", nargs="?", help="a models folder (default: the shipped one)")
    p.set_defaults(run=build_models)

    p = commands.add_parser("create-table", help="create the DynamoDB table (self-hosting)")
    p.add_argument("--table", help="the table name (default: $CHECKIN_TABLE)")
    p.set_defaults(run=create_table)

    p = commands.add_parser("serve", help="run the web service (development server)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.add_argument(
        "--no-verify",
        action="store_true",
        help="skip Alexa request verification (development only; loopback hosts only)",
    )
    p.add_argument(
        "--any-skill",
        action="store_true",
        help="serve without SKILL_ID, for any skill's requests (loopback development only)",
    )
    p.set_defaults(run=serve)

    from skill.audio.commands import add_commands  # render-audio, publish-audio

    add_commands(commands)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
