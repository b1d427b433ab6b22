"""Our Check-In: an Alexa skill that guides a couple through a short ritual of connection."""
