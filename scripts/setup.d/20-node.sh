#!/usr/bin/env bash
# Node.js and npm for the Microsoft 365 Agents Playground end-to-end tests (the tests install the
# pinned Playground themselves with `npm ci` in tests/e2e).
set -euo pipefail
if command -v node >/dev/null && command -v npm >/dev/null; then
    exit 0
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
