#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (Playwright drives it; we never
# run `playwright install`). Installs it when this runs as root on a machine with apt-get; otherwise says how
# to install it and exits 0, so that `make test` still runs everything else (the browser tests then skip).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium package for the browser tests…"
  if DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null \
     && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null; then
    echo "Chromium installed at $CHROMIUM."
    exit 0
  fi
  echo "Installing chromium with apt-get failed; the browser tests will be skipped." >&2
  exit 0
fi

cat >&2 <<'MSG'
Chromium is not installed at /usr/bin/chromium, so the browser tests (pytest -m browser) will be skipped.
Install it, then run `make test` again:
    sudo apt-get update && sudo apt-get install -y chromium      # Debian / Ubuntu
or run this script as root:  sudo scripts/ensure_chromium.sh
MSG
exit 0
