"""The blog's authors, added to Material's `.authors.yml` as written.

Material's blog requires a name, a description and an avatar for each
author. The avatar is the author's picture when the export gives one that
can be fetched, else a small generated SVG of their initials, stored in the
site: no page asks an avatar service (Gravatar and the like) for anything,
and no e-mail address (or its hash) is needed for it. An author's own e-mail
is kept only with --keep-emails.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import ConfigError, ContentError
from . import files
from .fetch import Fetcher, FetchFailed
from .images import image_kind
from .model import Export, ImportedAuthor
from .write import Staging

if TYPE_CHECKING:
    from .run import Options


class Authors:
    """The site's authors file: who is there already, who the import adds."""

    def __init__(self, export: Export, options: "Options", staging: Staging, fetcher: Fetcher | None) -> None:
        self.export, self.options, self.staging, self.fetcher = export, options, staging, fetcher
        self.existing: dict[str, Any] = {}  # id -> entry, as in the file
        self.new: dict[str, dict[str, Any]] = {}  # id -> entry to add
        self.ids: dict[str, str] = {}  # the export's author key -> id

    def load(self) -> dict[str, Any]:
        """Read the authors already there; refuse a file that is not an authors file."""
        data = self.staging.read(self.options.authors_file)
        if data is None:
            return {}
        try:
            loaded = yaml.safe_load(data.decode("utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError):
            raise ContentError(self.options.authors_file, "is not valid YAML, so imported authors cannot be added",
                               "fix it (winwin check shows where), then import again") from None
        if not isinstance(loaded, dict) or not isinstance(loaded.get("authors") or {}, dict):
            raise ContentError(self.options.authors_file, "is not a mapping with 'authors:' and one entry per id",
                               "fix it (winwin check shows how), then import again; nothing was written")
        self.existing = loaded.get("authors") or {}
        return self.existing

    def id_for(self, key: str) -> str:
        """The site's author id for an export's author (--author for all), adding the author if new."""
        if self.options.author:
            if self.options.author not in self.existing:
                raise ConfigError(self.options.authors_file, f"has no author '{self.options.author}' (--author)",
                                  f"use one of: {', '.join(sorted(self.existing)) or '(none yet)'}, "
                                  "or leave --author out to add the blog's own authors")
            return self.options.author
        if key in self.ids:
            return self.ids[key]
        author = next((a for a in self.export.authors if a.key == key), None) or \
            ImportedAuthor(key or "", key or self.export.title or "Imported")
        ident = files.author_id(author.name)
        if ident not in self.existing and ident not in self.new:
            self.new[ident] = self._entry(ident, author)
        self.ids[key] = ident
        return ident

    def _entry(self, ident: str, author: ImportedAuthor) -> dict[str, Any]:
        avatar = f"assets/imported/avatars/{ident}"
        path = None
        if author.avatar_url and self.fetcher is not None:
            try:
                got = self.fetcher.get(author.avatar_url, 1024 * 1024)
                kind = image_kind(got.data)
                if kind and got.content_type.startswith("image/"):
                    path = f"{avatar}.{kind}"
                    self.staging.add(path, got.data)
            except FetchFailed:
                path = None
        if path is None:
            path = f"{avatar}.svg"
            self.staging.add(path, files.initials_avatar(author.name).encode("utf-8"))
        entry: dict[str, Any] = {
            "name": files.clean_author(author.name),
            "description": f"Wrote on {self.export.title}" if self.export.title else "Imported author",
            "avatar": posixpath.relpath(path, self.options.blog_dir),
        }
        if files.clean_url(author.url):
            entry["url"] = files.clean_url(author.url)
        if self.options.keep_emails and author.email:
            entry["email"] = author.email
        return entry

    def write(self) -> None:
        """Stage .authors.yml with the new authors appended (the file as written), or rewritten if need be."""
        if not self.new:
            return
        rel = self.options.authors_file
        old = self.staging.read(rel)
        addition = files.dump({"authors": self.new})
        if old is None:
            self.staging.add(rel, addition.encode("utf-8"))
            return
        # Append under the existing 'authors:' so the user's comments and layout stay as written.
        text = old.decode("utf-8")
        text = (text if text.endswith("\n") else text + "\n") + addition.split("\n", 1)[1]
        original = yaml.safe_load(old.decode("utf-8")) or {}  # read fine in load()
        try:
            appended = yaml.safe_load(text)
            ok = appended == {**original, "authors": {**self.existing, **self.new}}
        except yaml.YAMLError:
            ok = False
        if not ok:
            # 'authors:' is not the file's last key, or is written inline: rewrite it whole,
            # every other key kept (its comments are lost, its content is not).
            text = files.dump({**original, "authors": {**self.existing, **self.new}})
        self.staging.add(rel, text.encode("utf-8"))
