"""The end-of-fetch report: one block per source that failed or needs attention.

Nothing printed carries credentials: a `user:password@` in any URL (a
source's, a redirect's) is shown as `***@`.
"""

from __future__ import annotations

import re

from .decide import FetchResult

_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@<>'\"]+@")


def redact(text: str) -> str:
    """`text` with the user:password@ part of every URL in it replaced by ***@."""
    return _CREDENTIALS.sub(r"\1***@", text)


def format_report(results: list[FetchResult]) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    new = sum(r.new_articles for r in results)
    lines = [
        f"{len(results)} sources: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        + f"; {new} new articles."
    ]
    for r in results:
        if r.problem or r.warnings:
            label = {"failed": "FAILED", "skipped": "skipped"}.get(r.outcome, "warning")
            lines.append(f"\n{label}: {r.source.name} <{r.source.url}>")
            if r.problem:
                lines.append(f"  what happened: {r.problem}")
            for warning in r.warnings:
                lines.append(f"  note: {warning}")
            if r.advice:
                lines.append(f"  what to do: {r.advice}")
    return redact("\n".join(lines))
