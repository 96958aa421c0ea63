"""Page styles of round twenty-one (a hyphenated given name after a title; a he/she after a sentence whose
subject is that pronoun; a block quote holding a quotation and its own said-clause; an office named by
whose it is; a surname the tagger takes for a noun; "he emails"; a said-clause after an exclamation whose
verb only the parse knows), each on a small page written for the test."""

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


HE_WITH_SOMEONE = """<html><head><title>The harbour master's last storm</title></head>
<body><article>
<h1>The harbour master's last storm</h1>
<p>Harald Berg, the harbour master of Vestby for twenty years, retired this spring after a winter of storms
that wrecked half of the town's fishing boats.</p>
<p>The town council thanked him at its last meeting, and the fishermen gave him a painted oar.</p>
<p>During the worst storm, he was seen arguing with Olaf Nystrom about the boats left at the outer pier.</p>
<p>He later told a reporter: “I would rather have lost my job than one of those boats, and I said so to
anyone who would listen on that pier.”</p>
</article></body></html>
"""


def test_a_he_after_a_sentence_whose_subject_is_he_is_not_the_other_man_named_there(tmp_path: Path) -> None:
    """ "During the worst storm, he was seen arguing with X ... He later told a reporter: “…”": the man
    named in that sentence is not its "he", so the next "He" is the man before, not X."""
    quotes = written_quotes(tmp_path, "storm.html", HE_WITH_SOMEONE)
    assert [speaker for _, speaker in quotes] == ["Harald Berg"]


HE_WITH_THE_ONLY_MAN_NAMED = """<html><head><title>A night at the pier</title></head>
<body><article>
<h1>A night at the pier</h1>
<p>The storm of March broke three moorings at the outer pier and sank two of the town's fishing boats.</p>
<p>The boats had been tied at Olaf Nystrom's old pier, which the town closed to traffic last year.</p>
<p>During the worst of it, he was seen arguing with Nystrom about the boats left at the outer pier.</p>
<p>He later told a reporter: “I would rather have lost my job than one of those boats, and I said so to
anyone who would listen on that pier.”</p>
</article></body></html>
"""


def test_a_he_whose_sentence_names_only_someone_else_stays_unknown(tmp_path: Path) -> None:
    """ "During the worst of it, he was seen arguing with Nystrom.": the page names no one else the "he"
    can be, so the quotation after "He later told a reporter:" is no one's by name (not Nystrom's)."""
    quotes = written_quotes(tmp_path, "pier.html", HE_WITH_THE_ONLY_MAN_NAMED)
    assert [speaker for _, speaker in quotes] == ["unknown"]


SAID_CLAUSE_IN_BLOCK_QUOTE = """<html><head><title>The bridge that would not close</title></head>
<body><article>
<h1>The bridge that would not close</h1>
<p>The lifting bridge over the Vest canal has been stuck open since Friday, and the town's ferry has taken
the traffic since, with queues of an hour at the morning peak.</p>
<blockquote>“The motor that lifts the span burned out, and the spare part has to come from the maker’s plant
abroad,” said one engineer, as reported by the Vestby Gazette.</blockquote>
<p>The town council will meet on Monday to discuss the cost of the repair and who should pay for it.</p>
</article></body></html>
"""


def test_a_block_quote_holding_its_own_said_clause_is_read_as_the_article_s_text(tmp_path: Path) -> None:
    """A block quote with its text straight inside (no paragraph) that is a quotation and its said-clause
    ("“…,” said one engineer, as reported by ...") is read: the quotation is the engineer's."""
    quotes = written_quotes(tmp_path, "bridge.html", SAID_CLAUSE_IN_BLOCK_QUOTE)
    assert [speaker for _, speaker in quotes] == ["an unnamed engineer"]
    assert quotes[0][0].startswith("The motor that lifts the span")


AN_OFFICE_AND_A_SURNAME = """---
title: "Who built the canal?"
---

The town is arguing again about who built the old canal.

Last month, the mayor of Vestby said:

> The town built the canal with its own money, and no merchant gave a penny towards it.

Vance [replied in the Gazette](https://gazette.example/letters/canal):

> The merchants' guild paid for the locks, and the town only dug the ditch between them.
"""


def test_a_definite_office_with_its_proper_of_phrase_is_the_speaker(tmp_path: Path) -> None:
    """ "the mayor of Vestby said:": an office the page names by whose it is, one person, so the speaker
    is "the mayor of Vestby", not "an unnamed mayor"."""
    quotes = written_quotes(tmp_path, "canal.md", AN_OFFICE_AND_A_SURNAME)
    assert quotes[0][1] == "the mayor of Vestby"


def test_a_bare_capitalised_subject_the_page_never_lowercases_is_a_surname(tmp_path: Path) -> None:
    """ "Vance [replied in the Gazette](...):": the tagger takes the lone word for a noun; a singular
    noun without an article, capitalised and never written in lower case, is a name."""
    quotes = written_quotes(tmp_path, "canal.md", AN_OFFICE_AND_A_SURNAME)
    assert len(quotes) == 2 and quotes[1][1] == "Vance"


HE_EMAILS = """<html><head><title>Mapping the late buses</title></head>
<body><article>
<h1>Mapping the late buses</h1>
<p>Ravi Menon, a bus driver from Vestby, mapped every late bus in the town over the last winter and put
the map online last week, where it has been shared thousands of times.</p>
<p>"Basically, I was looking through the council's timetable data for something nobody had looked at yet,
and I found the arrival times of every bus going back ten years," he emails. "I laughed, because the
timetable itself is wrong half the time anyway."</p>
<p>The council said it would look at the map at its next meeting.</p>
</article></body></html>
"""


def test_a_said_clause_whose_verb_is_emails_credits_the_quotation(tmp_path: Path) -> None:
    """ "“…,” he emails. “…”": to email is to give one's words, so the quotation is the driver's (before,
    the first part was missed and the second taken as no one's)."""
    quotes = written_quotes(tmp_path, "buses.html", HE_EMAILS)
    assert quotes and all(speaker == "Ravi Menon" for _, speaker in quotes)
    assert quotes[0][0].startswith("Basically, I was looking")


TWEETED_AFTER_AN_EXCLAMATION = """<html><head><title>The mayor's race</title></head>
<body><article>
<h1>The mayor's race</h1>
<p>Vestby voted for a new mayor on Sunday, and Governor Piet Olsen tied himself to the result again.</p>
<p>“Mayor @AnaLund has done a wonderful job for the people of Vestby!” Olsen tweeted before the vote. “She
has my full support. Go out and vote on Sunday for your great mayor!”</p>
<p>Lund lost the race by four points.</p>
</article></body></html>
"""


def test_a_said_clause_after_an_exclamation_with_a_verb_only_the_parse_knows(tmp_path: Path) -> None:
    """ "“…!” Olsen tweeted before the vote. “…”": the splitter ends a sentence at the exclamation; the
    clause after it is its said-clause by the parse (its verb, "tweeted", is one of saying)."""
    quotes = written_quotes(tmp_path, "race.html", TWEETED_AFTER_AN_EXCLAMATION)
    assert quotes and all(speaker == "Piet Olsen" for _, speaker in quotes)
