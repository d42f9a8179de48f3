#!/usr/bin/env bash
# Installs the real mail server that the IMAP/SMTP transport tests run against: Dovecot (IMAP and
# LMTP) from Debian's packages. The tests start their own throwaway Dovecot with a temporary
# configuration on free ports of 127.0.0.1 and stop it afterwards (tests/support/mail_server.py);
# the SMTP side is aiosmtpd from the project's test extra. This script only installs, and keeps the
# packaged system service from starting. Safe to run again: it does nothing when all is there.
set -euo pipefail

if [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/lmtp ]; then
    echo "mail-servers: Dovecot (imap, lmtp) is installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

# Do not let the packages start the system-wide Dovecot on ports 143/993 while installing.
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    trap '$SUDO rm -f "$POLICY"' EXIT
fi

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends dovecot-imapd dovecot-lmtpd >/dev/null
echo "mail-servers: installed $(/usr/sbin/dovecot --version)"
