"""The conversation itself: pure Python, no SDK, no I/O, deterministic."""
