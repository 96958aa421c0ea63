"""The model's error; the user-facing error classes of every layer are defined in `index.errors`."""

from index.errors import IndexMissingError, PageError, UserError


class ModelError(UserError):
    """The language model could not be located, verified, loaded or reached."""


__all__ = ["IndexMissingError", "ModelError", "PageError", "UserError"]
