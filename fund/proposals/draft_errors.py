"""What saving a draft's files can go wrong with; the draft services raise these (and
fund/proposals/drafts.py names them for the views)."""

from __future__ import annotations


class FileRefused(Exception):
    """A file that cannot be added or removed; `field` is the form field it came from
    ("safeguarding", "attachment", or a file question's id) and the message is for the user."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class FilesNotStored(Exception):
    """The draft is saved (flushed) but the upload folder could not take its files; `fields`
    name the form fields whose files must be sent again. The caller commits the rest."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields
