"""Interview answers are keyed by the question asked before them; the questions are not evidence.

A student who asks what an interview asked ("what's the hardest part of running it?") matches the
interviewer's question best; the answer after it is what they need.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from index.build import load_corpus
from index.records import Quote
from index.settings import IndexSettings
from index.storage.chunk import QUESTION_KEY, chunk_corpus, interview_questions, reader_question_key
from index.vocabulary import ChunkKind

INTERVIEW = """---
title: "Meet the Seed Library Team"
date: 2024-05-02
---

In this interview, Priya Natarajan talks with Tomas Lindqvist, who runs the town's seed library.

**Priya Natarajan**: How did the seed library get started, and who keeps it going today?

**Tomas Lindqvist**: It began with a shoebox of bean seeds at the front desk. Today about twenty volunteers
sort and label every packet by hand.

**Priya Natarajan**: What is the hardest part of running it?

**Tomas Lindqvist**: Keeping the varieties true. Squash cross-pollinates so easily that half the packets we
get back are surprises.

**Priya Natarajan**: What would you tell someone who wants to start one?

**Tomas Lindqvist**: Start small, with seeds that are easy to save, like tomatoes and beans.
"""


# Questions set in bold and credited to no one; each answer opened by its speaker's initials.
BOLD_QUESTIONS = """<html><head><title>Harbor Lights: Mara Quist and Leo Brandt on their film</title></head>
<body><article><h1>Harbor Lights: Mara Quist and Leo Brandt on their film</h1>
<p>Director Mara Quist and actor Leo Brandt spent two winters on a rock in the North Sea to make Harbor
Lights. We talked with them about storms, keepers and the last manned lighthouse.</p>
<p><strong>Mara, why did you choose a lighthouse for your first feature?</strong></p>
<p>MQ My grandfather kept the light at Skerry Point for thirty years. I grew up on his stories.</p>
<p><strong>Leo, how did you prepare for the role of the keeper?</strong></p>
<p>LB I spent a month with the last keeper on the coast. He taught me to trim the wick.</p>
<p>MQ He came back with a beard and a limp.</p>
<p><strong>Was the weather ever dangerous for the crew?</strong></p>
<p>MQ Twice we had to leave the island by helicopter. The sea came over the top of the tower.</p>
</article></body></html>
"""


def _quote(speaker: str, text: str, start: int) -> Quote:
    return Quote(speaker, None, None, text, "news.html", start, start + len(text), "", "")


def test_an_interview_answer_is_keyed_by_its_question(tmp_path: Path) -> None:
    (tmp_path / "interview.md").write_text(INTERVIEW, encoding="utf-8")
    chunks = chunk_corpus(load_corpus(IndexSettings(tmp_path, tmp_path / "index")))
    quotes = [c for c in chunks if c.kind == ChunkKind.EXPERT_QUOTE]
    assert [c.speaker for c in quotes] == ["Tomas Lindqvist"] * 3, "the questions are not evidence"
    hardest = next(c for c in quotes if c.text.startswith("Keeping the varieties true"))
    assert hardest.question == "What is the hardest part of running it?"
    assert hardest.question_author == "Priya Natarajan"
    assert hardest.embed_text.startswith(f"{QUESTION_KEY}What is the hardest part")


def test_an_interviewers_unattributed_questions_key_the_answers_and_are_not_evidence(tmp_path: Path) -> None:
    (tmp_path / "film.html").write_text(BOLD_QUESTIONS, encoding="utf-8")
    chunks = chunk_corpus(load_corpus(IndexSettings(tmp_path, tmp_path / "index")))
    assert not [c for c in chunks if c.kind == ChunkKind.ARTICLE and "?" in c.text], "no question is evidence"
    keyed = {c.text.split(".")[0]: c.question for c in chunks if c.kind == ChunkKind.EXPERT_QUOTE}
    assert keyed == {
        "My grandfather kept the light at Skerry Point for thirty years": (
            "Mara, why did you choose a lighthouse for your first feature?"
        ),
        "I spent a month with the last keeper on the coast": (
            "Leo, how did you prepare for the role of the keeper?"
        ),
        "He came back with a beard and a limp": None,  # a second answer, after another answer
        "Twice we had to leave the island by helicopter": "Was the weather ever dangerous for the crew?",
    }


def test_a_rhetorical_question_in_a_news_story_stays_a_quote() -> None:
    asked = _quote("Ada Moreno", "Who would have believed the river could rise so fast?", 0)
    answered = _quote("Ben Okafor", "We moved the pumps to the school by midnight.", 100)
    later = _quote("Ada Moreno", "The town has never flooded in May.", 200)
    assert interview_questions([asked, answered, later]) == {}


def test_two_questions_by_one_person_each_answered_by_another_make_an_interview() -> None:
    quotes = [
        _quote("Host", "Why did you leave?", 0),
        _quote("Guest", "The work had changed.", 50),
        _quote("Host", "And what now?", 100),
        _quote("Guest", "A small farm.", 150),
    ]
    assert {a: q.text for a, q in interview_questions(quotes).items()} == {
        quotes[1].quote_id: "Why did you leave?",
        quotes[3].quote_id: "And what now?",
    }


def test_one_question_on_each_of_two_pages_is_no_interview() -> None:
    first = [_quote("Host", "Why did you leave?", 0), _quote("Guest", "The work had changed.", 50)]
    second = [replace(q, document="other.html") for q in first]
    assert interview_questions([*first, *second]) == {}


def test_a_readers_question_is_keyed_without_the_name_of_the_one_it_asks() -> None:
    assert reader_question_key("So Ada, what is the next step after compilers?", "Ada Quill") == (
        "So what is the next step after compilers?"
    )
    assert reader_question_key("Hi Ada Quill! Which book first?", "Ada Quill") == "Hi Which book first?"
    # Too little left without the name: the question is kept as written.
    assert reader_question_key("Ada, why?", "Ada Quill") == "Ada, why?"
    assert reader_question_key("Why does Adam like it?", "Ada Quill") == "Why does Adam like it?"
