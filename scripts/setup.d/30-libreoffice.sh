#!/usr/bin/env bash
# LibreOffice (headless) and poppler's pdftoppm: tests and `bench/report.py` render the report's
# first pages to PNG to look at them (tests/bot/reporting/test_docx_pages.py).
set -euo pipefail
if command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then
    exit 0
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui poppler-utils \
    fonts-dejavu-core >/dev/null
