"""The `checkin` command: chat, lint-content, create-table."""

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
    problems = check_directory(directory)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    print(f"content OK: {directory}")
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

    p = commands.add_parser("create-table", help="create the DynamoDB table (self-hosting)")
    p.add_argument("--table", help="the table name (default: $CHECKIN_TABLE)")
    p.set_defaults(run=create_table)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
