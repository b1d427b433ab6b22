"""ask-sdk-core glue: handlers map a request to an engine event; nothing else lives here."""
