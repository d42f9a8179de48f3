#!/usr/bin/env bash
# The real IMAP server (Dovecot) the mail transport tests run against.
exec bash "$(dirname "$0")/../mail-servers.sh"
