#!/usr/bin/env bash
# The LiveCloud demo: installs nginx-rtmp and ffmpeg when missing, then drives a real local nginx-rtmp
# server through IStreamProvider — signed push, online state, signed HLS play, recording, a forged push
# refused, a cost comparison — and stops everything it started. Exits 0 only if every step worked.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

LIVECLOUD_DEMO_ONLY=1 bash scripts/prereqs.sh
dotnet build samples/LiveCloud.Demo -c Release -nologo -v quiet
dotnet run --project samples/LiveCloud.Demo -c Release --no-build
