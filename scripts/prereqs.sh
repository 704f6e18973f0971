#!/usr/bin/env bash
# Installs the real parts the tests, the demo and the live-rooms sample run against: nginx with the
# RTMP module, ffmpeg (push, probe), dnsmasq (CNAME checks), Node.js + npm (the web page's player
# libraries, the mini-program page tests) and, for the tests only, Chromium (the web page test), PostgreSQL and Redis
# (the live-rooms scale-out tests). As root it installs what is missing with apt-get; otherwise
# it prints the exact command and fails. Then, for the tests, the vendors' official SDKs the referee tests run
# (tests/referees, pinned by its package-lock.json), with npm ci.
set -euo pipefail

missing=()
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
[ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || missing+=(libnginx-mod-rtmp)
{ command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; } || missing+=(ffmpeg)
command -v dnsmasq >/dev/null 2>&1 || [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# PostgreSQL and Redis for the live-rooms scale-out tests (two instances on one database and one backplane); the
# tests start their own servers on free loopback ports, so the packages' own services may stay stopped.
if [ "${LIVECLOUD_DEMO_ONLY:-}" != "1" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
fi
# Chromium is for the web page's browser test only; the demo (LIVECLOUD_DEMO_ONLY=1) does not need it.
if [ "${LIVECLOUD_DEMO_ONLY:-}" != "1" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages: ${missing[*]}. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi

  echo "Installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The referee SDKs: installed again only when the lock file changed (install scripts are not needed and not run).
if [ "${LIVECLOUD_DEMO_ONLY:-}" != "1" ]; then
  referees="$(cd "$(dirname "$0")/../tests/referees" && pwd)"
  if ! cmp -s "$referees/package-lock.json" "$referees/node_modules/.livecloud-installed-lock.json"; then
    echo "Installing the referee SDKs (npm ci in tests/referees) ..."
    (cd "$referees" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$referees/package-lock.json" "$referees/node_modules/.livecloud-installed-lock.json"
  fi
fi
