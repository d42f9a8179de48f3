"""``dialoog themes`` and ``dialoog priorities``: theme curation and the Voorkeuren results from
the command line — the same services facilitators use in Teams (``thema's``, ``prioriteiten``).
Every action is audited as ``cli:<os user>``.

- ``dialoog themes compute`` computes the themes from the visible contributions (decisions stay);
- ``list``; ``rename N LABEL``; ``merge N --into M``; ``split N CODE [CODE ...] --label L``;
  ``move CODE --to N``; ``order N M ...``; ``drop N``; ``publish``;
- ``dialoog priorities [--by role|province|network]`` prints the results (k-suppressed).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.cli.context import Context
    from dialogen.facilitation.themes import CurationResult, ThemeCuration

NOTHING_DONE = 1


def add_theme_verbs(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    parser = sub.add_parser("themes", help="theme curation: compute, list, rename, merge, ...")
    verbs = parser.add_subparsers(dest="themes_verb", required=True)
    verbs.add_parser("compute", help="compute the themes (decisions stay)").set_defaults(
        run=_compute
    )
    verbs.add_parser("list", help="the curated themes").set_defaults(run=_list)
    rename = verbs.add_parser("rename", help="the label participants read")
    rename.add_argument("theme", help="its number in the list")
    rename.add_argument("label")
    rename.set_defaults(run=_rename)
    merge = verbs.add_parser("merge", help="merge a theme into another")
    merge.add_argument("theme")
    merge.add_argument("--into", required=True)
    merge.set_defaults(run=_merge)
    split = verbs.add_parser("split", help="these contributions of a theme form a new theme")
    split.add_argument("theme")
    split.add_argument("codes", nargs="+", help="contribution codes, as the list shows them")
    split.add_argument("--label", required=True)
    split.set_defaults(run=_split)
    move = verbs.add_parser("move", help="move one contribution to another theme")
    move.add_argument("code")
    move.add_argument("--to", required=True)
    move.set_defaults(run=_move)
    order = verbs.add_parser("order", help="these themes first, in this order")
    order.add_argument("themes", nargs="+")
    order.set_defaults(run=_order)
    drop = verbs.add_parser("drop", help="do not offer a theme")
    drop.add_argument("theme")
    drop.set_defaults(run=_drop)
    verbs.add_parser("publish", help="fix the list for Voorkeuren").set_defaults(run=_publish)

    priorities = sub.add_parser("priorities", help="the Voorkeuren results (k-suppressed)")
    priorities.add_argument("--by", choices=("role", "province", "network"), default=None)
    priorities.set_defaults(run=_priorities)


def _curation(ctx: Context) -> ThemeCuration:
    ctx.configure_logging("WARNING")
    return ctx.runtime.facilitation.themes


def _report(result: CurationResult) -> int:
    from dialogen.facilitation.themes import view_text

    print(result.text, file=sys.stdout if result.done else sys.stderr)
    if result.view is not None:
        print(view_text(result.view).replace("**", ""))
    return 0 if result.done else NOTHING_DONE


def _compute(ctx: Context) -> int:
    return _report(_curation(ctx).compute(actor=ctx.actor))


def _list(ctx: Context) -> int:
    from dialogen.facilitation import theme_messages as tmsg
    from dialogen.facilitation.themes import view_text

    view = _curation(ctx).view(actor=ctx.actor)
    print(view_text(view).replace("**", "") if view is not None else tmsg.NO_THEMES)
    return 0


def _rename(ctx: Context) -> int:
    a = ctx.args
    return _report(_curation(ctx).rename(actor=ctx.actor, theme=a.theme, label=a.label))


def _merge(ctx: Context) -> int:
    a = ctx.args
    return _report(_curation(ctx).merge(actor=ctx.actor, source=a.theme, target=a.into))


def _split(ctx: Context) -> int:
    a = ctx.args
    return _report(
        _curation(ctx).split(actor=ctx.actor, theme=a.theme, codes=a.codes, label=a.label)
    )


def _move(ctx: Context) -> int:
    a = ctx.args
    return _report(_curation(ctx).move(actor=ctx.actor, code=a.code, target=a.to))


def _order(ctx: Context) -> int:
    return _report(_curation(ctx).order(actor=ctx.actor, themes=ctx.args.themes))


def _drop(ctx: Context) -> int:
    return _report(_curation(ctx).drop(actor=ctx.actor, theme=ctx.args.theme))


def _publish(ctx: Context) -> int:
    return _report(_curation(ctx).publish(actor=ctx.actor))


def _priorities(ctx: Context) -> int:
    from dialogen.facilitation.priority_results import priorities_text

    ctx.configure_logging("WARNING")
    results = ctx.runtime.facilitation.priorities.compute(actor=ctx.actor)
    print(priorities_text(results, dimension=ctx.args.by).replace("**", ""))
    return 0
