"""The `checkin` command: chat, lint-content."""

from __future__ import annotations

import argparse
import logging
import sys

from skill.store import default_db_path


def lint_content(args: argparse.Namespace) -> int:
    from pathlib import Path

    from skill.content.loader import CONTENT_DIR, check_directory

    directory = Path(args.directory) if args.directory else CONTENT_DIR
    problems = check_directory(directory)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    print(f"content OK: {directory}")
    return 0


def chat(args: argparse.Namespace) -> int:
    from skill.console.chat import run

    return run(user=args.user, db=str(args.db), voice=args.speak)


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
    p.set_defaults(run=chat)

    p = commands.add_parser("lint-content", help="validate the exercise and question files")
    p.add_argument("directory", nargs="?", help="a content folder (default: the shipped one)")
    p.set_defaults(run=lint_content)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
