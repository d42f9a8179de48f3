"""Stakeholders (steps Vinden and Verzamelen): validating a list of invitees.

A facilitator supplies a sheet (CSV or Excel, read by ``bot.stakeholder_files``) with per person:
name, e-mail, role, municipality, and optionally province, networks and preferred channel.
:func:`validate_sheet` turns its rows into :class:`Invitee` values, or into a
:class:`RowRejection` with the line number and a precise Dutch reason. Rows with the same e-mail
address (in any case) are merged into one invitee.

Pure: no I/O. Roles are matched tolerantly (``dialogen.stakeholders.roles``), municipalities through
``MunicipalityRegistry.match``; province and networks are derived from the municipality when the
sheet leaves them empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from dialogen.conversation.messages import with_province
from dialogen.errors import DialogenError
from dialogen.facilitation import messages as fmsg
from dialogen.stakeholders.fields import (
    column_key,
    match_channel,
    match_province,
    match_role,
    parse_email,
    parse_network_list,
)
from dialogen.stakeholders.municipalities import (
    NETWORKS,
    PROVINCES,
    Municipality,
)
from dialogen.stakeholders.roles import ROLES, ROLES_WITHOUT_MUNICIPALITY, role_label

if TYPE_CHECKING:
    from dialogen.contracts import MunicipalityMatcher

MAX_NAME = 200
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 10  # title lines above the header are allowed


class StakeholderFileError(DialogenError):
    """A sheet that cannot be read as a list of invitees at all (no header, no e-mail column)."""


@dataclass(frozen=True)
class SheetRow:
    """One non-empty row of a sheet, with the line (CSV) or row number (Excel) it came from."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Invitee:
    """One person to invite. ``networks`` is None when the sheet left it to the municipality."""

    email: str
    role: str
    name: str | None = None
    municipality_code: str | None = None
    province: str | None = None
    networks: frozenset[str] | None = None
    preferred_channel: str | None = None  # None: keep what is known, "teams" for someone new
    lines: tuple[int, ...] = ()
    municipality_name: str | None = None  # for messages only

    def __post_init__(self) -> None:
        if self.email != self.email.lower() or "@" not in self.email:
            raise ValueError("an invitee's e-mail address is stored in lower case")
        if self.role not in {r.value for r in ROLES}:
            raise ValueError(f"unknown role {self.role!r}")
        if self.province is not None and self.province not in PROVINCES:
            raise ValueError(f"unknown province {self.province!r}")


@dataclass(frozen=True)
class RowRejection:
    line: int
    reason: str  # Dutch, for the facilitator


@dataclass(frozen=True)
class InviteeList:
    invitees: tuple[Invitee, ...]
    rejections: tuple[RowRejection, ...]
    merged: int  # rows folded into an earlier row with the same e-mail address
    ignored_columns: tuple[str, ...] = ()
    rows: int = 0  # data rows read (blank rows not counted)


def validate_sheet(rows: Sequence[SheetRow], municipalities: MunicipalityMatcher) -> InviteeList:
    """Validate every data row; raise :class:`StakeholderFileError` only when no header is found.

    A municipality is required for most roles, but may come from another row with the same e-mail
    address, so that check runs after merging.
    """
    header_index, columns, ignored = _find_header(rows)
    data = rows[header_index + 1 :]
    if len(data) > MAX_ROWS:
        raise StakeholderFileError(fmsg.too_many_rows(len(data), MAX_ROWS))
    accepted: dict[str, Invitee] = {}
    rejections: list[RowRejection] = []
    merged = 0
    for row in data:
        result = _validate_row(row, columns, municipalities)
        if isinstance(result, RowRejection):
            rejections.append(result)
            continue
        earlier = accepted.get(result.email)
        if earlier is None:
            accepted[result.email] = result
            continue
        combined = _merge(earlier, result)
        if isinstance(combined, str):
            rejections.append(RowRejection(row.line, combined))
        else:
            accepted[result.email] = combined
            merged += 1
    invitees: list[Invitee] = []
    for invitee in accepted.values():
        if invitee.municipality_code is None and invitee.role not in ROLES_WITHOUT_MUNICIPALITY:
            reason = fmsg.municipality_required(role_label(invitee.role))
            rejections.extend(RowRejection(line, reason) for line in invitee.lines)
            merged -= len(invitee.lines) - 1
        else:
            invitees.append(invitee)
    rejections.sort(key=lambda r: r.line)
    return InviteeList(tuple(invitees), tuple(rejections), merged, ignored, len(data))


# ---------------------------------------------------------------- header


def _find_header(rows: Sequence[SheetRow]) -> tuple[int, dict[str, int], tuple[str, ...]]:
    if not rows:
        raise StakeholderFileError(fmsg.SHEET_EMPTY)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns, ignored, duplicate = _read_header(row.cells)
        if "email" not in columns:
            continue
        if duplicate:
            raise StakeholderFileError(fmsg.duplicate_column(row.line, duplicate))
        if "role" not in columns:
            raise StakeholderFileError(fmsg.missing_column(row.line, "rol"))
        return index, columns, ignored
    raise StakeholderFileError(fmsg.no_header(rows[0].line))


def _read_header(cells: Sequence[str]) -> tuple[dict[str, int], tuple[str, ...], str | None]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for position, cell in enumerate(cells):
        key = column_key(cell)
        if not cell.strip():
            continue
        if key is None:
            ignored.append(cell.strip())
        elif key in columns:
            return columns, (), cell.strip()
        else:
            columns[key] = position
    return columns, tuple(ignored), None


# ---------------------------------------------------------------- rows


def _validate_row(
    row: SheetRow, columns: dict[str, int], municipalities: MunicipalityMatcher
) -> Invitee | RowRejection:
    def cell(key: str) -> str:
        position = columns.get(key)
        if position is None or position >= len(row.cells):
            return ""
        return " ".join(row.cells[position].split())

    problems: list[str] = []
    email = _email(cell("email"), problems)
    name = cell("name") or " ".join(
        p for p in (cell("first_name"), cell("infix"), cell("last_name")) if p
    )
    if len(name) > MAX_NAME:
        problems.append(fmsg.name_too_long(MAX_NAME))
    role = _role(cell("role"), problems)
    province = _province(cell("province"), problems)
    place = _municipality(cell("municipality"), province, municipalities, problems)
    networks = _networks(cell("networks"), problems)
    channel = _channel(cell("channel"), problems)
    if place and province and place.province != province:
        problems.append(fmsg.province_contradicts(province, place.name, place.province))
    if problems or email is None or role is None:
        return RowRejection(row.line, "; ".join(problems))
    return Invitee(
        email=email,
        role=role,
        name=name or None,
        municipality_code=place.cbs_code if place else None,
        municipality_name=place.name if place else None,
        province=place.province if place else province,
        networks=networks,
        preferred_channel=channel,
        lines=(row.line,),
    )


def _email(text: str, problems: list[str]) -> str | None:
    if not text:
        problems.append(fmsg.EMAIL_MISSING)
        return None
    email = parse_email(text)
    if email is None:
        problems.append(fmsg.email_invalid(text))
    return email


def _role(text: str, problems: list[str]) -> str | None:
    if not text:
        problems.append(fmsg.ROLE_MISSING)
        return None
    found = match_role(text)
    if isinstance(found, str):
        return found
    labels = [c.label for c in ROLES]
    problems.append(
        fmsg.role_ambiguous(text, [role_label(v) for v in found])
        if found
        else fmsg.role_unknown(text, labels)
    )
    return None


def _province(text: str, problems: list[str]) -> str | None:
    if not text:
        return None
    found = match_province(text)
    if found is None:
        problems.append(fmsg.province_unknown(text, PROVINCES))
    return found


def _municipality(
    text: str, province: str | None, municipalities: MunicipalityMatcher, problems: list[str]
) -> Municipality | None:
    if not text:
        return None
    if text.isdigit() and len(text) <= 4:
        text = text.zfill(4)  # a CBS code whose leading zeros a spreadsheet dropped: 363 -> 0363
    found = municipalities.match(text)
    if found.municipality is not None:
        return found.municipality
    if found.suggestions:
        in_province = [m for m in found.suggestions if m.province == province]
        if province and len(in_province) == 1:
            return in_province[0]
        problems.append(
            fmsg.municipality_ambiguous(
                text, [with_province(m.name, m.province) for m in found.suggestions]
            )
        )
    else:
        problems.append(fmsg.municipality_unknown(text))
    return None


def _networks(text: str, problems: list[str]) -> frozenset[str] | None:
    if not text:
        return None
    found = parse_network_list(text)
    if isinstance(found, str):
        problems.append(fmsg.network_unknown(found, NETWORKS))
        return None
    return found


def _channel(text: str, problems: list[str]) -> str | None:
    if not text:
        return None
    channel = match_channel(text)
    if channel is None:
        problems.append(fmsg.channel_unknown(text))
    return channel


# ---------------------------------------------------------------- duplicates


def _merge(first: Invitee, later: Invitee) -> Invitee | str:
    """One invitee from two rows with the same e-mail address, or the reason they conflict."""
    where = first.lines[0]
    if later.role != first.role:
        return fmsg.duplicate_conflict(where, "rol", role_label(later.role), role_label(first.role))
    if (
        first.municipality_code
        and later.municipality_code
        and later.municipality_code != first.municipality_code
    ):
        return fmsg.duplicate_conflict(
            where,
            "gemeente",
            later.municipality_name or later.municipality_code,
            first.municipality_name or first.municipality_code,
        )
    if first.province and later.province and later.province != first.province:
        return fmsg.duplicate_conflict(where, "provincie", later.province, first.province)
    if (
        first.preferred_channel
        and later.preferred_channel
        and later.preferred_channel != first.preferred_channel
    ):
        return fmsg.duplicate_conflict(
            where, "kanaal", later.preferred_channel, first.preferred_channel
        )
    networks = first.networks
    if later.networks is not None:
        networks = later.networks if networks is None else networks | later.networks
    return replace(
        first,
        name=first.name or later.name,
        municipality_code=first.municipality_code or later.municipality_code,
        municipality_name=first.municipality_name or later.municipality_name,
        province=first.province or later.province,
        networks=networks,
        preferred_channel=first.preferred_channel or later.preferred_channel,
        lines=first.lines + later.lines,
    )
