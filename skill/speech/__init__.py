"""Turning the engine's speech (text and silences) into SSML, and into readable console text."""
