"""Page styles of round eleven (all labelled parts as development data), each on a small page written
for the test: block quotes in a row of which only a later one is signed, a question word that is also a
first name, a long comment thread listed flat."""

from __future__ import annotations

import time
from pathlib import Path

import lxml.html
from spacy.tokens import Doc
from spacy.vocab import Vocab

from index.quotes.attribution import _classify, _subject
from index.reading.thread_markup import markup_thread
from index.vocabulary import SubjectKind
from tests.synthetic_page import written_quotes

UNSIGNED_THEN_SIGNED = """---
title: "Notes from the Lantern Valley Beekeeping Day"
author: Corin Ashdown
---

The valley association held its yearly beekeeping day in the old mill barn, with talks on swarm control
and a long session on winter feeding.

The association's handbook sets out the rule for new members plainly:

> Every hive must be inspected at least once a fortnight between April and September, and each inspection
> is written in the hive book before the keeper leaves the apiary.

> Nobody told me how calm you feel after an hour with the bees. I came for the honey and stayed for the
> quiet of the afternoons.
>
> — Marisol Tennant

Next year's day will be held in June, when the lime trees are in flower.
"""


def test_a_signature_signs_its_own_block_quote_not_the_unsigned_one_before(tmp_path: Path) -> None:
    quotes = written_quotes(tmp_path, "bees.md", UNSIGNED_THEN_SIGNED)
    signed = [text.split()[0] for text, speaker in quotes if speaker == "Marisol Tennant"]
    assert signed == ["Nobody"]
    rule = [speaker for text, speaker in quotes if text.startswith("Every hive")]
    assert rule in ([], ["unknown"])


def test_a_question_word_that_is_also_a_first_name_names_no_one() -> None:
    """A speaker "Will Oduya": "will" in a question is the verb unless written as a name (a capital inside
    the sentence); his surname names him however it is written."""
    from index.storage.lexical import LexicalBuilder
    from index.vocabulary import ChunkKind

    builder = LexicalBuilder()
    for chunk_id, speaker in (("q1", "Will Oduya"), ("q2", "Grace Mbeki")):
        meta = {"kind": ChunkKind.EXPERT_QUOTE.value, "speaker": speaker}
        builder.add(chunk_id, f"Words said by {speaker} about the harbour wall.", meta)
    lexical = builder.finish()
    assert lexical.people("Will the harbour wall hold in a storm?") == []
    assert lexical.people("how long will the wall last? what may break first?") == []
    assert [p.chunk_id for p in lexical.people("What did Will Oduya say about the wall?")] == ["q1"]
    assert [p.chunk_id for p in lexical.people("did oduya like it?")] == ["q1"]
    assert [p.chunk_id for p in lexical.people("Will Grace Mbeki speak again?")] == ["q2"]


def _plain_comment(n: int) -> str:
    return f"""<div id="c{n}" class="row"><div class="Comment x0"><a class="x1" href="/user/reader{n}/"></a>
<div class="x3"><a href="/r/x/comments/1/comment/c{n}/">2 yr. ago</a><div class="x4"><p class="x6">Reply {n}:
the pear tree by the wall gave {n % 9 + 2} baskets this year.</p></div></div></div></div>"""


def test_a_long_flat_thread_without_indentation_is_read_in_linear_time() -> None:
    """3000 comments side by side in one container, none indented: finding that no comment states an
    indentation looks at each comment's ancestors once (it walked the whole container for each comment:
    about 25 s here), and the thread stays flat."""
    comments = "\n".join(_plain_comment(n) for n in range(3000))
    doc = lxml.html.fromstring(f"<html><body><div class='thread'>{comments}</div></body></html>")
    started = time.perf_counter()
    thread = markup_thread(doc)
    elapsed = time.perf_counter() - started
    assert len(thread) == 3000 and all(c.parent is None for c in thread)
    assert thread[7].author == "reader7"
    assert elapsed < 10.0


EXCERPT_AFTER_QUOTE = """<html><head><title>Fact check: were the ferries stopped?</title></head><body>
<article>
<h1>Fact check: were the ferries stopped?</h1>
<p>The island council claimed last week that the coast guard had stopped the spring ferries from leaving the
northern harbour.</p>
<p>Marta Quillon, who runs the harbour office on Dunmore Island, told our reporters the claim is wrong.</p>
<p>“I have watched every ferry leave this harbour since March, and not one was held back,” Quillon said.</p>
<p>“The timetable was cut because two of the boats needed new engines, nothing more.”</p>
<p>“… stop the ferries from carrying families off the island before the storms”</p>
<p>The council has not offered any evidence for its claim, and the coast guard denies it.</p>
</article></body></html>"""


def test_a_quotation_opening_with_an_elision_does_not_go_on_with_the_speaker_before(tmp_path: Path) -> None:
    """A paragraph that is only quoted words opening inside a sentence ("… stop the ferries from ...") is
    an excerpt of some text, not the last speaker going on; a paragraph opening a new sentence still is."""
    quotes = written_quotes(tmp_path, "ferries.html", EXCERPT_AFTER_QUOTE)
    assert [speaker for text, speaker in quotes if text.startswith(("I have", "The timetable"))] == [
        "Marta Quillon",
        "Marta Quillon",
    ]
    assert [speaker for text, speaker in quotes if "stop the ferries" in text] in ([], ["unknown"])


RELATIVE_SPEAKER = """<html><head><title>Quay repairs wait for the new mayor</title></head><body><article>
<h1>Quay repairs wait for the new mayor</h1>
<p>Petra Lund was elected mayor of Dunmore in May after a campaign fought mostly over the harbour.</p>
<p>The stone quays on the north side have been crumbling for a decade, and two were closed last winter.</p>
<p>What nobody knows yet is what Lund will do for the fishermen and the Dunmore harbour trust, which has
spoken often about “the slow loss of the old quays to the sea.”</p>
<p>The council meets again in September to set the harbour budget for next year.</p>
</article></body></html>"""


def test_a_relative_clause_s_verb_of_speaking_credits_the_noun_before_its_pronoun(tmp_path: Path) -> None:
    """ "the fishermen and the trust, which has spoken about “…”": "speak" is a verb of saying, and "which"
    is the trust (the noun just before it, where the parser hangs the clause on the first noun), neither
    the fishermen nor the person the sentence names elsewhere."""
    quotes = written_quotes(tmp_path, "quays.html", RELATIVE_SPEAKER)
    speakers = [speaker for text, speaker in quotes if text.startswith("the slow loss")]
    assert len(speakers) == 1 and ("trust" in speakers[0] or speakers[0] == "unknown")


def _parsed(words: list[str], heads: list[int], deps: list[str], tags: list[str], pos: list[str]) -> Doc:
    lemmas = ["say" if w == "said" else "tell" if w in ("telling", "told") else w.lower() for w in words]
    return Doc(Vocab(), words=words, heads=heads, deps=deps, tags=tags, pos=pos, lemmas=lemmas)


def test_the_speaker_after_a_said_clause_verb_is_its_subject_though_parsed_as_its_object() -> None:
    # "“Yes,” said a second guard, Tomas Brennan.": the parser took "guard" for the object of "said".
    doc = _parsed(
        ["Yes", ",", "said", "a", "second", "guard", ",", "Tomas", "Brennan", "."],
        heads=[2, 2, 2, 5, 5, 2, 5, 8, 5, 2],
        deps=["ccomp", "punct", "ROOT", "det", "amod", "dobj", "punct", "compound", "appos", "punct"],
        tags=["UH", ",", "VBD", "DT", "JJ", "NN", ",", "NNP", "NNP", "."],
        pos=["INTJ", "PUNCT", "VERB", "DET", "ADJ", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT"],
    )
    subject = _subject(doc[2])
    assert subject is not None and subject.text == "guard"
    # "…,” Ana weighed in, telling Cook, “…”: a participle's object is whom it addresses, not its subject.
    doc = _parsed(
        ["Ana", "agreed", ",", "telling", "Cook", "Yes"],
        heads=[1, 1, 1, 1, 3, 3],
        deps=["nsubj", "ROOT", "punct", "advcl", "dobj", "ccomp"],
        tags=["NNP", "VBD", ",", "VBG", "NNP", "UH"],
        pos=["PROPN", "VERB", "PUNCT", "VERB", "PROPN", "INTJ"],
    )
    subject = _subject(doc[3])
    assert subject is not None and subject.text == "Ana"
    # "Ana stood up, told the room “…”": a verb joined to another, whose object is the person addressed.
    doc = _parsed(
        ["Ana", "stood", "up", ",", "told", "the", "room", "Yes"],
        heads=[1, 1, 1, 1, 1, 6, 4, 4],
        deps=["nsubj", "ROOT", "prt", "punct", "conj", "det", "dobj", "intj"],
        tags=["NNP", "VBD", "RP", ",", "VBD", "DT", "NN", "UH"],
        pos=["PROPN", "VERB", "ADP", "PUNCT", "VERB", "DET", "NOUN", "INTJ"],
    )
    subject = _subject(doc[4])
    assert subject is not None and subject.text == "Ana"


def test_a_lower_case_word_the_tagger_calls_a_proper_noun_is_no_name() -> None:
    # "The Norland water board said it “…”": the tagger marks "board" NNP; a name is capitalised.
    doc = _parsed(
        ["The", "Norland", "water", "board", "said", "it", "Yes"],
        heads=[3, 3, 3, 4, 4, 4, 4],
        deps=["det", "amod", "compound", "nsubj", "ROOT", "dobj", "intj"],
        tags=["DT", "JJ", "NN", "NNP", "VBD", "PRP", "UH"],
        pos=["DET", "ADJ", "NOUN", "PROPN", "VERB", "PRON", "INTJ"],
    )
    found = _classify(doc[3], "say")
    assert found.kind == SubjectKind.ROLE and found.text == "board"
    doc = _parsed(
        ["Lena", "Ostrova", "said", "Yes"],
        heads=[1, 2, 2, 2],
        deps=["compound", "nsubj", "ROOT", "intj"],
        tags=["NNP", "NNP", "VBD", "UH"],
        pos=["PROPN", "PROPN", "VERB", "INTJ"],
    )
    assert _classify(doc[1], "say").kind == SubjectKind.NAME
    doc = _parsed(
        ["kettle_fan", "said", "Yes"],
        [1, 1, 1],
        ["nsubj", "ROOT", "intj"],
        ["NNP", "VBD", "UH"],
        ["PROPN", "VERB", "INTJ"],
    )
    assert _classify(doc[0], "say").kind == SubjectKind.NAME  # a user name: not a word of the language


REPORT_FROM = """<html><head><title>Oyster beds recover along the north shore</title></head><body><article>
<h1>Oyster beds recover along the north shore</h1>
<p>The oyster beds off the north shore have grown back faster than anyone expected after the dredging
ban.</p>
<p>“Two of the three beds now hold more oysters than they did before the ban, and the third is close behind,”
said a report from the Northwind Marine Institute.</p>
<p>“The water over the beds has been clearer every summer since the dredgers left,” the report said.</p>
<p>Fishing for oysters will be allowed again next spring, with a limit on each boat's catch.</p>
</article></body></html>"""


def test_a_report_from_an_organisation_speaks_for_it(tmp_path: Path) -> None:
    """ "said a report from the Northwind Marine Institute": the text says whose it is (the object of
    "from"), and "the report said" after it is the same report's."""
    speakers = [speaker for _, speaker in written_quotes(tmp_path, "oysters.html", REPORT_FROM)]
    assert speakers == ["Northwind Marine Institute", "Northwind Marine Institute"]


SPEAK_FOR_THEMSELVES = """<html><head><title>A poor season for the Dunmore boats</title></head><body><article>
<h1>A poor season for the Dunmore boats</h1>
<p>The Dunmore fleet had its worst autumn in twenty years, and the harbour office has published the catch.</p>
<p>The catch figures speak for themselves: “Nine of ten boats came home with less than half a hold.”</p>
<p>The fleet will meet in January to decide whether to fish further south next year.</p>
</article></body></html>"""


def test_speaking_is_saying_only_about_the_quotation(tmp_path: Path) -> None:
    """ "speak" says the quotation's words when they are what is spoken about ("has spoken about “…”"),
    not in "the figures speak for themselves: “…”" (figures say nothing)."""
    speakers = [speaker for _, speaker in written_quotes(tmp_path, "fleet.html", SPEAK_FOR_THEMSELVES)]
    assert "figures" not in " ".join(speakers)


INITIALS_INTRODUCED_IN_PROSE = """---
title: "Spotlight on the Tidewater Mapping Group"
---

In this post, [Oriel Vance-Harrow, Coastline Lab](https://example.org/ov) and [Tamsin Reyes](https://example.org/tr)
talk about the group's survey work. Their initials **OVH** and **TR** are used below.

**TR**: How did the group start, and what did it map first?

**OVH**: I joined when we had a single boat and a borrowed echo sounder. We mapped the harbour mouth first
because the pilots kept asking us for it.

**TR**: What keeps you in the group?

**OVH**: I think it is the people. We argue about datums for hours and still go for lunch together.
"""


def test_a_turn_label_of_initials_names_the_person_whose_initials_they_are(tmp_path: Path) -> None:
    """Initials given in prose ("Their initials OVH and TR"): each part of a hyphenated surname counts."""
    quotes = written_quotes(tmp_path, "tidewater.md", INITIALS_INTRODUCED_IN_PROSE)
    answers = [speaker for text, speaker in quotes if text.startswith(("I joined", "I think"))]
    asks = [speaker for text, speaker in quotes if text.startswith(("How did", "What keeps"))]
    assert answers == ["Oriel Vance-Harrow", "Oriel Vance-Harrow"]
    assert asks in ([], ["Tamsin Reyes", "Tamsin Reyes"])


GENERATIONAL_SUFFIX = """<html><head><title>Harbour fraud case closes</title></head><body><article>
<h1>Harbour fraud case closes with a plea</h1>
<p>A former harbour clerk pleaded guilty on Tuesday to taking fees from ferry operators for six years.</p>
<p>Marcus T. Okonjo Jr., the district's chief prosecutor, said the plea ends a case that began in 2019.</p>
<p>"Public money collected at the harbour belongs to the people who use the harbour, not to the clerks who
count it," Okonjo said in a statement.</p>
<p>Sentencing is set for March.</p>
</article></body></html>
"""


def test_a_surname_after_a_generational_suffix_names_the_whole_person(tmp_path: Path) -> None:
    """ "Okonjo said" after "Marcus T. Okonjo Jr.": the surname is Okonjo, and "Jr." keeps its full stop."""
    quotes = written_quotes(tmp_path, "harbour.html", GENERATIONAL_SUFFIX)
    speakers = [speaker for text, speaker in quotes if text.startswith("Public money")]
    assert speakers == ["Marcus T. Okonjo Jr."]


SUBJECT_THEN_FIELD = """---
title: "Counting papers"
---

Everyone in research complains about the numbers game, and few do anything about it.

Last month, Halvard Quintero Mbeki, one of the busiest reviewers in Marine Biology (I counted 180 papers
in his name) has posted a note on this topic: [count less](https://example.org/count) (Journal of Reviews,
Volume 9, Number 2). It opens like this:

> As a senior reviewer, I am tired of reading ten thin papers where one careful paper would have done.

I agree with most of it.
"""


def test_a_block_quote_lead_in_gives_it_to_its_subject_not_to_a_field_named_after_him(tmp_path: Path) -> None:
    quotes = written_quotes(tmp_path, "counting.md", SUBJECT_THEN_FIELD)
    assert [speaker for text, speaker in quotes if text.startswith("As a senior")] == [
        "Halvard Quintero Mbeki"
    ]


REPORTED_WITH_ADJUNCT = """<html><head><title>Ferry delays</title></head><body><article>
<h1>Ferry delays continue on the north crossing</h1>
<p>Two more sailings were cancelled on Friday after a second engine fault in a week.</p>
<p>On Thursday, a third fault was reported on a ferry also based at Kestrel Island.</p>
<p>As yet, there is no evidence linking the latest engine fault to the earlier two, the Kestrel Island harbour
board said, according to the Gazette.</p>
<p>Over the years, the north crossing has carried millions of passengers between the islands, and its
oldest ferry entered service in 1986.</p>
</article></body></html>
"""


def test_reported_speech_with_a_phrase_after_said_introduces_no_quote(tmp_path: Path) -> None:
    """ "..., the Kestrel Island harbour board said, according to the Gazette.": the words are given in the
    sentence; the writer's next paragraph is not the board's."""
    assert written_quotes(tmp_path, "ferry.html", REPORTED_WITH_ADJUNCT) == []


PRONOUN_CHAIN = """<html><head><title>Threat case</title></head><body><article>
<h1>Man admits threatening a councillor</h1>
<p>Dario Venn, 41, of Millbrook, pleaded guilty on Monday to threatening a member of the city council.</p>
<p>Venn faces up to five years in prison. Sentencing is set for April.</p>
<p>He was arrested in May for a call to the office of councillor Ada Brill.</p>
<p>During the call, he complained about the new parking rules and said, “you will regret this vote when
winter comes and nobody can park near the market,” the prosecutor said.</p>
</article></body></html>
"""


def test_a_he_after_a_sentence_whose_subject_is_he_continues_that_person(tmp_path: Path) -> None:
    """ "He was arrested for a call to the office of X. During the call, he said": both are the same man;
    X, the only person named in between, is not whom the second "he" means."""
    quotes = written_quotes(tmp_path, "threat.html", PRONOUN_CHAIN)
    assert [speaker for text, speaker in quotes if text.startswith("you will")] == ["Dario Venn"]
