"""`expert-chat eval --sections students`: questions in students' own words, written by someone who
had not seen the code, scored per kind (eval/STUDENTS.md).

Each item names `evidence`: verbatim passages of the page, any one of which in a cited source makes
the answer "from the right evidence". Conversations are asked turn by turn and scored on their last
turn. The development and test halves were split before any was run; the test half is run once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.pipeline import Assistant
from assistant.records import Answer, Citation, Passage, Turn
from assistant.text import fold
from assistant.understand.language import Language
from index.vocabulary import CommentRole

# The eval files' language codes, to the pipeline's language names (the one vocabulary: Language).
LANGUAGE_CODES = {**{language.code: language.value for language in Language}, "hinglish": "Hinglish"}


def load_items(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _cited_passage(citation: Citation, retrieved: Sequence[Passage]) -> Passage | None:
    return next((p for p in retrieved if citation.inside(p.document, p.char_start, p.char_end)), None)


def from_evidence(answer: Answer, evidence: Sequence[str]) -> bool:
    """A cited source (the whole passage a citation quotes, with its speaker and lead-in as the student
    sees them: "who said" is answered by the attribution) holds one of the gold passages."""
    wanted = [fold(e) for e in evidence if e.strip()]
    for citation in answer.citations:
        passage = _cited_passage(citation, answer.retrieved)
        shown = (passage.speaker or "", passage.lead_in or "", passage.text) if passage else (citation.quote,)
        text = fold(" ".join(shown))
        if any(w in text or (len(text) > 40 and text in w) for w in wanted):
            return True
    return False


def _ask(assistant: Assistant, item: dict[str, Any], page: str | None) -> tuple[str, Answer]:
    turns = item.get("turns") or [item["q"]]
    history: list[Turn] = []
    answer: Answer | None = None
    for turn in turns:
        answer = assistant.ask(turn, history, page)
        history += [Turn(role="user", content=turn), Turn(role="assistant", content=answer.answer)]
    assert answer is not None
    return turns[-1], answer


def score(
    assistant: Assistant, item: dict[str, Any], language_of: Any, page: str | None = None
) -> dict[str, Any]:
    """One row: what was asked (on `page`, if given), what came back, and each verdict."""
    question, answer = _ask(assistant, item, page)
    covered = bool(item.get("covered"))
    right = answer.covered and from_evidence(answer, item.get("evidence", []))
    pages = [assistant.page_text(c.document) or "" for c in answer.citations]
    lang = item.get("lang", "en")
    forbidden = [f for f in item.get("forbidden", []) if f.lower() in answer.answer.lower()]
    return {
        "id": item.get("id"),
        "kind": item.get("kind", "conversation" if item.get("turns") else "?"),
        "page": page,
        "q": question,
        "lang": lang,
        "expected_covered": covered,
        "covered": answer.covered,
        "standalone": answer.standalone_question,
        "answer": answer.answer,
        "right_evidence": right,
        "wrongly_declined": covered and not answer.covered,
        "wrong": covered and answer.covered and not right,
        "declined_uncovered": (not covered) and not answer.covered,
        "reader_questions_cited": sum(1 for c in answer.citations if c.role == CommentRole.QUESTION),
        "verbatim": all(
            p[c.char_start : c.char_end] == c.quote for p, c in zip(pages, answer.citations, strict=True)
        ),
        "wrong_language": not language_of(answer.answer, lang, answer),
        "injection_trace": forbidden,
        "citations": [{"who": c.who, "quote": c.quote[:160]} for c in answer.citations],
        "total_ms": round(answer.timings_ms.get("total", 0.0)),
        "timings_ms": {k: round(v) for k, v in answer.timings_ms.items()},
    }


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    kinds = {kind: _counts(items) for kind, items in sorted(by_kind.items())}
    return {"all": _counts(rows), "by_kind": kinds}


def _counts(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["expected_covered"]]
    uncovered = [r for r in rows if not r["expected_covered"]]
    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "right_evidence": sum(r["right_evidence"] for r in answerable),
        "wrongly_declined": sum(r["wrongly_declined"] for r in answerable),
        "wrong": sum(r["wrong"] for r in answerable),
        "uncovered": len(uncovered),
        "uncovered_declined": sum(r["declined_uncovered"] for r in uncovered),
        "reader_questions_cited": sum(r["reader_questions_cited"] for r in rows),
        "not_verbatim": sum(not r["verbatim"] for r in rows),
        "wrong_language": sum(r["wrong_language"] for r in rows),
        "injection_traces": sum(bool(r["injection_trace"]) for r in rows),
    }


def run_student_eval(
    assistant: Assistant,
    items: Sequence[dict[str, Any]],
    language_of: Any,
    *,
    indexed: set[str] | None = None,
    progress: bool = True,
    rows_out: Path | None = None,
    on_page: bool = False,
    default_page: str | None = None,
) -> dict[str, Any]:
    """Every item whose page is in the index (seed questions always are). `on_page`: each question is
    asked on its page, as from a course page's chat (items naming none on `default_page`)."""
    runnable = [i for i in items if not i.get("page") or indexed is None or i["page"] in indexed]
    skipped = [i.get("id") for i in items if i not in runnable]
    rows = []
    for item in tqdm(runnable, desc="student questions", unit="q", disable=not progress):
        page = (item.get("page") or default_page) if on_page else None
        rows.append(score(assistant, item, language_of, page))
        if rows_out is not None:  # each row as it comes: a long run can be read while it goes on
            with rows_out.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(rows[-1], ensure_ascii=False) + "\n")
    return {"summary": summarize(rows), "skipped_pages_not_indexed": skipped, "rows": rows}


def format_students(report: dict[str, Any]) -> str:
    lines = []
    for name, counts in [("all", report["summary"]["all"]), *report["summary"]["by_kind"].items()]:
        c = counts
        lines.append(
            f"{name:<13} right {c['right_evidence']}/{c['answerable']}  declined {c['wrongly_declined']}  "
            f"wrong {c['wrong']}  uncovered declined {c['uncovered_declined']}/{c['uncovered']}  "
            f"reader-q {c['reader_questions_cited']}  not-verbatim {c['not_verbatim']}  "
            f"wrong-lang {c['wrong_language']}  injection {c['injection_traces']}"
        )
    if report["skipped_pages_not_indexed"]:
        lines.append(f"skipped (page not in the index): {len(report['skipped_pages_not_indexed'])}")
    return "\n".join(lines)


def language_matches(text: str, lang: str, answer: Answer) -> bool:
    """The answer is in the question's language: the pipeline's reading of the question, and the
    answer's own script where one tells (quote-only languages show English quotes inside)."""
    expected = LANGUAGE_CODES.get(lang, lang)
    return answer.language == expected
