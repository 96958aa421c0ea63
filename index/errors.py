"""Errors whose message is meant for the user: one line saying what is wrong and how to fix it.

Defined in the lowest layer so that every layer can raise them; `assistant.errors` adds the
model's own error.
"""


class UserError(Exception):
    """A problem the user can fix; the CLI prints the message alone (no stack trace) and exits 2."""


class PageError(UserError):
    """A course page could not be read or understood."""


class IndexMissingError(UserError):
    """There is no index yet; run `expert-chat build`."""
