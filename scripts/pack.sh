#!/usr/bin/env bash
# Packs every library and checks each package carries its README, license, XML docs and symbols.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
rm -rf "$out"
# Only the libraries: samples, tests and benchmarks are not packages.
for project in src/*/*.csproj; do
  dotnet pack "$project" -c Release -o "$out" -nologo -v quiet
done
for project in src/*/; do
  id=$(basename "$project")
  nupkg=$(ls "$out/$id".[0-9]*.nupkg 2>/dev/null | grep -v snupkg | head -1 || true)
  [ -n "$nupkg" ] || { echo "pack: no package for $id" >&2; exit 1; }
  [ -f "${nupkg%.nupkg}.snupkg" ] || { echo "pack: no symbols package for $id" >&2; exit 1; }
  listing=$(python3 -c 'import sys,zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$nupkg")
  nuspec=$(python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(z.read([n for n in z.namelist() if n.endswith(".nuspec")][0]).decode())' "$nupkg")
  grep -qx 'README.md' <<<"$listing" || { echo "pack: $id has no README.md" >&2; exit 1; }
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || { echo "pack: $id nuspec names no readme" >&2; exit 1; }
  grep -q '<license type="expression">' <<<"$nuspec" || { echo "pack: $id nuspec has no license expression" >&2; exit 1; }
  for tfm in net8.0 net10.0; do
    grep -qx "lib/$tfm/$id.xml" <<<"$listing" || { echo "pack: $id has no XML docs for $tfm" >&2; exit 1; }
  done
  # The contract package must stay dependency-free: a library that only accepts an IStreamProvider pulls in nothing.
  if [ "$id" = "LiveCloud.Abstractions" ] && grep -q '<dependency ' <<<"$nuspec"; then
    echo "pack: $id must have no dependencies; its nuspec lists: $(grep -o 'dependency id="[^"]*"' <<<"$nuspec" | sort -u | tr '\n' ' ')" >&2
    exit 1
  fi
  echo "pack: $(basename "$nupkg") ok (README, license, XML docs, symbols)"
done
