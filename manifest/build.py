"""Build the Teams app package: manifest.json (from ``manifest.template.json``) plus the two icons.

The template holds everything that does not change between installations (names, descriptions,
commands, scopes); ``{{placeholder}}`` strings in it are filled in here. ``write_manifest_zip`` is
what ``dialoog manifest --app-id ID [--output FILE]`` calls.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from manifest.icons import ACCENT_HEX, COLOR_FILE, ICON_DIR, OUTLINE_FILE

TEMPLATE_PATH = Path(__file__).resolve().parent / "manifest.template.json"
MANIFEST_FILE = "manifest.json"
DEFAULT_OUTPUT = Path("dialoogbot-teams.zip")
APP_VERSION = "1.0.0"  # raise it whenever the manifest or the icons change

_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# the same pattern as the schema's definitions/semver
_SEMVER = re.compile(r"^(?:[0-9]|[1-9]+[0-9]*)\.(?:[0-9]|[1-9]+[0-9]*)\.(?:[0-9]|[1-9]+[0-9]*)$")
_PLACEHOLDER = re.compile(r"^\{\{(\w+)\}\}$")
_ZIP_TIMESTAMP = (2024, 9, 18, 0, 0, 0)  # fixed, so the same input gives the same zip bytes


class ManifestError(ValueError):
    """The manifest cannot be built from the given values (a ValueError, so the CLI reports it)."""


@dataclass(frozen=True)
class Developer:
    """Who publishes the app, as Teams shows it on the app's details page."""

    name: str = "VNG"
    website_url: str = "https://vng.nl"
    privacy_url: str = "https://vng.nl/privacy"
    terms_of_use_url: str = "https://vng.nl/disclaimer"

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > 32:
            raise ManifestError(f"developer name {self.name!r} must be 1 to 32 characters")
        for label, url in (
            ("website", self.website_url),
            ("privacy", self.privacy_url),
            ("terms of use", self.terms_of_use_url),
        ):
            if not url.lower().startswith("https://") or len(url) > 2048:
                raise ManifestError(f"developer {label} URL {url!r} must be an https:// address")


def validate_app_id(app_id: str) -> str:
    """Return the app id (trimmed, lower case) or raise ManifestError if it is not a GUID."""
    candidate = app_id.strip()
    if not _GUID.match(candidate):
        raise ManifestError(
            f"app id {app_id!r} is not a GUID. Teams needs the bot's Microsoft App ID "
            "(from the Azure Bot registration) in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx: "
            "8-4-4-4-12 hexadecimal digits, without braces."
        )
    return candidate.lower()


def build_manifest(
    app_id: str,
    *,
    version: str = APP_VERSION,
    developer: Developer | None = None,
    valid_domains: Sequence[str] = (),
    accent_color: str = ACCENT_HEX,
    dashboard_url: str | None = None,
    sso_client_id: str | None = None,
) -> dict[str, Any]:
    """The manifest.json content for the bot with Microsoft App ID ``app_id``.

    The app id doubles as the Teams app id (one bot per app). ``valid_domains`` stays empty for a
    bot-only app; add a domain only when a card opens pages that must load inside Teams.
    """
    app_id = validate_app_id(app_id)
    if not _SEMVER.match(version):
        raise ManifestError(f"version {version!r} must be MAJOR.MINOR.PATCH, e.g. 1.0.0")
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", accent_color):
        raise ManifestError(f"accent colour {accent_color!r} must look like #1B4F8A")
    developer = developer or Developer()
    values: dict[str, Any] = {
        "appId": app_id,
        "version": version,
        "developerName": developer.name,
        "websiteUrl": developer.website_url,
        "privacyUrl": developer.privacy_url,
        "termsOfUseUrl": developer.terms_of_use_url,
        "accentColor": accent_color,
        "validDomains": list(valid_domains),
    }
    template = json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))
    manifest: dict[str, Any] = _fill(template, values)
    if dashboard_url:
        add_dashboard_tab(manifest, dashboard_url, sso_client_id=sso_client_id)
    return manifest


def add_dashboard_tab(
    manifest: dict[str, Any], dashboard_url: str, *, sso_client_id: str | None = None
) -> None:
    """The facilitator dashboard as a personal tab (the dashboard itself admits facilitators
    only), its host in ``validDomains``; with ``sso_client_id`` (the dashboard's Entra app) the
    ``webApplicationInfo`` Teams single sign-on needs (resource ``api://<host>/<client id>``)."""
    parts = urlsplit(dashboard_url.rstrip("/"))
    if parts.scheme != "https" or not parts.hostname:
        raise ManifestError(f"dashboard URL {dashboard_url!r} must be an https:// address")
    base = f"https://{parts.netloc}{parts.path}"
    # With single sign-on the tab opens the page that signs in with Teams (/dashboard/teams);
    # "open in browser" (websiteUrl) goes to the dashboard with its usual sign-in.
    content = f"{base}/dashboard/teams" if sso_client_id else f"{base}/dashboard"
    manifest["staticTabs"] = [
        {
            "entityId": "dashboard",
            "name": "Dashboard",
            "contentUrl": content,
            "websiteUrl": f"{base}/dashboard",
            "scopes": ["personal"],
        }
    ]
    if parts.netloc not in manifest["validDomains"]:
        manifest["validDomains"].append(parts.netloc)
    if sso_client_id:
        client_id = validate_app_id(sso_client_id)
        manifest["webApplicationInfo"] = {
            "id": client_id,
            "resource": f"api://{parts.netloc}/{client_id}",
        }


def _fill(node: Any, values: Mapping[str, Any]) -> Any:
    """Replace every ``"{{name}}"`` string in the template with ``values[name]``."""
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    if isinstance(node, str) and (match := _PLACEHOLDER.match(node)):
        name = match.group(1)
        if name not in values:
            raise ManifestError(f"manifest template has an unknown placeholder {node}")
        return values[name]
    return node


def write_manifest_zip(
    app_id: str,
    output: Path | str = DEFAULT_OUTPUT,
    *,
    version: str = APP_VERSION,
    developer: Developer | None = None,
    valid_domains: Sequence[str] = (),
    dashboard_url: str | None = None,
    sso_client_id: str | None = None,
) -> Path:
    """Write the app package (manifest.json, color.png, outline.png at the zip root) and return
    its path. ``output`` may be an existing directory; the zip is then named dialoogbot-teams.zip.
    Nothing is written when the values are invalid (ManifestError)."""
    manifest = build_manifest(
        app_id,
        version=version,
        developer=developer,
        valid_domains=valid_domains,
        dashboard_url=dashboard_url,
        sso_client_id=sso_client_id,
    )
    output = Path(output)
    if output.is_dir():
        output = output / DEFAULT_OUTPUT.name
    output.parent.mkdir(parents=True, exist_ok=True)
    entries = {
        MANIFEST_FILE: (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        COLOR_FILE: (ICON_DIR / COLOR_FILE).read_bytes(),
        OUTLINE_FILE: (ICON_DIR / OUTLINE_FILE).read_bytes(),
    }
    # write next to the target and rename, so a failed run never leaves half a zip behind
    fd, tmp_name = tempfile.mkstemp(prefix=".dialoogbot-", suffix=".zip", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            for name, data in entries.items():
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        os.chmod(tmp_name, 0o644)  # mkstemp creates 0600; the package is not a secret
        os.replace(tmp_name, output)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return output
