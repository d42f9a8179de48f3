"""The report as one self-contained, accessible, printable HTML file: headings, every chart as a
picture with alt text and as a table, quotes as blockquotes, a print style sheet. All text is
escaped."""

from __future__ import annotations

import base64
from html import escape

from bot.reporting.charts import chart_png
from dialogen.reporting.model import Block, Report, Table

STYLE = """
body { font-family: Calibri, Arial, sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #1a1a1a; }
h1 { color: #1f4e79; } h2 { color: #1f4e79; border-bottom: 1px solid #ccd; margin-top: 2.5rem; }
h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; margin: .5rem 0 1.2rem; width: 100%; }
caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
th, td { border: 1px solid #bbc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #e8eef6; }
blockquote { border-left: 4px solid #1f4e79; margin: .8rem 0; padding: .2rem .9rem;
             background: #f5f7fa; }
figure { margin: 1rem 0; } img { max-width: 100%; height: auto; }
.note { color: #555; font-size: .9rem; }
nav ol { columns: 2; }
@media print { body { max-width: none; margin: 0; } h2 { break-before: page; }
               table, figure, blockquote { break-inside: avoid; } nav { display: none; } }
"""


def report_html(report: Report) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(report.title)}</h1>",
        f"<p><strong>{escape(report.subtitle)}</strong></p>",
        f'<p class="note">{escape(report.made_on)}</p>',
        *(f"<p>{escape(p)}</p>" for p in report.introduction),
        "</header>",
        '<nav aria-label="Inhoud"><h2>Inhoud</h2><ol>',
        *(f'<li><a href="#{escape(s.key)}">{escape(s.title)}</a></li>' for s in report.sections),
        "</ol></nav>",
        "<main>",
    ]
    for section in report.sections:
        parts.append(f'<section id="{escape(section.key)}">')
        parts.append(f"<h2>{escape(section.title)}</h2>")
        parts += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
        group = ""
        for block in section.blocks:
            if block.group and block.group != group:
                parts.append(f"<h3>{escape(block.group)}</h3>")
            group = block.group
            parts += _block(block)
        parts.append("</section>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _block(block: Block) -> list[str]:
    level = 4 if block.group else 3  # under its group's heading
    out = [f"<h{level}>{escape(block.heading)}</h{level}>"]
    out += [f"<p>{escape(p)}</p>" for p in block.paragraphs]
    if block.bullets:
        out.append("<ul>" + "".join(f"<li>{escape(b)}</li>" for b in block.bullets) + "</ul>")
    for chart in block.charts:
        data = base64.b64encode(chart_png(chart)).decode("ascii")
        out.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{escape(chart.alt)}">'
            f"<figcaption>{escape(chart.title)}</figcaption></figure>"
        )
        if chart.table:
            out += _table(chart.as_table())
    for table in block.tables:
        out += _table(table)
    for quote in block.quotes:
        note = f'<p class="note">{escape(quote.note)}</p>' if quote.note else ""
        out.append(f"<blockquote><p>{escape(quote.text)}</p>{note}</blockquote>")
    return out


def _table(table: Table) -> list[str]:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    return [
        f"<table><caption>{escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    ]
