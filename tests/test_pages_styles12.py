"""Page styles of round twelve (precision: a wrong named speaker is worse than none), each on a small page
written for the test: a he/she after a sentence naming several people."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes

SUBJECTS_INSIDE_THE_OBJECT = """<html><body><article>
<h1>Two night wardens charged over the river jail escape</h1>
<p>Two wardens of the Ossory river jail were charged on Monday with falsifying the night log on the
evening an inmate, Peter Lang, escaped through a laundry vent.</p>
<p>Tomas Ferrant, who represents the older warden, Leon Marsh, said his client would fight the charges.</p>
<p>“We had hoped the prison service would look at its own staffing first,” Ferrant said.</p>
<p>Ferrant declined to say whether Marsh left his post on the night Lang escaped. “When the whole
record is read, people will see how thinly the night shift was stretched for years,” he said.</p>
</article></body></html>
"""


def test_a_he_after_several_subjects_means_the_main_verb_s_subject(tmp_path: Path) -> None:
    """ "X declined to say whether Y left ... the night Z escaped. “…,” he said": X, the subject of the
    sentence's main verb, not Z, the last subject of a clause inside its object."""
    quotes = written_quotes(tmp_path, "jail.html", SUBJECTS_INSIDE_THE_OBJECT)
    assert [speaker for text, speaker in quotes if text.startswith("When the whole")] == ["Tomas Ferrant"]


ROLE_REPORTS_THE_PRONOUN = """<html><body><article>
<h1>Caller admits threatening a county commissioner</h1>
<p>Aldo Reyes Quint, 61, of Marlow pleaded guilty on Tuesday to threatening county commissioner Renata
Okoye, the district attorney said.</p>
<p>He was arrested in June after a call to the commission office.</p>
<p>Okoye is the longest-serving member of the county commission.</p>
<p>The clerk who answered the call recalled that he said, "You will not get home safely after the next
vote, I promise you that," the district attorney's office said.</p>
</article></body></html>
"""


def test_a_he_in_what_an_unnamed_person_recalls_is_nobody_named(tmp_path: Path) -> None:
    """ "The clerk who answered the call recalled that he said, “…”": he may be the clerk or someone the
    page named before; the sentence does not say whom, so the quotation has no named speaker (not the
    person the sentence before has for subject)."""
    quotes = written_quotes(tmp_path, "threat.html", ROLE_REPORTS_THE_PRONOUN)
    assert [speaker for text, speaker in quotes if text.startswith("You will not")] == ["unknown"]


PERSON_AS_OBJECT = """<html><body><article>
<h1>Harbour smuggling ring broken up</h1>
<p>Customs director Ilse Varga said officers had watched the harbour for months before the raid.</p>
<p>Officers detained Jonas Reller on Thursday as he unloaded a second boat at the east quay.</p>
<p>“We knew the boats came in at night, and we knew which quay they used every single time,” she said.</p>
</article></body></html>
"""


def test_a_she_after_a_sentence_about_what_is_done_to_a_person_is_nobody_named(tmp_path: Path) -> None:
    """ "Officers detained X on Thursday. “…,” she said": X is no subject and the sentence reports no one's
    words; she is not X (nor surely the person quoted before), so the quotation has no named speaker."""
    quotes = written_quotes(tmp_path, "harbour.html", PERSON_AS_OBJECT)
    assert [speaker for text, speaker in quotes if text.startswith("We knew")] == ["unknown"]


PASSIVE_SUBJECT_AFTER_A_SPEAKER = """<html><body><article>
<h1>Builder denies cutting corners on the school roof</h1>
<p>Attorney Felix Marr said his client, the builder Otto Brandt, would answer every charge in court.</p>
<p>Brandt was charged in October after part of the school roof fell in during a storm.</p>
<p>“The inspectors signed off on every stage of that roof, and they will say so under oath,” he said.</p>
</article></body></html>
"""


def test_a_he_after_a_passive_subject_with_another_man_named_just_before_is_nobody_named(
    tmp_path: Path,
) -> None:
    """ "A said his client B would ... / B was charged in October ... / “…,” he said": he may be A (who
    spoke just before) or B (whom the last sentence is about, done to, reporting no words); the page does
    not say which, so the quotation has no named speaker."""
    quotes = written_quotes(tmp_path, "roof.html", PASSIVE_SUBJECT_AFTER_A_SPEAKER)
    assert [speaker for text, speaker in quotes if text.startswith("The inspectors")] == ["unknown"]


MEMBER_OF_A_PARTY = """<html><body><article>
<h1>Senate panel splits over the water bill</h1>
<p>The state Senate's water committee voted 6-5 on Wednesday to send the reservoir bill to the floor.</p>
<p>“Every farmer in the valley will pay for this bill, and not one of them was asked,” the Republican
from the northern district said after the vote.</p>
</article></body></html>
"""


def test_the_member_of_a_party_is_an_unnamed_person_not_the_party(tmp_path: Path) -> None:
    """ "“…,” the Republican from the northern district said": one member, described, not a name nor the
    party speaking."""
    quotes = written_quotes(tmp_path, "senate.html", MEMBER_OF_A_PARTY)
    assert [speaker for text, speaker in quotes if text.startswith("Every farmer")] == [
        "an unnamed republican"
    ]


DESCRIBED_SPEAKER_BEFORE = """<html><body><article>
<h1>Market hall reopens after the flood</h1>
<p>Market manager Rhea Dunmore said every stall had been rebuilt with raised floors.</p>
<p>A fishmonger who has kept a stall there for thirty years said she had nearly given up in the spring.</p>
<p>“I lost two freezers and a whole week of stock, and the insurance paid for almost none of it,”
she said.</p>
</article></body></html>
"""


def test_a_she_after_a_described_speaker_is_that_unnamed_person(tmp_path: Path) -> None:
    """ "A fishmonger who ... said she had nearly given up. “…,” she said": she goes on with the person the
    sentence before describes (unnamed), not the person named before that."""
    quotes = written_quotes(tmp_path, "market.html", DESCRIBED_SPEAKER_BEFORE)
    assert [speaker for text, speaker in quotes if text.startswith("I lost")] == ["an unnamed fishmonger"]


ANSWER_TO_A_PERSON = """# The allotment dispute

The allotment society wrote to the council in March about the new water charges.

Oskar Brandt's reply to Petra Lindqvist read:

> The charges follow the national tariff, and no exception can be made for allotments or community
> gardens, however long they have been in use.

The society will raise the matter again at its autumn meeting.
"""


def test_a_block_quote_after_a_lead_in_naming_its_addressee_is_not_theirs(tmp_path: Path) -> None:
    """ "Y's reply to X read:": X, the person the lead-in names last (Y only as a possessive), is whom the
    words went to, not who wrote them."""
    quotes = written_quotes(tmp_path, "allotments.md", ANSWER_TO_A_PERSON)
    assert [speaker for text, speaker in quotes if "national tariff" in text] in ([], ["unknown"])


INTERVIEWED_WITH = """<html><body><article>
<h1>The last lighthouse keeper</h1>
<p>The lighthouse on Skerry Point was automated in 1994, and its keepers moved ashore.</p>
<p>Our reporter spent an afternoon on the point with Ewan Mackley, its last keeper.</p>
<p>“The lamp never failed once in the twenty years I kept it, though the generator did twice,” he
said.</p>
</article></body></html>
"""


def test_a_he_after_a_sentence_spent_with_a_person_is_that_person(tmp_path: Path) -> None:
    """ "Our reporter spent an afternoon with X. “…,” he said": X, whom the sentence is with, speaks (an
    object of "with" is no object the sentence does something to)."""
    quotes = written_quotes(tmp_path, "keeper.html", INTERVIEWED_WITH)
    assert [speaker for text, speaker in quotes if text.startswith("The lamp")] == ["Ewan Mackley"]


SHE_SAID_SHE = """<html><body><article>
<h1>Ferry timetable to change in spring</h1>
<p>Harbour master Orla Quinlan said she would publish the new timetable by the end of the month.</p>
<p>“The early boat will leave twenty minutes later, and nobody who works in town will miss a shift,” he
said.</p>
</article></body></html>
"""


def test_a_he_does_not_mean_a_person_the_page_called_she_when_saying_so(tmp_path: Path) -> None:
    """ "X said she would ...": the page calls X she, so a "he" after it is not X (here: no one named)."""
    quotes = written_quotes(tmp_path, "ferry.html", SHE_SAID_SHE)
    assert [speaker for text, speaker in quotes if text.startswith("The early boat")] == ["unknown"]


ASKED_THEN_REPLIED = """<html><body><article>
<h1>Orchard owners weigh the frost damage</h1>
<p>The late frost hit the valley's apple orchards hardest in the second week of May.</p>
<p>Wilma Strand asked Tobias Herne whether the insurance would cover the lost blossom.</p>
<p>“Only if the frost came after the first of May, and on my side of the hill it came a day early,” he
replied.</p>
</article></body></html>
"""


def test_a_he_who_replies_is_the_person_just_asked(tmp_path: Path) -> None:
    """ "X asked Y whether ... “…,” he replied": Y, whom the question went to, not X who asked it."""
    quotes = written_quotes(tmp_path, "frost.html", ASKED_THEN_REPLIED)
    assert [speaker for text, speaker in quotes if text.startswith("Only if")] == ["Tobias Herne"]
