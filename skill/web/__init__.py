"""The web service for self-hosting: Flask, with Alexa request verification on `cryptography`.

Production (gunicorn, from the `server` extra: pip install '.[server]'):

    gunicorn --workers 2 --bind 0.0.0.0:8080 'skill.web:create_app()'

Put it behind a TLS-terminating proxy (Alexa only calls https endpoints) and point the skill's
endpoint at https://<your host>/alexa. The store comes from the environment (CHECKIN_DB or
CHECKIN_TABLE, see skill.store), the skill ID from SKILL_ID: with verification on, the
service refuses to start without it (skill.alexa.guard.NoSkillId says why).

Development (Flask's threaded dev server, verification on):

    checkin serve --host 127.0.0.1 --port 8080

`--no-verify` turns verification off, for local tools that cannot sign requests, and
`--any-skill` starts without SKILL_ID; both only on a loopback host.
"""

from skill.web.app import MAX_BODY, create_app
from skill.web.certs import Rejected

__all__ = ["MAX_BODY", "Rejected", "create_app"]
