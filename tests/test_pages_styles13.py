"""Page styles of round thirteen (no place, credit line or report as a speaker or a quote), each on a small
page written for the test: block quotes credited to an organisation called "they" or to papers cited by
author and year, a news story's credit line."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes

THEY_AFTER_AN_ORGANISATION = """---
title: "Apprentices at the mill"
---

In [Notes on apprenticeship](https://example.org/notes) (2011), Marta Quell wrote:

> A trade is learnt beside someone who already has it. Reading about it first helps far less than
> people think, and it can slow the learner down.

[The Harbour Gazette reported last spring on how the mills hire apprentices without diplomas](https://example.org/gazette).
They wrote:

> Over the last three seasons, close to half of the new hands at the two river mills came straight from
> school, and most of them were still working there a year later.

I find that encouraging.
"""


def test_they_in_a_block_quote_lead_in_is_the_organisation_named_before(tmp_path: Path) -> None:
    """ "[The Gazette reported ...](…). They wrote:": they is the organisation the sentence before has for
    subject, not the person the page quoted earlier."""
    quotes = written_quotes(tmp_path, "mill.md", THEY_AFTER_AN_ORGANISATION)
    assert [speaker for text, speaker in quotes if text.startswith("Over the last")] == ["Harbour Gazette"]


PAPERS_CITED_BY_YEAR = """---
title: "Do prize schools pay?"
---

Parents pay a great deal for the prize schools, and it is fair to ask what they get for it.

In New Zealand, the prize schools are mostly the old boarding schools. [Harcourt (2019)](https://example.org/h)
reports that their leavers earn about the same as anyone else once family income is accounted for:

> We find no measurable difference in earnings at age thirty between leavers of the boarding schools and
> leavers of other schools once household income at age ten is held fixed.

Looking at Norway, [Brenna and Solheim (2022)](https://example.org/b) find that the picture is much the same:

> Using a regression discontinuity design around the admission cut-off, we detect no earnings advantage
> for the pupils admitted to the selective schools.

So the prize may be smaller than it looks.
"""


def test_a_block_quote_after_a_cited_paper_is_its_authors(tmp_path: Path) -> None:
    """ "[Harcourt (2019)](…) reports that ...:", "Looking at Norway, [A and B (2022)](…) find ...:": the
    authors cited by name and year, not the country the lead-in names first, nor unknown."""
    quotes = written_quotes(tmp_path, "schools.md", PAPERS_CITED_BY_YEAR)
    assert [speaker for text, speaker in quotes if text.startswith("We find no")] == ["Harcourt"]
    assert [speaker for text, speaker in quotes if text.startswith("Using a regression")] == [
        "Brenna and Solheim"
    ]


PLACE_IN_THE_LEAD_IN = """---
title: "Rent caps, again"
---

Rent caps are back in the news, and the arguments have not changed much.

In the United Kingdom, the caps have applied to most cities since 2016. A housing study finds that they
worked, up to a point:

> Rents in the capped areas rose more slowly than elsewhere, but fewer new homes were offered for rent.

That is the trade-off in a sentence.
"""


def test_a_place_in_the_lead_in_is_not_the_block_quote_s_speaker(tmp_path: Path) -> None:
    """A country the lead-in mentions (the entity tagger's place) is never whom a block quote is by."""
    quotes = written_quotes(tmp_path, "rent.md", PLACE_IN_THE_LEAD_IN)
    assert [speaker for text, speaker in quotes if text.startswith("Rents in the")] in ([], ["unknown"])


CREDIT_LINE = """<html><body><article>
<h1>Festival organisers and the river band part ways</h1>
<p>The Lowmoor Festival said on Friday that the Orrin Brothers would not headline this summer.</p>
<p>“We wish the band well and hope to see them back on our stage one day,” the festival said in a
statement.</p>
<p>A spokesperson for the band’s manager, Della Vance, did not immediately respond to a request for
comment.</p>
<p>The Courier’s Ian Moss contributed to this report.</p>
</article></body></html>
"""


def test_a_credit_line_after_a_request_for_comment_is_no_quote(tmp_path: Path) -> None:
    """ "X did not respond to a request for comment." then "The Courier’s Y contributed to this report.":
    a sentence whose every verb of saying is negated introduces no words, so the credit line after it is
    nobody's quote."""
    quotes = written_quotes(tmp_path, "festival.html", CREDIT_LINE)
    assert not [text for text, _ in quotes if "contributed" in text]


STATEMENT_READ = """<html><body><article>
<h1>Ferry operator answers the union</h1>
<p>The union accused Selkirk Ferries of cutting crews on the night sailings without telling anyone.</p>
<p>Selkirk Ferries rejected the claims in a statement posted on its website on Sunday.</p>
<p>"As the island's ferry operator for thirty years, we were surprised to read the union's claims this
week," the statement read. "At no point did we reduce a crew below the number the licence sets. Every
night sailing last month carried a full crew, as the harbour logs show."</p>
<p>The union said it would reply on Monday.</p>
</article></body></html>
"""


def test_words_a_statement_reads_are_a_quote(tmp_path: Path) -> None:
    """ "“…,” the statement read. “…”": "read" with a text for subject is a verb of saying, so the first
    part is a quote (the statement's owner's) and the second goes on with it, not a quotation alone."""
    quotes = written_quotes(tmp_path, "ferry.html", STATEMENT_READ)
    assert [speaker for text, speaker in quotes if text.startswith("As the island")] == ["Selkirk Ferries"]
    assert [speaker for text, speaker in quotes if text.startswith("At no point")] == ["Selkirk Ferries"]


PARTICIPLE_SAID_CLAUSE = """<html><body><article>
<h1>Mould in a care home traced to a leaking roof</h1>
<p>A resident of a care home in the north developed a cough that would not go away, according to a case
report in a medical journal.</p>
<p>Her breathing got worse over the winter. "Walking to the dining room took me ten minutes, because I had
to stop and catch my breath twice on the way," the resident described in the case report. "Some mornings
I could not get out of bed at all."</p>
<p>She recovered once the roof was repaired.</p>
</article></body></html>
"""


def test_a_said_clause_the_parser_reads_as_a_noun_phrase_is_still_one(tmp_path: Path) -> None:
    """ "“…,” the resident described in the case report. “…”": the parser reads "the resident described
    in ..." as a noun phrase (a participle, no verb); the resident is still who said it, and the second part
    goes on with it rather than standing alone."""
    quotes = written_quotes(tmp_path, "care.html", PARTICIPLE_SAID_CLAUSE)
    speakers = {text.split()[0]: speaker for text, speaker in quotes}
    assert (speakers.get("Walking"), speakers.get("Some")) == ("an unnamed resident", "an unnamed resident")


FIRST_NAME_WITH_WHO = """---
title: "Open peer review, again"
---

The idea of publishing peer reviews came up again this week.

An answer comes from [Ines](https://example.org/ines-blog) who says the idea is a poor one. I disagree with
her. For example, she describes reviewing as a conversation:

>Reviewers and authors go back and forth several times, and the editor keeps the two sides apart. A
report written for the first round would mislead anyone who read it after the last one.

I do not think that happens often.
"""


def test_a_first_name_a_relative_who_follows_is_whom_she_means(tmp_path: Path) -> None:
    """ "An answer comes from [X](…) who says ... she describes ...:": a one-word name (a link) that a
    relative "who" follows is a person, so the she of the lead-in is X, not unknown."""
    quotes = written_quotes(tmp_path, "review.md", FIRST_NAME_WITH_WHO)
    assert [speaker for text, speaker in quotes if text.startswith("Reviewers and")] == ["Ines"]


WRITER_REPLIED = """---
title: "Open peer review, again"
---

An answer comes from [Ines](https://example.org/ines-blog) who says the idea is a poor one.

Here is what I replied:

<b><br/>
Most conferences have no second round at all. You send the paper, reviewers write their reports, and you
get a decision. Publishing the reports would cost nobody anything.<br/>
</b>

She has not answered yet.
"""


def test_a_lead_in_with_i_for_subject_is_not_the_person_named_before(tmp_path: Path) -> None:
    """ "Here is what I replied:" then the words: the writer's own (unnamed here), not the person the page
    named last."""
    quotes = written_quotes(tmp_path, "reply.md", WRITER_REPLIED)
    assert [speaker for text, speaker in quotes if "second round" in text] in ([], ["unknown"])


def test_a_title_a_relative_who_follows_is_no_person(tmp_path: Path) -> None:
    """ "He met the Ambassador, who ...": a capitalised word after a determiner is a title, not a name a
    later he could mean."""
    page = FIRST_NAME_WITH_WHO.replace(
        "[Ines](https://example.org/ines-blog) who says", "the Chair, who says"
    ).replace("she describes", "he describes")
    quotes = written_quotes(tmp_path, "chair.md", page)
    assert [speaker for text, speaker in quotes if text.startswith("Reviewers and")] != ["Chair"]


LONG_SAID_CLAUSE_AFTER_A_QUESTION = """<html><body><article>
<h1>Port fees stay, and shippers ask why</h1>
<p>The port authority kept its new fees on Friday, though it said the charges would be reviewed in spring.</p>
<p>“If the fees stay and the waiting times do not come down, then what exactly are the shipping lines
paying for at this port?” Marta Quell, the former head of the regional shippers' council, said at a
meeting in the harbour office on Tuesday.</p>
<p>“If nothing changes by the spring review, then what is the reason for the shipping lines to stay at
this port at all?” He Lihua, a former adviser to the transport ministry, said at the same meeting.</p>
</article></body></html>
"""


def test_a_long_said_clause_after_a_question_names_the_speaker(tmp_path: Path) -> None:
    """ "“…?” X, the former head of Y, said at a meeting on Tuesday.": the splitter makes the said-clause
    a sentence of its own (too long for the rules); the parse reads it as one (subject, verb of saying,
    no object), so X is the speaker, not nobody."""
    quotes = written_quotes(tmp_path, "port.html", LONG_SAID_CLAUSE_AFTER_A_QUESTION)
    assert [speaker for text, speaker in quotes if text.startswith("If the fees")] == ["Marta Quell"]


def test_a_surname_that_reads_as_a_pronoun_is_part_of_the_name(tmp_path: Path) -> None:
    """ "“…?” He Lihua, a former adviser ..., said": the entity tagger leaves out "He" (a pronoun's
    spelling), the parse joins it to the name: the speaker is "He Lihua"."""
    quotes = written_quotes(tmp_path, "port.html", LONG_SAID_CLAUSE_AFTER_A_QUESTION)
    assert [speaker for text, speaker in quotes if text.startswith("If nothing")] == ["He Lihua"]


KIND_OF_ORGANISATION = """<html><body><article>
<h1>Festival and label at odds over the closing concert</h1>
<p>The Lowmoor Festival said the Orrin Brothers would close the event, with the band's label, Kestrel
Records, approving the set list.</p>
<p>Hours later, Harbour Light Broadcasting denied that it had agreed to film the concert.</p>
<p>“We never agreed to film the closing concert and we have not seen any contract for it,” the
broadcasting company said in a statement to the local paper.</p>
</article></body></html>
"""


def test_the_kind_of_company_names_the_organisation_whose_name_holds_it(tmp_path: Path) -> None:
    """ "“…,” the broadcasting company said": the one organisation named before whose name holds the kind
    word ("Harbour Light Broadcasting"), not "an unnamed company"."""
    quotes = written_quotes(tmp_path, "concert.html", KIND_OF_ORGANISATION)
    assert [speaker for text, speaker in quotes if text.startswith("We never")] == [
        "Harbour Light Broadcasting"
    ]
