"""The importer's own errors: anything else escaping it is a bug."""


class IngestError(Exception):
    """Base class for every problem the importer reports to the user."""


class UnreadableFile(IngestError):
    """The whole file cannot be used; the message is one sentence naming the file."""
