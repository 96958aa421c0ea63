"""Measure textacy's direct-quotation extraction on the labelled pages, for comparison with ours.

textacy is not a dependency: install it beside the project to run this (``pip install --target DIR
textacy==0.13.0 cachetools cytoolz floret jellyfish pyphen toolz``, then ``PYTHONPATH=DIR``). It parses
the whole main text of each page with the same spaCy model and reports its quotations and speakers as
written (a pronoun stays a pronoun: textacy does not resolve them), scored as ``eval/score_pages.py``
scores ours.

    PYTHONPATH=DIR python eval/compare_textacy.py eval/pages/dev
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.score_pages import MAX_BYTES, is_unknown_label, norm, same_speaker
from index.parse import parse_page
from index.quotes.nlp import english
from index.reading.sources import read_page

PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it"})


def main() -> int:
    from textacy.extract.triples import direct_quotations

    folder = Path(sys.argv[1])
    labels: dict[str, dict[str, Any]] = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    nlp = english()
    totals = dict.fromkeys(("labelled", "found", "right", "pronoun_left", "wrong_named", "extra"), 0)
    totals["pages_given_up"] = 0
    spent = []
    for name, label in sorted(labels.items()):
        parsed = parse_page(read_page(folder / name, max_bytes=MAX_BYTES))
        article = "\n\n".join(p.text for s in parsed.sections for p in s.paragraphs)
        started = time.perf_counter()
        try:
            found = [(q.speaker, q.content) for q in direct_quotations(nlp(article))]
        except ValueError:  # an odd number of quotation marks: textacy gives up on the page
            found = []
            totals["pages_given_up"] += 1
        spent.append(time.perf_counter() - started)
        wanted = label.get("quotes", [])
        totals["labelled"] += len(wanted)
        for want in wanted:
            match = next((f for f in found if norm(f[1].text).startswith(norm(want["starts"])[:60])), None)
            if match is None:
                continue
            found.remove(match)
            totals["found"] += 1
            speaker = " ".join(t.text for t in match[0])
            if is_unknown_label(want.get("speaker")) or same_speaker(speaker, want["speaker"]):
                totals["right"] += 1
            elif speaker.lower() in PRONOUNS:
                totals["pronoun_left"] += 1  # not resolved, so neither right nor a wrong name
            else:
                totals["wrong_named"] += 1
        totals["extra"] += len(found)
    spent.sort()
    print(json.dumps({**totals, "median_ms": round(1000 * spent[len(spent) // 2], 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
