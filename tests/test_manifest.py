"""The Teams app package: a schema-valid manifest, the icons, the commands, the app id check."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.exceptions import NoSuchResource

from manifest import icons
from manifest.build import Developer, ManifestError, build_manifest, write_manifest_zip

SCHEMA_PATH = (
    Path(__file__).resolve().parents[1].parent
    / "shared/reference/teams/MicrosoftTeams.schema.v1.29.json"
)
APP_ID = "3f2c8a41-9b7e-4d2a-a1c5-7e0f9b6d2c84"
ADVERTISED_COMMANDS = ["help", "status", "mijn antwoorden", "afmelden"]


def _refuse_remote(uri: str) -> Any:
    raise NoSuchResource(ref=uri)  # no network in tests: every $ref must resolve inside the file


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    if not SCHEMA_PATH.is_file():
        pytest.fail(
            f"Teams manifest schema not found at {SCHEMA_PATH}. It belongs in shared/ beside the "
            "project (shared/reference/teams/MicrosoftTeams.schema.v1.29.json); the manifest "
            "cannot be validated without it."
        )
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # The file declares draft-04 but uses later keywords ("const", "if"/"then"), which a draft-04
    # validator silently ignores. Draft 7 understands all keywords the file uses, so validate with
    # draft-07 semantics; references resolve within the file only. The schema is checked against
    # the draft-07 meta-schema without format checks: some patterns use ECMAScript's \p{L},
    # which Python's re cannot compile (they sit under "extensions", which this app does not use).
    meta_errors = list(Draft7Validator(Draft7Validator.META_SCHEMA).iter_errors(schema))
    assert meta_errors == [], [e.message for e in meta_errors]
    return Draft7Validator(
        schema,
        registry=Registry(retrieve=_refuse_remote),
        format_checker=Draft7Validator.FORMAT_CHECKER,
    )


def _errors(validator: Draft7Validator, manifest: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
    ]


@pytest.fixture
def package(tmp_path: Path) -> Iterator[zipfile.ZipFile]:
    path = write_manifest_zip(APP_ID, tmp_path / "out" / "dialoogbot.zip")
    assert path == tmp_path / "out" / "dialoogbot.zip"
    with zipfile.ZipFile(path) as archive:
        yield archive


def test_package_holds_manifest_and_icons_at_the_root(package: zipfile.ZipFile) -> None:
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]


def test_packaged_manifest_is_valid_against_the_v1_29_schema(
    package: zipfile.ZipFile, validator: Draft7Validator
) -> None:
    manifest = json.loads(package.read("manifest.json").decode("utf-8"))
    assert _errors(validator, manifest) == []
    assert manifest["manifestVersion"] == "1.29"
    assert manifest["$schema"].endswith("/teams/v1.29/MicrosoftTeams.schema.json")


def test_validation_really_applies_the_schema(validator: Draft7Validator) -> None:
    """Guards the validator choice: a draft-04 validator would ignore `const` and pass this."""
    manifest = build_manifest(APP_ID)
    manifest["manifestVersion"] = "1.28"
    manifest["bots"][0]["botId"] = "not-a-guid"
    errors = _errors(validator, manifest)
    assert any(e.startswith("manifestVersion") for e in errors), errors
    assert any(e.startswith("bots/0/botId") for e in errors), errors


def test_manifest_describes_a_personal_conversational_bot() -> None:
    manifest = build_manifest(APP_ID, version="2.3.4")
    assert manifest["id"] == APP_ID
    assert manifest["version"] == "2.3.4"
    assert manifest["name"] == {
        "short": "Dialoogbot",
        "full": "Verenigingsdialoog regionale samenwerking",
    }
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert bot["scopes"] == ["personal"]
    assert bot["supportsFiles"] is True  # the report goes to facilitators as a file
    assert bot["isNotificationOnly"] is False
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["validDomains"] == []
    assert manifest["accentColor"] == icons.ACCENT_HEX


def test_manifest_lists_the_commands_with_dutch_descriptions() -> None:
    (command_list,) = build_manifest(APP_ID)["bots"][0]["commandLists"]
    assert command_list["scopes"] == ["personal"]
    assert [c["title"] for c in command_list["commands"]] == ADVERTISED_COMMANDS
    descriptions = {c["title"]: c["description"] for c in command_list["commands"]}
    assert descriptions["help"] == "Uitleg over de dialoog en de commando's"
    assert all(0 < len(d) <= 128 for d in descriptions.values())


def test_every_advertised_command_is_understood_by_the_engine() -> None:
    from dialogen.conversation.engine import COMMAND_WORDS

    missing = [title for title in ADVERTISED_COMMANDS if title not in COMMAND_WORDS]
    assert missing == [], (
        f"manifest advertises commands the dialogue engine does not know: {missing}"
    )


def test_developer_urls_are_configurable() -> None:
    developer = Developer(
        name="Gemeente Voorbeeld",
        website_url="https://www.voorbeeld.nl",
        privacy_url="https://www.voorbeeld.nl/privacy",
        terms_of_use_url="https://www.voorbeeld.nl/voorwaarden",
    )
    manifest = build_manifest(APP_ID, developer=developer)
    assert manifest["developer"] == {
        "name": "Gemeente Voorbeeld",
        "websiteUrl": "https://www.voorbeeld.nl",
        "privacyUrl": "https://www.voorbeeld.nl/privacy",
        "termsOfUseUrl": "https://www.voorbeeld.nl/voorwaarden",
    }
    with pytest.raises(ManifestError, match="https://"):
        Developer(privacy_url="http://voorbeeld.nl/privacy")


@pytest.mark.parametrize(
    "bad_id",
    [
        "",
        "dialoogbot",
        "3f2c8a41-9b7e-4d2a-a1c5-7e0f9b6d2c8",
        "{3f2c8a41-9b7e-4d2a-a1c5-7e0f9b6d2c84}",
        "3f2c8a419b7e4d2aa1c57e0f9b6d2c84",
        "3f2c8a41-9b7e-4d2a-a1c5-7e0f9b6d2c8g",
    ],
)
def test_a_non_guid_app_id_is_rejected_with_a_clear_message(tmp_path: Path, bad_id: str) -> None:
    output = tmp_path / "dialoogbot.zip"
    with pytest.raises(
        ValueError, match=r"is not a GUID.*xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
    ) as caught:
        write_manifest_zip(bad_id, output)
    assert isinstance(caught.value, ManifestError)
    assert not output.exists()
    assert list(tmp_path.iterdir()) == []


def test_app_id_is_normalised() -> None:
    assert build_manifest(f"  {APP_ID.upper()} ")["id"] == APP_ID


def test_invalid_version_is_rejected() -> None:
    with pytest.raises(ManifestError, match="MAJOR.MINOR.PATCH"):
        build_manifest(APP_ID, version="1.0")


def test_output_may_be_a_directory_and_builds_are_reproducible(tmp_path: Path) -> None:
    first = write_manifest_zip(APP_ID, tmp_path)
    assert first == tmp_path / "dialoogbot-teams.zip"
    again = write_manifest_zip(APP_ID, tmp_path / "again.zip")
    assert first.read_bytes() == again.read_bytes()


# ---------------------------------------------------------------- icons


def test_color_icon_is_192_pixels_and_opaque(package: zipfile.ZipFile) -> None:
    image = icons.decode_png(package.read("color.png"))
    assert (image.width, image.height) == (192, 192)
    assert all(alpha == 255 for *_, alpha in image.pixels)
    assert len({p[:3] for p in image.pixels}) > 3, "the colour icon should not be a flat square"


def test_outline_icon_is_32_pixels_white_on_transparent(package: zipfile.ZipFile) -> None:
    image = icons.decode_png(package.read("outline.png"))
    assert (image.width, image.height) == (32, 32)
    assert image.color_type == 6, "the outline icon needs an alpha channel"
    visible = [p for p in image.pixels if p[3] > 0]
    assert visible, "the outline icon is empty"
    assert any(p[3] == 0 for p in image.pixels), "the outline icon needs a transparent background"
    assert {p[:3] for p in visible} == {(255, 255, 255)}, "outline pixels must be white"


def test_committed_icons_match_the_generator() -> None:
    assert (icons.ICON_DIR / icons.OUTLINE_FILE).read_bytes() == icons.outline_icon(), (
        "manifest/outline.png is out of date: run `python -m manifest.icons`"
    )
    assert (icons.ICON_DIR / icons.COLOR_FILE).read_bytes() == icons.color_icon(), (
        "manifest/color.png is out of date: run `python -m manifest.icons`"
    )


def test_png_decoder_handles_every_filter_type() -> None:
    """decode_png must read PNGs written by other tools too (they filter rows)."""
    import struct
    import zlib

    width, height = 3, 5
    pixels = [
        (x * 40, y * 30, (x + y) * 20, 255 - x * 10) for y in range(height) for x in range(width)
    ]
    raw = bytearray()
    previous = bytes(width * 4)
    for y in range(height):
        line = bytes(v for p in pixels[y * width : (y + 1) * width] for v in p)
        kind = y  # filters 0..4, one per row
        out = bytearray()
        for i, value in enumerate(line):
            left = line[i - 4] if i >= 4 else 0
            up = previous[i]
            upper_left = previous[i - 4] if i >= 4 else 0
            predictor = [0, left, up, (left + up) // 2, icons._paeth(left, up, upper_left)][kind]
            out.append((value - predictor) & 0xFF)
        raw += bytes([kind]) + out
        previous = line

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(bytes(raw)))
        + chunk(b"IEND", b"")
    )
    assert icons.decode_png(png).pixels == pixels


DASHBOARD_CLIENT = "9d2f4b6a-1c3e-4f5a-8b7c-6d5e4f3a2b1c"


def test_the_dashboard_tab_keeps_the_manifest_valid(
    tmp_path: Path, validator: Draft7Validator
) -> None:
    path = write_manifest_zip(
        APP_ID,
        tmp_path / "tab.zip",
        dashboard_url="https://dialoog.gemeente.example/",
        sso_client_id=DASHBOARD_CLIENT,
    )
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json").decode("utf-8"))
    assert _errors(validator, manifest) == []
    (tab,) = manifest["staticTabs"]
    assert tab["contentUrl"] == "https://dialoog.gemeente.example/dashboard/teams"  # Teams SSO
    assert tab["websiteUrl"] == "https://dialoog.gemeente.example/dashboard"
    assert tab["scopes"] == ["personal"]
    assert manifest["validDomains"] == ["dialoog.gemeente.example"]
    assert manifest["webApplicationInfo"] == {
        "id": DASHBOARD_CLIENT,
        "resource": f"api://dialoog.gemeente.example/{DASHBOARD_CLIENT}",
    }


def test_without_an_entra_app_the_tab_has_no_single_sign_on(validator: Draft7Validator) -> None:
    manifest = build_manifest(APP_ID, dashboard_url="https://dialoog.gemeente.example")
    assert _errors(validator, manifest) == []
    assert manifest["staticTabs"][0]["contentUrl"] == "https://dialoog.gemeente.example/dashboard"
    assert "webApplicationInfo" not in manifest


def test_the_dashboard_tab_needs_https() -> None:
    with pytest.raises(ManifestError, match="https"):
        build_manifest(APP_ID, dashboard_url="http://127.0.0.1:3978")
    assert "staticTabs" not in build_manifest(APP_ID)
