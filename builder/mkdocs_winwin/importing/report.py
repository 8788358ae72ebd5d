"""What an import did, left out and needs fixing, as text for the terminal."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .model import LeftOut, Problem


@dataclass
class Report:
    source: str
    kind_label: str
    is_feed: bool = False
    dry_run: bool = False
    posts: int = 0
    pages: int = 0
    drafts: int = 0
    comments_kept: int = 0
    left_out: list[LeftOut] = field(default_factory=list)
    images_fetched: int = 0
    images_planned: int = 0  # dry run: would be fetched; --no-images: left remote
    images_off: bool = False  # --no-images
    images_remote: dict[str, str] = field(default_factory=dict)  # url -> why (and post)
    redirects: int = 0
    pages_dir: str = "pages"
    written: list[str] = field(default_factory=list)  # new files
    updated: list[str] = field(default_factory=list)  # comments/authors files with new entries
    unchanged: int = 0  # posts already imported and left as they are
    skipped_older: int = 0
    problems: list[Problem] = field(default_factory=list)
    urls: list[tuple[str, str]] = field(default_factory=list)  # old URL -> new URL

    def render(self) -> str:
        verb = "Would write" if self.dry_run else "Wrote"
        out = [f"Imported from {self.source}: {self.kind_label}." if not self.dry_run else
               f"Dry run of {self.source}: {self.kind_label}. Nothing was written."]
        if self.is_feed:
            out.append("Note: a feed holds only the blog's last items and no comments; for the whole blog, "
                       "import its export file (Blogger: Settings > Back up content; WordPress: Tools > Export).")
        out.append(f"Posts: {self.posts} (of which {self.drafts} drafts), pages: {self.pages}"
                   + (f", already imported and left as they are: {self.unchanged}" if self.unchanged else "")
                   + (f", older than --since: {self.skipped_older}" if self.skipped_older else "") + ".")
        reasons = Counter(item.reason for item in self.left_out if item.what == "comment")
        out.append(f"Comments kept: {self.comments_kept}; left out: {sum(reasons.values())}"
                   + (" (" + ", ".join(f"{n} {why}" for why, n in sorted(reasons.items())) + ")" if reasons else "")
                   + ".")
        entries = [item for item in self.left_out if item.what != "comment"]
        if entries:
            out.append("Entries left out: " + "; ".join(f"{e.what} '{e.title}' ({e.reason})" for e in entries) + ".")
        if self.images_off:
            out.append(f"Images: not fetched (--no-images); {self.images_planned} of the old blog stay remote.")
        elif self.dry_run:
            out.append(f"Images: would fetch up to {self.images_planned} from the old blog.")
        else:
            out.append(f"Images fetched: {self.images_fetched}; left remote: {len(self.images_remote)}.")
        for url, why in sorted(self.images_remote.items()):
            out.append(f"  - {url}: {why}")
        out.append(f"Redirects from old addresses: {self.redirects}.")
        if self.pages:
            out.append(f"Pages are in {self.pages_dir}/: if mkdocs.yml lists a 'nav:', add them there.")
        out.append(f"{verb} {len(self.written)} new files" + (f", added to {len(self.updated)}" if self.updated else "")
                   + ".")
        for path in self.written + self.updated:
            out.append(f"  {'+' if path in self.written else '~'} {path}")
        if self.problems:
            out.append(f"Problems ({len(self.problems)}), each with what to do:")
            out.extend(f"  - {problem}" for problem in self.problems)
        if self.urls:
            out.append("Old to new addresses (for the old host's redirects if the domain changes):")
            out.extend(f"  {old} -> {new}" for old, new in self.urls)
        return "\n".join(out)
