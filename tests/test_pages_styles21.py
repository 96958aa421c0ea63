"""Page styles of round twenty-one (a hyphenated given name after a title; ...), each on a small page
written for the test."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes

HYPHENATED_GIVEN_NAME = """<html><head><title>Norland ends its inquiry into the mine collapse</title></head>
<body><article>
<h1>Norland ends its inquiry into the mine collapse</h1>
<p>Norland has closed its inquiry into last year's collapse at the Vestby copper mine after a review of
the evidence gathered by the police and the mine's owners over the winter.</p>
<p>“We will not bring charges, because the evidence does not show that anyone broke the rules that were in
force at the time,” Norland’s deputy director of public works, Anne-Sofie Lindqvist, said on Tuesday.</p>
<p>The owners welcomed the decision in a short statement, and the miners' union said it would appeal.</p>
</article></body></html>
"""


def test_a_hyphenated_given_name_after_a_title_is_kept_whole(tmp_path: Path) -> None:
    """ "..., the deputy director of public works, Anne-Sofie Lindqvist, said": the parser splits the
    given name at its hyphen; the speaker is the whole name, not "Sofie Lindqvist"."""
    quotes = written_quotes(tmp_path, "mine.html", HYPHENATED_GIVEN_NAME)
    assert [speaker for _, speaker in quotes] == ["Anne-Sofie Lindqvist"]
