"""AWS Lambda entry point (the ASK convention: lambda_function.lambda_handler).

The skill is built once per container, at import, not per request."""

from __future__ import annotations

import os
import sys

# In the repository the package sits one level up; in a built artifact, beside this file.
# (os.path, not pathlib: pathlib would add about 4 ms to every cold start.)
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))

from skill import oplog
from skill.alexa.guard import guarded
from skill.alexa.skill import skill_builder
from skill.store import store_from_env

# The skill-ID rule is skill.alexa.guard's, the same for Lambda and the web service. On Lambda
# the function's Alexa trigger (template.yaml) also names the skill, so a missing SKILL_ID is
# warned about rather than fatal.
SKILL_ID = os.environ.get("SKILL_ID") or None
if SKILL_ID is None:
    oplog.warning(
        {"event": "config", "warning": "SKILL_ID is not set: the skill ID is not checked"}
    )
lambda_handler = guarded(skill_builder(store_from_env()).lambda_handler(), SKILL_ID)
