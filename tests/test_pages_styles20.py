"""Page styles of round twenty (a lead-in that ends on a field's capitalised name, not a person's; a
lead-in with "he" for subject and no one named; a Markdown page that leaves HTML character references as
written), each on a small page written for the test."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes

A_FIELD_NOT_A_PERSON = """---
title: "An old critic"
---

A long letter by Miriam Oduya, who built compilers for thirty years, appeared in the spring issue of the
society's bulletin. She doubts that machines will ever think as people do.

Her letter takes a shot at Information Retrieval:

> A search engine that ranks a thousand pages a second has read none of them. Reading is an act of a
> living body that moves about, and nothing in the program moves.
"""


def test_a_field_s_capitalised_name_ending_a_lead_in_is_no_speaker(tmp_path: Path) -> None:
    """ "Her letter takes a shot at Information Retrieval:": the tagger takes the capitalised phrase for a
    thing, not a person, so it is not whose words follow (unknown, not "Information Retrieval")."""
    quotes = written_quotes(tmp_path, "critic.md", A_FIELD_NOT_A_PERSON)
    assert [speaker for _, speaker in quotes] != [] and "Information Retrieval" not in [s for _, s in quotes]
