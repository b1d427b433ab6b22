"""AWS Lambda entry point (the ASK convention: lambda_function.lambda_handler).

The skill is built once per container, at import, not per request."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

# In the repository the package sits one level up; in a built artifact, beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from skill.alexa.guard import guarded
from skill.alexa.skill import skill_builder
from skill.store import store_from_env

logging.getLogger("checkin").setLevel(os.environ.get("LOG_LEVEL", "INFO"))

SKILL_ID = os.environ.get("SKILL_ID") or None
lambda_handler = guarded(
    skill_builder(store_from_env(), skill_id=SKILL_ID).lambda_handler(), SKILL_ID
)
