#!/usr/bin/env bash
# Records the public API of every library in its PublicAPI.Unshipped.txt (Microsoft.CodeAnalysis.PublicApiAnalyzers).
# The build fails on a public change that is not recorded (RS0016) or a recorded one that is gone (RS0017); after a
# deliberate change, run this, then read the diff of src/*/PublicAPI.Unshipped.txt before committing it.
# At a release, move the lines of PublicAPI.Unshipped.txt into PublicAPI.Shipped.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for project in src/*/*.csproj; do
  dir=$(dirname "$project")
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  dotnet build "$project" -c Release --no-incremental -nologo -v quiet -p:TreatWarningsAsErrors=false > "$log" 2>&1 || true
  python3 - "$dir" "$log" <<'PY'
import re, sys
folder, log = sys.argv[1], open(sys.argv[2]).read()
symbols = set(re.findall(r"warning RS0016: Symbol '(.+?)' is not part of the declared public API \(.*?\) \[[^\]]*" + re.escape(folder.rstrip('/').split('/')[-1]) + r"\.csproj", log))
shipped = set(l.strip() for l in open(folder + "/PublicAPI.Shipped.txt") if l.strip() and not l.startswith('#'))
lines = sorted(symbols - shipped)
with open(folder + "/PublicAPI.Unshipped.txt", "w") as f:
    f.write("#nullable enable\n" + "".join(l + "\n" for l in lines))
print(f"{folder}: {len(lines)} public symbols recorded")
PY
done
