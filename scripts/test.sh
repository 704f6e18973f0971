#!/usr/bin/env bash
# Runs every test of LiveCloud: installs what the tests need, builds with warnings as errors, runs
# every test project and ends with one line of totals: "N passed, N failed, N skipped".
#
#   bash scripts/test.sh          everything: the real nginx, ffmpeg, dnsmasq, Chromium and Node.js parts too
#   bash scripts/test.sh --fast   the unit tests only: no prerequisites installed, every test class tagged
#                                 [Trait("Category", "RealParts")] left out, no mini-program (Node.js) tests
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fast=0
case "${1:-}" in
  "") ;;
  --fast) fast=1 ;;
  *) echo "usage: bash scripts/test.sh [--fast]" >&2; exit 2 ;;
esac

if [ "$fast" -eq 0 ]; then
  bash scripts/prereqs.sh
fi

dotnet build LiveCloud.sln -c Release -warnaserror -nologo -v quiet

filter=()
if [ "$fast" -eq 1 ]; then
  filter=(--filter "Category!=RealParts")
fi

results=$(mktemp -d)
status=0
dotnet test LiveCloud.sln -c Release --no-build --nologo "${filter[@]}" \
  --logger "trx" --results-directory "$results" || status=$?

# Sum the counters of every test run (one .trx per test project).
read -r passed failed skipped < <(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    p += int(c.get("passed")); f += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout")) + int(c.get("aborted"))
    s += int(c.get("total")) - int(c.get("executed"))  # skipped tests: listed, not executed (notExecuted stays 0)
print(p, f, s)
PY
)
runs=$(find "$results" -name '*.trx' | wc -l)
rm -rf "$results"

# The mini-program's page logic, with Node's test runner, against the real live-rooms backend (Release build).
node_status=0
if [ "$fast" -eq 0 ]; then
  # wx.connectSocket runs over Node's WebSocket: built in from Node 22, behind a flag in Node 20.
  ws_flag=""; node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null || ws_flag="--experimental-websocket"
  node_out=$(cd samples/miniprogram && LIVEROOMS_CONFIGURATION=Release node $ws_flag --test --test-reporter=tap 2>&1) || node_status=$?
  printf '%s\n' "$node_out" | grep -E '^(not ok|# (pass|fail|skipped))' || true
  node_count() { printf '%s\n' "$node_out" | sed -n "s/^# $1 \([0-9]*\)$/\1/p" | tail -1; }
  node_pass=$(node_count pass); node_fail=$(node_count fail); node_skip=$(node_count skipped)
  passed=$((passed + ${node_pass:-0})); failed=$((failed + ${node_fail:-0})); skipped=$((skipped + ${node_skip:-0}))
  if [ -z "$node_pass" ]; then failed=$((failed + 1)); printf '%s\n' "$node_out" | tail -20; fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$node_status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$runs" -eq 0 ]; then
  exit 1
fi
