"""`expert-chat eval`: retrieval quality, coverage decisions, citation validity and latency."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.errors import UserError
from assistant.pipeline import Assistant
from assistant.records import Answer, Citation, Passage
from assistant.settings import PROJECT_ROOT
from assistant.text import fold
from index.quotes.names import split_speakers
from index.vocabulary import ChunkKind


class QuestionType(StrEnum):
    """The `type` of a development question: answered from a quote or the thread, or to be declined."""

    QUOTE = "quote"
    THREAD = "thread"
    REFUSE = "refuse"


EVAL_DIR = PROJECT_ROOT / "eval"  # the development questions and annotations kept in the repository


def person_names(speaker: str | None) -> set[str]:
    """Surnames in a speaker string, ignoring a parenthetical organisation ("X (DeepMind)")."""
    if not speaker:
        return set()
    return {p.split()[-1].lower() for p in split_speakers(speaker) if p.split()}


def load_questions(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise UserError(f"cannot read the question file {path}: {exc}") from exc


def load_annotations(path: Path) -> dict[str, dict[str, Any]]:
    try:
        return {q["id"]: q for q in json.loads(path.read_text(encoding="utf-8"))}
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise UserError(f"cannot read the quote annotation file {path}: {exc}") from exc


def annotation_for(text: str, annotations: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    norm = fold(text)
    for ann in annotations.values():
        if fold(ann["key"]) in norm or fold(ann["starts"]) in norm:
            return ann
    return None


def _gold_rank(
    passages: Sequence[Passage], gold: Sequence[str], annotations: dict[str, dict[str, Any]]
) -> int | None:
    for passage in passages:
        if passage.kind != ChunkKind.EXPERT_QUOTE:
            continue
        ann = annotation_for(passage.text, annotations)
        if ann and ann["id"] in gold:
            return passage.rank
    return None


def _citation_valid(
    citation: Citation, answer: Answer, assistant: Assistant, annotations: dict[str, dict[str, Any]]
) -> tuple[bool, bool]:
    """(verbatim in the page, speaker matches the annotation when it is an annotated quote)."""
    page = assistant.page_text(citation.document) or ""
    verbatim = page[citation.char_start : citation.char_end] == citation.quote
    if citation.kind != ChunkKind.EXPERT_QUOTE:
        return verbatim, True
    whole = next(
        (
            p.text
            for p in answer.retrieved
            if p.document == citation.document
            and p.char_start <= citation.char_start
            and citation.char_end <= p.char_end
        ),
        citation.quote,
    )
    ann = annotation_for(whole, annotations)
    speaker_ok = ann is None or person_names(ann["speaker"]) == person_names(citation.speaker)
    return verbatim, speaker_ok


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)

    return {
        "p50": pick(0.5),
        "p90": pick(0.9),
        "max": round(ordered[-1], 1),
        "mean": round(statistics.fmean(ordered), 1),
    }


def run_eval(
    assistant: Assistant, *, questions: Path, quotes: Path, generate: bool = True, progress: bool = True
) -> dict[str, Any]:
    items = load_questions(questions)
    annotations = load_annotations(quotes)
    rows: list[dict[str, Any]] = []
    retrieve_ms: list[float] = []
    first_ms: list[float] = []
    total_ms: list[float] = []
    citations_total = citations_valid = 0
    for item in tqdm(items, desc="evaluating", unit="q", disable=not progress):
        question_type = QuestionType(item.get("type", QuestionType.QUOTE))
        result = assistant.retrieve(item["q"])
        retrieve_ms.append(result.timings_ms["retrieve"])
        row: dict[str, Any] = {
            "q": item["q"],
            "type": question_type,
            "covered": result.covered,
            "reason": result.reason,
        }
        if question_type is QuestionType.QUOTE:
            row["gold_rank"] = _gold_rank(result.passages, item.get("gold", []), annotations)
        if question_type is QuestionType.THREAD:
            row["comment_in_top5"] = any(p.kind == ChunkKind.COMMENT for p in result.passages[:5])
        if generate and (question_type is not QuestionType.REFUSE or result.covered):
            answer = assistant.ask(item["q"])
            row["answer"] = answer.answer
            row["citations"] = []
            if answer.covered and not answer.cached:
                first_ms.append(answer.timings_ms["first_token"])
                total_ms.append(answer.timings_ms["total"])
            for citation in answer.citations:
                verbatim, speaker_ok = _citation_valid(citation, answer, assistant, annotations)
                citations_total += 1
                citations_valid += verbatim and speaker_ok
                row["citations"].append(
                    {
                        "n": citation.n,
                        "speaker": citation.speaker or citation.author,
                        "verbatim": verbatim,
                        "speaker_ok": speaker_ok,
                    }
                )
        rows.append(row)

    quote_rows = [r for r in rows if r["type"] is QuestionType.QUOTE]
    ranks = [r["gold_rank"] for r in quote_rows]
    refuse_rows = [r for r in rows if r["type"] is QuestionType.REFUSE]
    answerable = [r for r in rows if r["type"] is not QuestionType.REFUSE]
    thread_rows = [r for r in rows if r["type"] is QuestionType.THREAD]
    report: dict[str, Any] = {
        "questions": len(rows),
        "retrieval": {
            "quote_questions": len(quote_rows),
            "hit@1": _share([r == 1 for r in ranks]),
            "hit@5": _share([r is not None and r <= 5 for r in ranks]),
            "mrr": round(sum(1.0 / r for r in ranks if r) / len(ranks), 3) if ranks else None,
            "thread_comment_in_top5": _share([r["comment_in_top5"] for r in thread_rows]),
        },
        "coverage": {
            "refusal_accuracy": _share([not r["covered"] for r in refuse_rows]),
            "false_refusal_rate": _share([not r["covered"] for r in answerable]),
        },
        "latency_ms": {"retrieve": _percentiles(retrieve_ms)},
        "rows": rows,
    }
    if generate:
        report["citations"] = {
            "total": citations_total,
            "valid": citations_valid,
            "validity": round(citations_valid / citations_total, 3) if citations_total else None,
        }
        report["latency_ms"]["first_token"] = _percentiles(first_ms)
        report["latency_ms"]["total"] = _percentiles(total_ms)
    return report


def _share(flags: Sequence[bool]) -> float | None:
    return round(sum(1 for f in flags if f) / len(flags), 3) if flags else None


def format_report(report: dict[str, Any]) -> str:
    r, c = report["retrieval"], report["coverage"]
    lines = [
        f"questions: {report['questions']}",
        f"retrieval (quote questions: {r['quote_questions']}): hit@1 {r['hit@1']}  hit@5 {r['hit@5']}  "
        f"MRR {r['mrr']}  thread questions with a comment in top 5: {r['thread_comment_in_top5']}",
        f"coverage: refusal accuracy {c['refusal_accuracy']}  false-refusal rate {c['false_refusal_rate']}",
    ]
    if "citations" in report:
        ct = report["citations"]
        lines.append(
            f"citations: {ct['valid']}/{ct['total']} valid (verbatim, right speaker) = {ct['validity']}"
        )
    for name, values in report["latency_ms"].items():
        if values:
            lines.append(f"latency {name} ms: " + "  ".join(f"{k} {v}" for k, v in values.items()))
    lines.append("")
    for row in report["rows"]:
        mark = "covered" if row["covered"] else "NOT covered"
        extra = f" gold rank {row['gold_rank']}" if "gold_rank" in row else ""
        lines.append(f"- [{row['type']}] {row['q']} -> {mark}{extra}")
        if row.get("answer"):
            lines.append(f"    {row['answer'][:300]}")
    return "\n".join(lines)
