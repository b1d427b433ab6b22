"""Local text console: drive the real skill with typed utterances instead of a device."""
