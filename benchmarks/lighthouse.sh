#!/usr/bin/env bash
# Lighthouse scores of the shipped site, one page per page type (not in CI).
#
#   benchmarks/lighthouse.sh            three runs per page, medians printed
#   RUNS=5 benchmarks/lighthouse.sh
#
# Builds the site (strict) into a temporary folder, serves it gzipped on 127.0.0.1,
# runs lighthouse@12.2.3 (mobile preset: Lighthouse's default) with Debian's
# chromium, and prints the median of each category per page, then every audit
# that kept a category below 100 in the median run. Targets: accessibility,
# best practices and SEO 100; performance at least 95. Performance moves by
# about 0.04 between runs on a shared machine, hence the median.
# Lighthouse is installed on first use into .cache/lighthouse (13.x wants
# Node 22; 12.2.3 runs on Node 20), apart from the test suite's package.json.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
PORT=${PORT:-8765}
LH_DIR=.cache/lighthouse
LH="$LH_DIR/node_modules/.bin/lighthouse"
PY=.venv/bin/python
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

[ -x "$PY" ] || { echo "no $PY: run ./dev test once first" >&2; exit 1; }
if [ ! -x "$LH" ]; then
  mkdir -p "$LH_DIR"
  npm install --prefix "$LH_DIR" --no-save --no-audit --no-fund --silent lighthouse@12.2.3
fi

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

.venv/bin/winwin build --strict --site-dir "$work/site" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
# Text gzipped, as a static host serves it (benchmarks/serve_gzip.py).
find "$work/site" -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.json' \
  -o -name '*.xml' -o -name '*.svg' \) -exec gzip -kf9 {} +
"$PY" benchmarks/serve_gzip.py "$PORT" "$work/site" &
server=$!
for _ in $(seq 50); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.1
done

mkdir -p "$work/reports"
"$PY" -m tests.page_types "$work/site" | while read -r name path; do
  for run in $(seq "$RUNS"); do
    echo "lighthouse: $name (/$path) run $run/$RUNS" >&2
    "$LH" "http://127.0.0.1:$PORT/$path" --quiet \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --output=json --output-path="$work/reports/$name.$run.json" </dev/null
  done
done

"$PY" - "$work/reports" <<'EOF'
import json, statistics, sys
from pathlib import Path

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
reports = {}
for f in sorted(Path(sys.argv[1]).glob("*.json")):
    reports.setdefault(f.name.rsplit(".", 2)[0], []).append(json.loads(f.read_text()))

print(f"{'page':14} " + " ".join(f"{c:>14}" for c in CATEGORIES))
low = []
for name, runs in reports.items():
    medians = []
    for c in CATEGORIES:
        scores = sorted(r["categories"][c]["score"] for r in runs)
        median = statistics.median(scores)
        medians.append(round(median * 100))
        if median < 1:
            run = min(runs, key=lambda r: abs(r["categories"][c]["score"] - median))
            for ref in run["categories"][c]["auditRefs"]:
                audit = run["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    low.append(f"{name}: {c}: {ref['id']} ({audit['score']}) {audit.get('displayValue', '')}")
    print(f"{name:14} " + " ".join(f"{m:>14}" for m in medians))
if low:
    print("\naudits below 100 in the median run:")
    print("\n".join(low))
EOF
