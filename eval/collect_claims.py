"""Collect (sentence, cited source, question) pairs from real answers, to be labelled by hand.

Runs the real pipeline (bundled model) on the thread and quote questions with the meaning check off
and keeps each written sentence that the checks in code keep, with the passage it cites. Writes
eval/claims.jsonl; the `supported` field is filled in by hand (eval/README.md), and
`python eval/score_verifier.py` runs the meaning check on every labelled pair and reports its
precision, recall and cost.

    python eval/collect_claims.py [--home DIR] [--skip N] [--limit N]   (--skip appends to the file)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.app import build_app  # noqa: E402
from assistant.checks.citations import CitationChecker  # noqa: E402
from assistant.checks.verify import Claim  # noqa: E402
from assistant.settings import load_settings  # noqa: E402


def questions(skip: int, limit: int) -> list[str]:
    """Thread, quote and (in their English form) multilingual questions, answerable ones only."""
    found: list[str] = []
    for name in ("thread_questions.jsonl", "dev_questions.jsonl", "multilingual_questions.jsonl"):
        for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item.get("type", "thread") != "refuse":
                found.append(item.get("english") or item["q"])
    return found[skip : skip + limit]


def kept_claims(checker: CitationChecker, raw: str) -> list[Claim]:
    """The sentences the checks in code keep, each with its source, as the meaning check sees them."""
    kept: list[Claim] = []

    def record(claims: list[Claim]) -> list[bool]:
        kept.extend(claims)
        return [True] * len(claims)

    checker.check(raw, record)
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--output", type=Path, default=ROOT / "eval" / "claims.jsonl")
    args = parser.parse_args()
    overrides = {"home": args.home} if args.home else {}
    app = build_app(load_settings(retrieval={"check_meaning": False}, **overrides))
    assistant = app.assistant
    rows = []
    for question in questions(args.skip, args.limit):
        result = assistant.retrieve(question)
        if not result.covered or not result.evidence:
            continue
        sources = list(result.evidence)
        messages = assistant._messages(app.llm, result.english_question, sources)
        raw = "".join(c.delta or "" for c in app.llm.stream_chat(messages, max_tokens=220))
        retriever, pages = assistant._current()
        checker = CitationChecker(
            sources, pages, question=result.english_question, vocabulary=retriever.vocabulary
        )
        for claim in kept_claims(checker, raw):
            source = sources[claim.source - 1]
            rows.append(
                {
                    "question": question,
                    "sentence": claim.sentence,
                    "source": source.text,
                    "source_kind": source.label,
                    "source_who": source.who,
                    "reader_question": source.question,
                    "supported": None,
                }
            )
        print(f"{len(rows)} claims after: {question[:60]}", file=sys.stderr)
    with args.output.open("a" if args.skip else "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} claims written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
