"""Page styles of the ninth development set (eval/pages/heldout9), each on a small page written for the
test: an interview label holding a nickname."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import parse_written


def _quotes(tmp_path: Path, name: str, text: str) -> list[tuple[str, str]]:
    return [(q.text, q.speaker) for q in parse_written(tmp_path, name, text).quotes]


NICKNAME_LABELS = """---
title: "Spotlight on the River Cleanup Crew"
date: 2025-04-02
---

Mira Haldane talked with Ines Portal and Toby, who organise the spring river cleanup.

**Mira Haldane (MH):** Could you each say how you got started with the cleanup?

**Tobias "Toby" Wren (TW):** I'm a hydrologist by training, and I joined the crew three years ago when a
friend asked me to help with the boats.

**Ines Portal (IP):** I came for one weekend and never left, which says a lot about the people here.

**MH:** What was the hardest part of the first year?

**TW:** We had no idea how much rubbish a single bend of the river could hold, so we ran out of bags.

**IP:** Finding enough volunteers for the early morning shifts was harder than I expected.
"""


def test_a_label_with_a_nickname_names_the_person_without_it(tmp_path: Path) -> None:
    quotes = _quotes(tmp_path, "crew.md", NICKNAME_LABELS)
    toby = [text[:20] for text, speaker in quotes if speaker == "Tobias Wren"]
    assert toby == ["I'm a hydrologist by", "We had no idea how m"]
    assert [speaker for text, speaker in quotes if text.startswith("Finding")] == ["Ines Portal"]
