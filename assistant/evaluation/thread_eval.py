"""`expert-chat eval`'s thread and multilingual sections: is each answer taken from the reply that
answers the question, does any reader question get cited, what did the meaning check remove.

Questions are hand-written paraphrases of the thread's question-and-answer pairs
(eval/thread_questions.jsonl) and questions in other languages (eval/multilingual_questions.jsonl),
each naming the id of the reply that answers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from assistant.evaluation.evaluate import annotation_for
from assistant.pipeline import Assistant
from assistant.records import Answer, Citation
from assistant.understand.language import answer_language
from index.records import Comment

LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
    "hi": "Hindi",
    "zh": "Chinese",
    "hinglish": "Hinglish",
}
Annotations = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Thread:
    """The discussion as indexed, to tell which comment a citation quotes."""

    comments: Sequence[Comment]

    def quoted(self, citation: Citation) -> Comment | None:
        return next((c for c in self.comments if citation.inside(c.document, c.char_start, c.char_end)), None)


def in_language(answer: Answer, lang: str) -> bool:
    """The answer is written in the question's language, as the language detector reads its own words
    (quotations aside)."""
    if lang == "en":
        return answer.language == "English"
    return answer_language(answer.answer) == LANGUAGES[lang]


def _is_gold(
    passage_text: str, comment_id: str | None, item: dict[str, Any], annotations: Annotations
) -> bool:
    """The passage is the reply that answers the question, or one of its annotated expert quotes."""
    if item.get("reply_id"):
        return comment_id == item["reply_id"]
    found = annotation_for(passage_text, annotations)
    return found is not None and found["id"] in item.get("gold", [])


def _row(
    assistant: Assistant, thread: Thread, item: dict[str, Any], annotations: Annotations, generate: bool
) -> dict[str, Any]:
    lang = item.get("lang", "en")
    result = assistant.retrieve(item["q"])
    row: dict[str, Any] = {
        "q": item["q"],
        "lang": lang,
        "covered": result.covered,
        "gold_in_evidence": any(_is_gold(p.text, p.comment_id, item, annotations) for p in result.evidence),
    }
    if not generate:
        return row
    answer = assistant.ask(item["q"])
    cited = [thread.quoted(c) for c in answer.citations]
    verbatim = [assistant.page_text(c.document) or "" for c in answer.citations]
    from_gold = any(
        _is_gold(c.quote, q.comment_id if q else None, item, annotations)
        for c, q in zip(answer.citations, cited, strict=True)
    )
    row.update(
        answer=answer.answer,
        answered_from_gold=from_gold,
        reader_questions_cited=sum(1 for c in cited if c is not None and c.role == "question"),
        contradicted=list(answer.contradicted),
        verbatim=all(
            p[c.char_start : c.char_end] == c.quote for p, c in zip(verbatim, answer.citations, strict=True)
        ),
        in_language=in_language(answer, lang),
        language=answer.language,
        total_ms=answer.timings_ms.get("total"),
    )
    return row


def _share(rows: Sequence[dict[str, Any]], key: str) -> float | None:
    values = [bool(r[key]) for r in rows if key in r]
    return round(sum(values) / len(values), 3) if values else None


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "questions": len(rows),
        "gold_in_evidence": _share(rows, "gold_in_evidence"),
        "refused": sum(1 for r in rows if not r["covered"]),
    }
    if rows and "answer" in rows[0]:
        summary.update(
            answered_from_gold=_share(rows, "answered_from_gold"),
            reader_questions_cited=sum(r["reader_questions_cited"] for r in rows),
            contradictions_caught=sum(len(r["contradicted"]) for r in rows),
            citations_verbatim=_share(rows, "verbatim"),
            in_question_language=_share(rows, "in_language"),
        )
    return summary


def run_thread_eval(
    assistant: Assistant,
    items: Sequence[dict[str, Any]],
    comments: Sequence[Comment],
    annotations: Annotations,
    *,
    generate: bool = True,
    progress: bool = True,
    desc: str = "thread questions",
) -> dict[str, Any]:
    thread = Thread(comments)
    rows = [
        _row(assistant, thread, item, annotations, generate)
        for item in tqdm(items, desc=desc, unit="q", disable=not progress)
    ]
    return {"summary": summarize(rows), "rows": rows}


def format_section(name: str, report: dict[str, Any]) -> str:
    s = report["summary"]
    parts = [f"{k.replace('_', ' ')} {v}" for k, v in s.items()]
    return f"{name}: " + "  ".join(parts)
