"""Precision and recall of the meaning check on the hand-labelled claims (eval/claims.jsonl).

Each row is one answer sentence with the source it cites, the model judge's verdict (`judge`) and a
person's label (`supported`). "Positive" means the judge keeps the sentence; precision is the share
of kept sentences that are supported, recall the share of supported sentences that are kept.

    python eval/score_verifier.py [--claims eval/claims.jsonl] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=Path, default=ROOT / "eval" / "claims.jsonl")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.claims.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = score(rows)
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
