"""The questions log exported for a spreadsheet: CSV with formula-looking cells defused."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from ui.questions_log import LoggedQuestion

EXPORT_FIELDS = (
    "id",
    "asked_at",
    "question",
    "standalone_question",
    "channel",
    "covered",
    "faq",
    "answer",
    "citations",
    "latency_ms",
    "index_version",
    "feedback",
    "feedback_comment",
)


def export_csv(rows: Sequence[LoggedQuestion]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    for r in rows:
        data = r.to_json()
        data["citations"] = json.dumps(data["citations"], ensure_ascii=False)
        writer.writerow([_cell(data[k]) for k in EXPORT_FIELDS])
    return out.getvalue()


def _cell(value: Any) -> Any:
    """Guard against CSV injection: text a spreadsheet would run as a formula gets an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
