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


AGENCY_REPORTS_A_POST = """<html><body><article>
<h1>Ferry strike strands island commuters</h1>
<p>Hundreds of commuters were stranded on Vellin Island on Monday after the ferry crews walked out.</p>
<p>According to Reuters, one commuter on a local message board posted: "We have been waiting at the pier
since six in the morning and nobody has told us anything at all."</p>
<p>"The crossings will resume as soon as an agreement is signed," the transport ministry said, according to
Reuters.</p>
<p>The strike is the third this year.</p>
</article></body></html>
"""


def test_an_agency_reporting_words_is_not_their_speaker(tmp_path: Path) -> None:
    """ "According to Reuters, one commuter ... posted: “…”", "“…,” the ministry said, according to
    Reuters": the agency reports the words; the subject of the verb of saying said them (an unnamed
    commuter, the ministry), so the agency is no speaker."""
    quotes = written_quotes(tmp_path, "ferry.html", AGENCY_REPORTS_A_POST)
    speakers = {text.split()[0]: speaker for text, speaker in quotes}
    assert speakers.get("We") == "an unnamed commuter"
    assert speakers.get("The") == "transport ministry"


SLOGAN_BEFORE_A_RELATIVE_CLAUSE = """<html><body><article>
<h1>Town launches a campaign for its high street</h1>
<p>The town council of Ashby Marsh has spent most of its marketing budget on a single campaign this
year.</p>
<p>"Shop here. Stay here" is going up on posters and buses in which shoppers say, "My money stays with my
neighbours."</p>
<p>The council will review the campaign in the spring.</p>
</article></body></html>
"""


def test_a_verb_of_saying_in_a_relative_clause_does_not_credit_a_slogan_outside_it(tmp_path: Path) -> None:
    """ "“Shop here. Stay here” is going up on posters in which shoppers say, “…”": the verb of saying in
    the relative clause says what the posters show, not whose the slogan outside that clause is, so the
    slogan is no quote of the shoppers'."""
    quotes = written_quotes(tmp_path, "town.html", SLOGAN_BEFORE_A_RELATIVE_CLAUSE)
    assert not [text for text, _ in quotes if text.startswith("Shop here")]


POST_SIGNED_WITH_AN_EMOJI = """<html><body><article>
<h1>Readers react to the new bus timetable</h1>
<p>The new timetable took effect on Monday, and riders were quick to post about it.</p>
<blockquote><p>the number 9 now leaves two minutes before the train arrives. every single morning. who
planned this</p>— sleepy commuter 🚌✨ (@sleepy_rider) March 4, 2024</blockquote>
<p>The transit authority said it would look at the connections again.</p>
</article></body></html>
"""


def test_a_display_name_s_emoji_is_not_part_of_the_speaker(tmp_path: Path) -> None:
    """An embedded post signed "— sleepy commuter 🚌✨ (@sleepy_rider)": the speaker is the display name
    without the pictures at its end."""
    quotes = written_quotes(tmp_path, "bus.html", POST_SIGNED_WITH_AN_EMOJI)
    assert [speaker for text, speaker in quotes if text.startswith("the number 9")] == ["sleepy commuter"]


TITLE_REPEATS_THE_BLOCK_QUOTE = """---
title: "Most of what a student learns depends on the student"
---

Ines Marlow, who taught physics for thirty years, put it plainly in her newsletter last week:

> Most of what a student learns depends on the student. A keen one finds good teachers anywhere.

I could not agree more.
"""


def test_a_block_quote_the_title_repeats_is_still_a_quote(tmp_path: Path) -> None:
    """A post titled with the words of the block quote it is about: the title is not the page giving
    those words before, so the block quote is a quote all the same (the page's body never gave them)."""
    quotes = written_quotes(tmp_path, "learns.md", TITLE_REPEATS_THE_BLOCK_QUOTE)
    assert [speaker for text, speaker in quotes if text.startswith("Most of what")] == ["Ines Marlow"]


RELATIVE_CLAUSE_IN_A_LEAD_IN = """---
title: "A change of heart on bridges"
---

[Tomas Brell](https://example.org/brell), the engineer who wrote that every bridge should be boring and
cheap to mend, had a change of heart this spring:

> Some bridges ought to be beautiful, because a town lives with them for a hundred years.

I am not sure the budget committee will agree.
"""


def test_a_verb_of_saying_in_a_closed_relative_clause_does_not_introduce_a_block_quote(
    tmp_path: Path,
) -> None:
    """ "X, the engineer who wrote that ..., had a change of heart:": the verb of saying in the relative
    clause tells what X once wrote; it introduces nothing, so the block quote is the lead-in's person's,
    not "an unnamed engineer"."""
    quotes = written_quotes(tmp_path, "bridges.md", RELATIVE_CLAUSE_IN_A_LEAD_IN)
    assert [speaker for text, speaker in quotes if text.startswith("Some bridges")] == ["Tomas Brell"]


POST_QUOTED_THEN_EMBEDDED = """<html><body><article>
<h1>Mayor answers the critics of the new bike lanes</h1>
<p>Mayor Lena Ostrova defended the bike lanes on Tuesday. "Every new lane has fewer crashes than the road
had before it," Ostrova posted.</p>
<p>Her full post:</p>
<blockquote><p>Every new lane has fewer crashes than the road had before it. The numbers are on the city
website for anyone to check.</p>— Mayor Lena Ostrova (@lenaostrova) June 3, 2025</blockquote>
<p>The council votes on two more lanes next month.</p>
</article></body></html>
"""


def test_an_embedded_post_the_body_quoted_first_is_a_quote(tmp_path: Path) -> None:
    """A post quoted in the body and then embedded, signed "— Name (@handle) date": the embed is the post
    itself, not the page repeating its own words, so it is a quote of its author."""
    quotes = written_quotes(tmp_path, "lanes.html", POST_QUOTED_THEN_EMBEDDED)
    assert [speaker for text, speaker in quotes if text.startswith("Every new lane")] == [
        "Lena Ostrova",
        "Lena Ostrova",
    ]


IN_THE_WORDS_OF = """<html><body><article>
<h1>A beekeeper's allergy, traced to her own veil</h1>
<p>A case report published this month describes a beekeeper whose cough would not go away.</p>
<p>This is how hard the winter was, in the words of the beekeeper: "By January I could not carry a single
frame across the yard without stopping to sit down. I slept most of the day and still woke up tired."</p>
<p>Her doctors found the cause in the spring.</p>
</article></body></html>
"""

IN_THE_WORDS_OF_A_LINK = """---
title: "Who still runs tape?"
---

Tape sounds old-fashioned, but in [the words of Norvane](https://example.org/2019/04/norvane-publishes-archivists-notes.html),
"we keep every backup of the last ten years on tape in some of the services that we run".

Nobody expected that.
"""


def test_in_the_words_of_someone_credits_the_quotation(tmp_path: Path) -> None:
    """ "…, in the words of the beekeeper: “…”": like "according to", the phrase names whose words
    follow (an unnamed beekeeper); in a Markdown link ("in [the words of X](address)") the address's words
    are no owner."""
    quotes = written_quotes(tmp_path, "veil.html", IN_THE_WORDS_OF)
    assert [speaker for text, speaker in quotes if text.startswith("By January")] == ["an unnamed beekeeper"]
    quotes = written_quotes(tmp_path, "tape.md", IN_THE_WORDS_OF_A_LINK)
    assert [speaker for text, speaker in quotes if text.startswith("we keep")] in (["Norvane"], ["unknown"])


AS_SHE_RELATED = """<html><body><article>
<h1>A sailor's long way home</h1>
<p>Greta Lindholm sailed alone from Cape Town to Bergen last year, a trip she had planned for a decade.</p>
<p>The last week was the hardest. As she related, "the wind dropped for six days and I had almost nothing
left to eat. I counted the biscuits every morning and talked to the gulls."</p>
<p>She plans to write a book about the voyage.</p>
</article></body></html>
"""


def test_as_she_related_introduces_her_words(tmp_path: Path) -> None:
    """ "As she related, “…”": "relate" (to tell) is a verb of saying, so the quotation is hers."""
    quotes = written_quotes(tmp_path, "sailor.html", AS_SHE_RELATED)
    assert [speaker for text, speaker in quotes if text.startswith("the wind")] == ["Greta Lindholm"]


REVERSED_OPENING_MARK = """<html><body><article>
<h1>Flood warnings along the river</h1>
<p>Residents of the lower valley were told to move their cars to higher ground on Sunday.</p>
<p>Priya Nandakumar, who runs the bakery by the bridge, said: ”We moved the ovens upstairs last night and
we will open again when the water goes down.”</p>
<p>The warnings stay in place until Wednesday.</p>
</article></body></html>
"""


def test_a_quotation_opened_with_a_closing_mark_after_a_colon_is_a_quote(tmp_path: Path) -> None:
    """ "X said: ”…”": the opening mark is set the wrong way round, and the words are a quotation all the
    same."""
    quotes = written_quotes(tmp_path, "flood.html", REVERSED_OPENING_MARK)
    assert [speaker for text, speaker in quotes if text.startswith("We moved")] == ["Priya Nandakumar"]
