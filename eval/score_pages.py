"""Score page understanding on a folder of hand-labelled pages (``labels.json`` beside them).

For quotes: found / labelled (a found quote matches a label when its text starts with the label's
``starts``, whitespace and quote marks normalised), found with the right speaker, found with a wrong
*named* speaker (an unknown speaker is not wrong), and non-quotes taken (a found quote matching a
``not_quotes`` entry or no label at all). For threads: comment count and author replies against the labels.

    python eval/score_pages.py eval/pages/dev [--json] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.errors import PageError
from index.parse import parse_page
from index.quotes import quotes
from index.quotes.names import split_speakers
from index.reading.sources import read_page
from index.records import ParsedPage, Quote

# An inline link "[text](url)" or a reference link "[text][ref]" reads as its text.
_MD_LINK_RE = re.compile(r"\[([^\]\n]*(?:\n[^\]\n]*)?)\](?:\([^)\s]*\)|\[[^\]\n]*\])")
_MD_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+.!|>-])")  # Markdown's "\[" reads "["
_MARKS_RE = re.compile(r"[“”„\"‘’'`«»*_]")
_SPACE_RE = re.compile(r"\s+")
_EDGE_RE = re.compile(r"^[\s.,;:!?…—–-]+|[\s.,;:!?…—–-]+$")
MAX_BYTES = 10_000_000
_QUOTED_BETWEEN_RE = re.compile(r"[“\"][^”\"]{12,}[”\"]")


def norm(text: str) -> str:
    """Comparable text: Markdown links read as their text and escaped characters as themselves (a quote is
    the page's source, "[Go](url)", "\\[...\\]"; a label the rendered text, "Go", "[...]"), quote marks and
    emphasis dropped, whitespace collapsed, case folded."""
    text = _MD_LINK_RE.sub(r"\1", _MD_ESCAPE_RE.sub(r"\1", text))
    text = _SPACE_RE.sub(" ", _MARKS_RE.sub("", text)).casefold()
    return _EDGE_RE.sub("", text)


def _name(name: str) -> str:
    """A credit's comparable form: case folded, without a leading "the" ("The New York Times")."""
    return name.casefold().removeprefix("the ").strip()


def same_speaker(found: str, wanted: str) -> bool:
    return {_name(n) for n in split_speakers(found)} == {_name(n) for n in split_speakers(wanted)}


def is_unknown_label(speaker: str | None) -> bool:
    return not speaker or speaker.strip().casefold() in {"unknown", "?", "unnamed"}


@dataclass
class PageScore:
    """One page's counts."""

    file: str
    labelled: int = 0
    found: int = 0
    right_speaker: int = 0
    wrong_named: int = 0
    non_quotes: int = 0
    comments: int = 0
    comments_labelled: int = 0
    author_replies: int = 0
    author_replies_labelled: int = 0
    max_depth: int = 0
    max_depth_labelled: int = 0
    error: str = ""
    misses: list[str] = field(default_factory=list)


def _matches(quote: Quote, starts: str) -> bool:
    return norm(quote.text).startswith(norm(starts)[:60])


def score_quotes(parsed: ParsedPage, label: dict[str, Any], score: PageScore) -> None:
    """Match found quotes to the labelled ones and count speakers right, wrong and extra quotes."""
    # Labels marked `optional` (fragments, pull quotes repeating the body, interviewer turns: the
    # labeller's convention, eval/pages/README.md) may be reported or skipped: they count neither way.
    wanted = [w for w in label.get("quotes", []) if not w.get("optional")]
    optional = [w for w in label.get("quotes", []) if w.get("optional")]
    score.labelled = len(wanted)
    found = list(parsed.quotes)
    matched: list[Quote] = []
    extent: dict[int, int] = {}  # a matched quote's labelled end in the page text (label's `ends`)
    for want in wanted:
        match = next((q for q in found if _matches(q, want["starts"])), None)
        if match is None:
            score.misses.append(f"missed: {want['starts'][:50]!r} ({want.get('speaker')})")
            continue
        found.remove(match)
        matched.append(match)
        extent[id(match)] = _labelled_end(parsed.page.text, match, want.get("ends", ""))
        score.found += 1
        accepted = [want.get("speaker"), *want.get("alt_speakers", [])]
        if is_unknown_label(want.get("speaker")):
            right = match.speaker_unknown
        else:
            # An unnamed person credited by the page's own description ("-- Firmware Engineer") is
            # flagged unknown but keeps the description as its speaker: right when the label is that.
            right = any(same_speaker(match.speaker, s) for s in accepted if s and not is_unknown_label(s))
            if not right and not match.speaker_unknown:
                score.wrong_named += 1
        if right:
            score.right_speaker += 1
        else:
            got = match.speaker
            score.misses.append(f"speaker: {want['starts'][:40]!r} want {want.get('speaker')!r} got {got!r}")
    # Then the optional labels (after the required ones: an optional "Stop!" must not take the quote
    # that the required "Stop, stop the car! ..." labels).
    for want in optional:
        match = next((q for q in found if _matches(q, want["starts"])), None)
        if match is not None:
            found.remove(match)
            matched.append(match)
    # A later part continues a labelled quote, or a part that does (a quotation over several paragraphs,
    # each opening with a quotation mark: "“… / “… / “…”" is one labelled quote).
    for extra in sorted(found, key=lambda q: q.char_start):
        if any(
            _continues(extra, first, parsed.page.text) or _inside(extra, first, extent.get(id(first), -1))
            for first in matched
        ):
            matched.append(extra)
            continue
        score.non_quotes += 1
        score.misses.append(f"non-quote: {extra.text[:50]!r} ({extra.speaker})")


def _labelled_end(text: str, match: Quote, ends: str) -> int:
    """Where the labelled quote a found one matched ends in the page text (its `ends`), -1 if not found."""
    probe = " ".join(ends.split())[-40:]
    at = text.find(probe, match.char_start) if probe else -1
    return at + len(probe) if at >= 0 else -1


def _inside(part: Quote, first: Quote, labelled_end: int) -> bool:
    """A later part of one labelled quote that the page interrupts with a teaser or a caption (the label
    runs from its `starts` to its `ends` across them: eval/pages/README.md, one quote): same speaker,
    within the labelled extent."""
    return (
        part.speaker == first.speaker and first.char_end <= part.char_start and part.char_end <= labelled_end
    )


def _continues(part: Quote, first: Quote, text: str) -> bool:
    """A later part of a labelled quote ("“…,” she said. “…”", or the next paragraph opening with a
    quotation mark): same speaker, right after the first part with no other words quoted between."""
    if part.speaker != first.speaker or part.char_start <= first.char_end:
        return False
    between = text[first.char_end : part.char_start]
    # Without the marks closing the first part and opening this one, no other words are quoted.
    inner = between.lstrip(",.;:!? ").lstrip('”"’').rstrip().rstrip('“"‘')
    return len(between) <= 300 and between.count("\n\n") <= 1 and not _QUOTED_BETWEEN_RE.search(inner)


def score_thread(parsed: ParsedPage, label: dict[str, Any], score: PageScore) -> None:
    thread = label.get("comments") or {}
    score.comments = len(parsed.comments)
    score.comments_labelled = int(thread.get("count", 0))
    score.author_replies = sum(1 for c in parsed.comments if c.is_author_reply)
    score.author_replies_labelled = int(thread.get("author_replies", 0))
    score.max_depth = max((c.depth for c in parsed.comments), default=0)
    score.max_depth_labelled = int(thread.get("max_depth", 0))


def score_page(path: Path, label: dict[str, Any]) -> PageScore:
    score = PageScore(path.name)
    try:
        parsed = parse_page(read_page(path, max_bytes=MAX_BYTES))
    except PageError as exc:
        score.error = str(exc)
        score.labelled = len(label.get("quotes", []))
        score.comments_labelled = int((label.get("comments") or {}).get("count", 0))
        return score
    score_quotes(parsed, label, score)
    score_thread(parsed, label, score)
    return score


def totals(scores: list[PageScore]) -> dict[str, int]:
    keys = (
        "labelled",
        "found",
        "right_speaker",
        "wrong_named",
        "non_quotes",
        "comments",
        "comments_labelled",
    )
    out = {k: sum(getattr(s, k) for s in scores) for k in keys}
    out["author_replies"] = sum(s.author_replies for s in scores)
    out["author_replies_labelled"] = sum(s.author_replies_labelled for s in scores)
    out["threads_within_5pct"] = sum(
        1 for s in scores if abs(s.comments - s.comments_labelled) <= 0.05 * s.comments_labelled
    )
    out["pages"] = len(scores)
    return out


def run(folder: Path) -> list[PageScore]:
    labels: dict[str, dict[str, Any]] = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return [score_page(folder / name, label) for name, label in sorted(labels.items())]


def _print(scores: list[PageScore], verbose: bool) -> None:
    print(f"{'page':40} quotes found/lab right wrong extra | comments  author replies")
    for s in scores:
        print(
            f"{s.file[:40]:40} {s.found:5}/{s.labelled:<3} {s.right_speaker:5} {s.wrong_named:5}"
            f" {s.non_quotes:5}"
            f" | {s.comments:4}/{s.comments_labelled:<4} {s.author_replies:4}/{s.author_replies_labelled:<4}"
            + (f"  ERROR {s.error[:60]}" if s.error else "")
        )
        if verbose:
            for miss in s.misses:
                print(f"    {miss}")
    t = totals(scores)
    print(
        f"TOTAL quotes found {t['found']}/{t['labelled']}, right speaker {t['right_speaker']}/{t['found']},"
        f" wrong named speaker {t['wrong_named']}, non-quotes taken {t['non_quotes']};"
        f" comments {t['comments']}/{t['comments_labelled']}"
        f" (threads within 5%: {t['threads_within_5pct']}/{t['pages']}),"
        f" author replies {t['author_replies']}/{t['author_replies_labelled']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", action="store_true", help="one JSON object: per page and totals")
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses, wrong speakers, extras")
    parser.add_argument(
        "--rules-only", action="store_true", help="attribution by the rules alone (no spaCy parse)"
    )
    args = parser.parse_args()
    if args.rules_only:
        quotes.USE_PARSE = False
    scores = run(args.folder)
    if args.json:
        json.dump({"pages": [asdict(s) for s in scores], "totals": totals(scores)}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print(scores, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
