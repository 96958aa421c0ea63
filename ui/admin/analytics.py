"""What the instructor page shows for a period: counts per day, questions grouped by meaning, the
gaps (confident declines) apart from the uncertain ones, thumbs down and the most cited passages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from assistant.ready.faq import group_by_meaning
from ui.faq_page import FaqService
from ui.questions_log import LoggedQuestion, QuestionsLog

TOP = 15  # rows per table


@dataclass(frozen=True)
class Report:
    """What the instructor page shows for one period."""

    days: int
    rows: list[LoggedQuestion]
    per_day: list[tuple[str, int]]
    most_asked: list[tuple[str, int, list[str]]]
    gaps: list[tuple[str, int, list[str]]]  # declined with confidence: nothing close in the material
    uncertain: list[LoggedQuestion]  # declined in the uncertain band: close passages, judged not answering
    thumbs_down: list[LoggedQuestion]
    most_cited: list[tuple[dict[str, Any], int]]

    @property
    def covered(self) -> int:
        return sum(r.covered for r in self.rows)


class AdminData:
    """Builds reports from the log; question embeddings are kept for grouping the next report fast."""

    def __init__(self, service: FaqService, questions: QuestionsLog) -> None:
        self.service = service
        self.questions = questions
        self._vectors: dict[str, Sequence[float]] = {}

    def _embed(self, text: str) -> Sequence[float]:
        if text not in self._vectors:
            self._vectors[text] = self.service.app.embedder.embed_query(text)
        return self._vectors[text]

    def _grouped(self, rows: Sequence[LoggedQuestion]) -> list[tuple[str, int, list[str]]]:
        counts = Counter((r.standalone_question or r.question).strip() for r in rows)
        items = [(text, n, "log") for text, n in counts.most_common()]
        groups = group_by_meaning(items, self._embed, self.service.app.settings.ui.faq_similarity)
        return [(g.question, g.count, g.variants) for g in groups[:TOP]]

    def report(self, days: int) -> Report:
        since = datetime.now(UTC) - timedelta(days=days)
        rows = self.questions.rows(since=since)
        per_day = Counter(r.asked_at.date().isoformat() for r in rows)
        start = since.date()
        dates = [(start + timedelta(days=i)).isoformat() for i in range(days + 1)]
        cited: Counter[str] = Counter()
        found: dict[str, dict[str, Any]] = {}
        for r in rows:
            for c in r.citations:
                key = f"{c.get('document')}:{c.get('char_start')}:{c.get('char_end')}"
                cited[key] += 1
                found[key] = c
        return Report(
            days=days,
            rows=rows,
            per_day=[(d, per_day.get(d, 0)) for d in dates],
            most_asked=self._grouped(rows),
            gaps=self._grouped([r for r in rows if not r.covered and r.decline != "uncertain"]),
            uncertain=[r for r in rows if not r.covered and r.decline == "uncertain"][-TOP:],
            thumbs_down=[r for r in rows if r.feedback == -1],
            most_cited=[(found[k], n) for k, n in cited.most_common(TOP)],
        )
