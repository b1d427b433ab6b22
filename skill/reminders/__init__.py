"""The couple's weekly reminder: the schedule and its words (schedule.py, pure), the consent
directive, card and answer (consent.py, pure), and the Alexa APIs (client.py, the edge).

Nothing is imported here: the skill's cold start reads consent.py only (a Connections.Response
handler is registered at start); schedule.py (time zones) and client.py (requests) are
imported when a reminder is set, read, moved or stopped."""
