"""Errors a user can act on: where, what was expected, what was found, and the fix."""

from __future__ import annotations


class SpeechtagError(ValueError):
    """Base of every error the CLI reports as one line and exit code 1."""


class InputError(SpeechtagError):
    """A file, row or value the toolkit cannot use.

    The message names the place (``file`` and, where there is one, ``line``),
    what was expected, what was found, and how to fix it.
    """

    def __init__(
        self,
        source: str,
        expected: str,
        found: str,
        fix: str,
        line: int | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.expected = expected
        self.found = found
        self.fix = fix
        where = f"{source}:{line}" if line is not None else str(source)
        super().__init__(f"{where}: expected {expected}, found {found}. {fix}")

    def __reduce__(self):
        # Rebuilt from its parts, so it crosses process boundaries (--jobs) intact.
        return type(self), (self.source, self.expected, self.found, self.fix, self.line)


class ModelError(SpeechtagError):
    """A model directory that cannot be loaded safely."""
