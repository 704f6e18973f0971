#!/usr/bin/env bash
# Rebuilds LiveCloud.sln from every project in the tree (resolves solution-file merge conflicts).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f LiveCloud.sln
dotnet new sln -n LiveCloud --format sln >/dev/null
find src tests samples bench -name '*.csproj' 2>/dev/null | sort | xargs dotnet sln LiveCloud.sln add >/dev/null
