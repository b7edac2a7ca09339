"""Errors the user can act on. Each carries a one-line message, printed as is by the CLI."""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error whose message is meant for the user (one line, in French)."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        # One line, always: a multi-line message is folded so the CLI prints one line.
        super().__init__(" ".join(message.split()))


class InputError(AssistantError):
    """A question, a flag or a filter the user gave is not valid."""


class CorpusError(AssistantError):
    """The corpus folder or a document's metadata is not valid."""


class DocumentError(AssistantError):
    """One document cannot be read. It is reported and skipped; the others go on."""


class IndexError_(AssistantError):
    """The index cannot be opened or written."""
