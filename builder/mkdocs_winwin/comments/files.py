"""The disk side: find and read conversation files, write them back atomically.

`read_all()` reads every `*.comments.yml` under the docs folder and the
moderation file, and checks them all (problems from every file at once).
`BuildCache` keeps what a build read and rendered for the next one.
`dump()` writes the format the loader reads, in a stable order (comments by
date, keys in the documented order, bodies as literal blocks) so a pull that
changes one comment changes a few lines of the diff; `write()` leaves an
unchanged file untouched and replaces a changed one through a temporary file
and `os.replace`, so a crash never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content.schema import Findings, Problem
from .load import iso, parse_conversation, parse_moderation
from .model import MODERATION_FILE, SUFFIX, Comment, Conversation, HideRule, Reaction, page_of
from .moderate import unused_rules


@dataclass(frozen=True)
class Loaded(Findings):
    """Every conversation of a docs folder, the moderation rules, and every problem."""

    conversations: dict[str, Conversation]  # by page path
    rules: tuple[HideRule, ...]
    problems: tuple[Problem, ...]


def find(docs: Path) -> list[str]:
    """The conversation files under the docs folder, docs-relative, sorted."""
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*" + SUFFIX) if p.is_file())


def read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, "", f"cannot be read ({exc})", "save it as UTF-8 text"))
        return None


def read_conversation(docs: Path, rel: str, now: dt.datetime,
                      cache: "BuildCache | None" = None) -> tuple[Conversation, list[Problem]]:
    problems: list[Problem] = []
    text = read_text(docs / rel, rel, problems)
    if text is None:
        return Conversation(page_of(rel)), problems
    if cache is None:
        conversation, found = parse_conversation(text, rel, page_of(rel), now)
        return conversation, problems + found
    return cache.conversation(rel, text, lambda: parse_conversation(text, rel, page_of(rel), now))


FUTURE = "is in the future"


class BuildCache:
    """What earlier builds read and rendered, reused where the input is the same.

    Conversations (with their problems) by file and SHA-1 of its text, and
    the HTML of each by the conversation it shows and the template's source. A result that says a comment
    is in the future is never kept: tomorrow it may not be. The file is a
    pickle in the project's .cache/ (local build state, like the build memo),
    keyed by a digest of the code that makes its contents, so a changed model
    or renderer starts afresh; a damaged file is ignored. Entries no build
    asked for are dropped on save.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self.old: dict = {}
        self.new: dict = {}
        if path is None:
            return
        try:
            with open(path, "rb") as stored:
                version, entries = pickle.load(stored)
            if version == code_digest() and isinstance(entries, dict):
                self.old = entries
        except Exception:  # noqa: BLE001 - any damage or an older layout: start afresh
            self.old = {}

    def _get(self, key, make):
        if key in self.new:
            return self.new[key]
        value = self.old[key] if key in self.old else make()
        self.new[key] = value
        return value

    def conversation(self, rel: str, text: str, make) -> tuple[Conversation, list[Problem]]:
        key = ("conversation", rel, hashlib.sha1(text.encode("utf-8")).hexdigest())
        conversation, problems = self._get(key, lambda: _frozen(make()))
        if any(p.message.endswith(FUTURE) for p in problems):
            del self.new[key]
        return conversation, list(problems)

    def html(self, conversation: Conversation, live_isso: bool, template: str, make) -> str:
        """A conversation's fragment as `template` (a digest of the template's source) renders it."""
        return self._get(("html", conversation, live_isso, template), make)

    def save(self) -> None:
        if self.path is None or self.new.keys() == self.old.keys():
            return
        try:
            write_atomically(self.path, pickle.dumps((code_digest(), self.new), pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError):
            pass  # a cache that cannot be written only costs time


def _frozen(result: tuple[Conversation, list[Problem]]) -> tuple[Conversation, tuple[Problem, ...]]:
    return result[0], tuple(result[1])


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the modules whose objects the cache holds."""
    here = Path(__file__).parent
    digest = hashlib.sha1()
    for name in ("model.py", "load.py", "thread.py", "sanitize.py", "render.py", "files.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def read_all(docs_dir: str | os.PathLike, *, moderation: str = MODERATION_FILE,
             now: dt.datetime | None = None, files: list[str] | None = None,
             cache: "Path | BuildCache | None" = None) -> Loaded:
    """Read and check every conversation file (or the given ones) and the moderation file.

    With `cache` (a BuildCache, or the path of its file) unchanged files are not read again.
    """
    docs = Path(docs_dir)
    now = now or dt.datetime.now(dt.timezone.utc)
    problems: list[Problem] = []
    conversations: dict[str, Conversation] = {}
    parsed = cache if isinstance(cache, BuildCache) else BuildCache(cache) if cache else None
    for rel in find(docs) if files is None else files:
        conversation, found = read_conversation(docs, rel, now, parsed)
        problems += found
        if not (docs / conversation.page).is_file():
            problems.append(Problem(rel, "", f"has no page beside it ({conversation.page} is missing)",
                                    f"rename it after its page (my-post.md -> my-post{SUFFIX}) or delete it",
                                    warning=True))
        conversations[conversation.page] = conversation
    if parsed and not isinstance(cache, BuildCache):
        parsed.save()  # a BuildCache handed in is saved by its owner, once its views are in
    rules: tuple[HideRule, ...] = ()
    if (docs / moderation).is_file():
        text = read_text(docs / moderation, moderation, problems)
        if text is not None:
            rules, found = parse_moderation(text, moderation)
            problems += found + unused_rules(rules, conversations, moderation)
    return Loaded(conversations, rules, tuple(problems))


# --- writing ---------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str):
    # Bodies (and any text with a line break) as literal blocks: they read and diff as written.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


class _Timestamp(str):
    """A date written as a plain YAML scalar (2011-03-04T10:20:30Z), not a quoted string."""


_Dumper.add_representer(_Timestamp, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", str(v)))


def _comment(c: Comment) -> dict:
    out = {"id": c.id}
    if c.parent:
        out["parent"] = c.parent
    out["author"] = c.author
    if c.url:
        out["url"] = c.url
    out["date"] = _Timestamp(iso(c.date, c.date_only))
    out["source"] = c.source
    if c.link:
        out["link"] = c.link
    out["body"] = c.body
    return out


def _reaction(r: Reaction) -> dict:
    return {k: v for k, v in (("id", r.id), ("kind", r.kind), ("author", r.author), ("url", r.url), ("link", r.link)) if v}


def dump(conversation: Conversation) -> str:
    data: dict = {"comments": [_comment(c) for c in sorted(conversation.comments, key=lambda c: (c.date, c.id))]}
    if conversation.reactions:
        data["reactions"] = [_reaction(r) for r in conversation.reactions]
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def write(docs_dir: str | os.PathLike, conversation: Conversation) -> bool:
    """Write a conversation beside its page; False (and no write) when the file already says the same."""
    path = Path(docs_dir) / conversation.file
    text = dump(conversation)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomically(path, text)
    return True


def write_atomically(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp makes the file private (0600); a conversation file keeps its mode, a new one gets 0644.
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as out:
                out.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
