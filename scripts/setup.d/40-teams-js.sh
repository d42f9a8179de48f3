#!/usr/bin/env bash
# TeamsJS (@microsoft/teams-js, MIT, pinned in scripts/teams-js) for the dashboard's Teams tab:
# installed from the npm registry and copied, with its licence, to bot/web/static/vendor/teams-js
# (git-ignored), where the bot serves it itself — no CDN. Without it the tab page says so in Dutch
# and links to the dashboard in the browser. Needs node and npm (20-node.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
target=bot/web/static/vendor/teams-js
package=scripts/teams-js/node_modules/@microsoft/teams-js
if [ ! -f "$package/dist/umd/MicrosoftTeams.min.js" ]; then
    npm ci --prefix scripts/teams-js --no-audit --no-fund --silent
fi
mkdir -p "$target"
cp "$package/dist/umd/MicrosoftTeams.min.js" "$target/MicrosoftTeams.min.js"
cp "$package/LICENSE" "$target/LICENSE.txt"
