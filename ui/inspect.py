"""`expert-chat inspect PAGE`: what the assistant understood of a page (nothing is indexed)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.settings import Settings
from index.parse import parse_page
from index.reading.sources import read_page
from index.report import PageReport, page_report

SHOWN_CHARS = 100


def cmd_inspect(args: argparse.Namespace, settings: Settings) -> int:
    page = read_page(Path(args.page), max_bytes=settings.index.max_page_bytes)
    report = page_report(parse_page(page, extra_site_authors=settings.index.site_authors))
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n".join(format_report(report)))
    return 0


def _short(line: str) -> str:
    return line if len(line) <= SHOWN_CHARS else line[: SHOWN_CHARS - 1] + "…"


def format_report(report: PageReport) -> list[str]:
    """The report as lines of plain text."""
    out = [
        f"page:   {report.document}",
        f"title:  {report.title}",
        f"date:   {report.date or '(none found)'}",
        f"main text: {report.main_chars} characters in {report.paragraphs} paragraphs",
    ]
    out += [f"  | {_short(line)}" for line in report.first_lines]
    if report.last_lines:
        out += ["  | ..."] + [f"  | {_short(line)}" for line in report.last_lines]
    out.append(f"quotes: {len(report.quotes)}")
    for q in report.quotes:
        who = f"{q.speaker} (not named by the page)" if q.speaker_unknown else q.speaker
        out.append(f"  - {who}  [{q.how}]  “{_short(q.starts)} …”")
    t = report.thread
    out.append(
        f"thread: {t.comments} comments ({t.top_level} top-level, depth up to {t.max_depth}),"
        f" {t.author_replies} author replies, {t.spam} spam; site authors: {', '.join(t.site_authors) or '-'}"
    )
    out += [f"warning: {w}" for w in report.warnings]
    out += [f"note: {n}" for n in report.notes]
    return out
