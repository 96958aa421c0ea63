"""Page styles of round fourteen (no writer's sentence, slogan or reporting agency taken for a quote or
its speaker), each on a small page written for the test."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes

PARENTHETICAL_SAID = """<html><body><article>
<h1>Glacier lake drains overnight</h1>
<p>Marit Sandvold, a hydrologist at the Tromsø field station, said most glacier lakes drain slowly over a
summer. "This one emptied in a single night, which we have never recorded here before," she said.</p>
<p>Draining that fast, she said, is the "worst case for the valley" below the glacier.</p>
<p>The measurements were published on Tuesday in a regional water survey.</p>
</article></body></html>
"""


def test_a_paragraph_after_a_parenthetical_said_clause_is_the_writer_s(tmp_path: Path) -> None:
    """ "Draining that fast, she said, is the “worst case …”.": the said-clause set inside the clause it
    reports gives the words in that sentence, so the writer's next paragraph is no quote of hers."""
    quotes = written_quotes(tmp_path, "lake.html", PARENTHETICAL_SAID)
    assert [speaker for text, speaker in quotes if text.startswith("This one")] == ["Marit Sandvold"]
    assert not [text for text, _ in quotes if text.startswith("The measurements")]
