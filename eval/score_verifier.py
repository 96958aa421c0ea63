"""Precision and recall of the meaning check on the hand-labelled claims.

eval/claims.jsonl holds sentences from real answers with the passage each cites and a person's label
(`supported`); eval/claims_contradictions.jsonl holds the same kind of sentences with their meaning
reversed ("more" -> "less", "can" -> "cannot"), all labelled unsupported. The current meaning check
(assistant/checks/verify.py, the bundled model) judges every pair. "Positive" means the check keeps the
sentence: precision is the share of kept sentences that are supported, recall the share of supported
sentences kept; `caught` is the share of unsupported ones removed.

    python eval/score_verifier.py [--home DIR] [--json]     (also writes eval/verifier_scores.json)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def score(rows: list[dict[str, Any]]) -> dict[str, Any]:
    labelled = [r for r in rows if isinstance(r.get("supported"), bool)]
    kept_right = sum(1 for r in labelled if r["judge"] and r["supported"])
    kept = sum(1 for r in labelled if r["judge"])
    supported = sum(1 for r in labelled if r["supported"])
    unsupported = len(labelled) - supported
    removed_right = sum(1 for r in labelled if not r["judge"] and not r["supported"])
    times = [r["judge_ms"] for r in rows if r.get("judge_ms") is not None]
    return {
        "pairs": len(labelled),
        "supported": supported,
        "unsupported": unsupported,
        "precision": round(kept_right / kept, 3) if kept else None,
        "recall": round(kept_right / supported, 3) if supported else None,
        "unsupported_caught": round(removed_right / unsupported, 3) if unsupported else None,
        "judge_ms_p50": round(statistics.median(times), 1) if times else None,
        "judge_ms_mean": round(statistics.fmean(times), 1) if times else None,
    }


def judged(rows: list[dict[str, Any]], home: Path | None) -> list[dict[str, Any]]:
    """Every row with the meaning check's verdict (`judge`) and its cost (`judge_ms`)."""
    sys.path.insert(0, str(ROOT))
    from assistant.app import build_app
    from assistant.checks.verify import Claim, ModelVerifier
    from assistant.settings import load_settings
    from assistant.writing.prompt import defang, excerpt

    verifier = ModelVerifier(build_app(load_settings(**({"home": home} if home else {}))).llm)
    out = []
    for row in rows:
        seen = defang(excerpt(row["source"], row["question"]))
        began = time.perf_counter()
        verdict = verifier.supported([seen], [Claim(row["sentence"], 1)])[0]
        out.append({**row, "judge": verdict, "judge_ms": round((time.perf_counter() - began) * 1000, 1)})
    return out


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    real = judged(load(ROOT / "eval" / "claims.jsonl"), args.home)
    reversed_ = judged(load(ROOT / "eval" / "claims_contradictions.jsonl"), args.home)
    result = {
        "real answers": score(real),
        "reversed meaning": score(reversed_),
        "all": score(real + reversed_),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for name, values in result.items():
            print(f"{name}: " + "  ".join(f"{k} {v}" for k, v in values.items()))
    for row in real + reversed_:
        if row["judge"] != row["supported"]:
            print(
                f"  judge {row['judge']}, label {row['supported']}: {row['sentence'][:100]}", file=sys.stderr
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
