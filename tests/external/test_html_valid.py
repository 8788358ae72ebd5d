"""Valid HTML: the Nu Html Checker finds no error in the built shipped site.

vnu (npm `vnu-jar`, run with Java) reads every HTML file of the site once;
`--skip-non-html` keeps it off the CSS, JavaScript and XML. The stock theme's
own errors that theme/ cannot reasonably fix are listed, each with its reason,
in tests/vnu-allowlist.txt; our templates may add none.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ALLOWLIST = Path(__file__).with_name("vnu-allowlist.txt")
# A page with one known error, checked in the same run to prove errors get through.
CANARY = "<!doctype html><html lang=en><title>canary</title><p><span></p>"


@dataclass(frozen=True)
class Allowed:
    message: re.Pattern
    extract: re.Pattern
    reason: str
    line: int


def load_allowlist(path: Path = ALLOWLIST) -> list[Allowed]:
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(" | ")]
        if len(fields) != 3 or not all(fields):
            raise ValueError(f"{path}:{number}: expected 'message regex | extract regex | reason', "
                             f"got {line!r}")
        message, extract, reason = fields
        entries.append(Allowed(re.compile(message), re.compile(extract), reason, number))
    return entries


def allowed_by(error: dict, allowlist: list[Allowed]) -> Allowed | None:
    extract = re.sub(r"\s+", " ", error.get("extract", ""))
    return next((a for a in allowlist
                 if a.message.search(error["message"]) and a.extract.search(extract)), None)


def where(error: dict, site: Path) -> str:
    url = error.get("url", "").removeprefix("file:")
    rel = Path(url).relative_to(site) if url.startswith(str(site)) else url
    return f"{rel}:{error.get('lastLine', '?')}: {error['message']} [{error.get('extract', '').strip()}]"


@pytest.fixture(scope="module")
def vnu_report(shipped_site, tmp_path_factory) -> dict[str, list[dict]]:
    """vnu's errors, once for the whole site plus the canary: {'site': [...], 'canary': [...]}."""
    java = shutil.which("java")
    if not java or not VNU.exists():
        missing = "java" if not java else f"{VNU} (run `npm ci`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} is missing under CI: see .ci/run and ./dev test.")
        pytest.skip(f"{missing} is missing: ./dev test installs it")
    canary = tmp_path_factory.mktemp("vnu") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    run = subprocess.run(
        [java, "-jar", str(VNU), "--skip-non-html", "--format", "json", "--exit-zero-always",
         str(shipped_site), str(canary)],
        capture_output=True, text=True, timeout=300,
    )
    # vnu writes its report to stderr, also in JSON format.
    messages = json.loads(run.stderr)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    return {
        "site": [m for m in errors if not m.get("url", "").endswith("/canary.html")],
        "canary": [m for m in errors if m.get("url", "").endswith("/canary.html")],
    }


def test_vnu_reports_a_known_error(vnu_report):
    assert any("span" in m["message"] for m in vnu_report["canary"]), vnu_report["canary"]


def test_site_has_no_html_errors_beyond_the_allowlist(vnu_report, shipped_site):
    allowlist = load_allowlist()
    unexpected = [m for m in vnu_report["site"] if not allowed_by(m, allowlist)]
    assert not unexpected, (
        f"{len(unexpected)} HTML error(s) in the built site (fix the template; only the stock "
        f"theme's own errors may go into {ALLOWLIST.name}):\n"
        + "\n".join(where(m, shipped_site) for m in unexpected[:40])
    )


def test_every_allowlist_entry_is_still_needed(vnu_report):
    allowlist = load_allowlist()
    used = {allowed_by(m, allowlist) for m in vnu_report["site"]}
    stale = [a for a in allowlist if a not in used]
    assert not stale, "entries that match no error any more, remove them from " + ", ".join(
        f"{ALLOWLIST.name}:{a.line}" for a in stale)


def test_allowlist_lines_need_a_reason(tmp_path):
    bad = tmp_path / "allow.txt"
    bad.write_text("# comment\nsome message | <input> |\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"allow.txt:2: expected 'message regex \| extract regex \| reason'"):
        load_allowlist(bad)
