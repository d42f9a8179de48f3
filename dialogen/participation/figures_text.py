"""The participation report as plain text: the CLI's ``dialoog stats`` and the Teams fallback.

Only the report's display strings are used, so small groups are already "< k" here.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogen.facilitation import messages as fmsg
from dialogen.participation.figures import ParticipationReport


def render_text(report: ParticipationReport) -> str:
    parts = [
        fmsg.STATS_TITLE,
        fmsg.stats_totals(
            report.invited,
            report.reachable_in_teams,
            report.reached_by_mail,
            report.consented,
            report.opted_out,
        ),
    ]
    if not report.steps:
        parts.append(fmsg.NO_INTERACTIVE_STEPS)
        return "\n\n".join(parts)
    parts.append(
        fmsg.STATS_STEPS
        + "\n"
        + table(
            (fmsg.COL_STEP, fmsg.COL_STARTED, fmsg.COL_COMPLETED),
            [
                (
                    s.step,
                    with_share(s.started, s.started_share),
                    with_share(s.completed, s.completed_share),
                )
                for s in report.steps
            ],
        )
    )
    if report.focus_step:
        parts.append(fmsg.stats_groups_for(report.focus_step))
        for group in report.groups:
            parts.append(
                table(
                    (group.title, fmsg.COL_INVITED, fmsg.COL_STARTED, fmsg.COL_COMPLETED),
                    [(g.group, g.invited, g.started, g.completed) for g in group.lines],
                )
            )
    parts.append(fmsg.stats_small_groups(report.k))
    return "\n\n".join(parts)


def with_share(count: str, share: str) -> str:
    return count if share == fmsg.NO_PERCENTAGE else f"{count} ({share})"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned first column, right-aligned figures, two spaces between columns."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return "\n".join([line(header), *(line(r) for r in rows)])
