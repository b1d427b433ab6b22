"""`python -m skill`: the `checkin` command, for when its script is not on PATH."""

import sys

from skill.cli import main

if __name__ == "__main__":
    sys.exit(main())
