"""The one error family of winwin: every error names where, what, and the fix.

A user's mistake (a bad setting, a broken file, a failing feed) is one of
these, never a traceback. The MkDocs glue turns them into `PluginError`, the
CLI into a message and exit status 1.
"""

from __future__ import annotations


class WinwinError(Exception):
    """A problem the user can fix.

    `where` is a file, a setting's path or a feed URL; `key` the key inside it
    (optional); `fix` one sentence on what to do.
    """

    def __init__(self, where: str, message: str, fix: str = "", *, key: str = "") -> None:
        self.where, self.message, self.fix, self.key = where, message, fix, key
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.where}: '{self.key}'" if self.key else self.where
        text = f"{head}: {self.message}" if head else self.message
        return f"{text}. Fix: {self.fix}" if self.fix else text


class ConfigError(WinwinError):
    """A plugin setting in mkdocs.yml is wrong."""


class ContentError(WinwinError):
    """A file in the docs folder is wrong (front matter, .authors.yml, picks.yml, comments)."""


class SourceError(WinwinError):
    """A feed, an export or a comment source could not be read or understood."""


class StoreError(WinwinError):
    """The reading-list store is damaged, locked or unwritable."""
