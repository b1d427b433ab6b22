"""GET /audio/<file>: the rendered meditations, for a self-hosted skill (CHECKIN_AUDIO_URL
is then https://<your host>/audio/, behind the same HTTPS proxy as /alexa).

The folder is CHECKIN_AUDIO_DIR (what `checkin render-audio --out` wrote); unset, every
/audio/ request is a 404. Only names of the form <id>.<8 hex>.mp3 and manifest.json are
served, never a path. werkzeug's send_file(conditional=True) answers Range requests (206 with
Content-Range) and If-None-Match / If-Modified-Since (304). An MP3's name carries its version,
so it is cached for a year as immutable; the manifest for five minutes.
"""

from __future__ import annotations

import os
import re

from flask import Blueprint, Response, abort, send_file

AUDIO_DIR_ENV = "CHECKIN_AUDIO_DIR"
AUDIO_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.[0-9a-f]{8}\.mp3$")
YEAR = 365 * 24 * 3600


def audio_blueprint() -> Blueprint:
    blueprint = Blueprint("audio", __name__)

    @blueprint.get("/audio/<name>")
    def audio(name: str) -> Response:
        folder = os.environ.get(AUDIO_DIR_ENV, "").strip()
        is_mp3 = AUDIO_NAME.match(name) is not None
        if not folder or not (is_mp3 or name == "manifest.json"):
            abort(404)
        path = os.path.join(os.path.abspath(folder), name)
        if not os.path.isfile(path):
            abort(404)
        response = send_file(
            path,
            mimetype="audio/mpeg" if is_mp3 else "application/json",
            conditional=True,
            etag=True,
            max_age=YEAR if is_mp3 else 300,
        )
        response.headers["Accept-Ranges"] = "bytes"
        if is_mp3:
            response.cache_control.immutable = True
        response.cache_control.public = True
        return response

    return blueprint
