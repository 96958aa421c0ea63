"""Citation checking: markers verified, re-pointed to the supporting source, or removed."""

from __future__ import annotations

from assistant.checks.citations import CitationChecker, verify_citation
from assistant.records import Passage
from assistant.text import content_stems

PAGE = (
    "Intro text. When you hear the term deep learning, just think of a large deep neural net. "
    "Deep refers to the number of layers typically. Filler. "
    "Deep learning methods can overfit like any other method, so use regularization and more data."
)
DOC = "page.txt"


def _passage(rank: int, text: str, kind: str = "expert_quote", **meta: object) -> Passage:
    start = PAGE.index(text)
    return Passage(
        rank=rank,
        kind=kind,
        text=text,
        score=1.0 / rank,
        document=DOC,
        char_start=start,
        char_end=start + len(text),
        chunk_id=f"c{rank}",
        **meta,
    )  # type: ignore[arg-type]


DEAN = _passage(
    1,
    "When you hear the term deep learning, just think of a large deep neural net. "
    "Deep refers to the number of layers typically.",
    speaker="Jeff Dean",
    source_title="Deep Learning for Building Intelligent Computer Systems",
    year=2016,
)
REPLY = _passage(
    2,
    "Deep learning methods can overfit like any other method, so use regularization and more data.",
    kind="comment",
    author="Jason Brownlee",
    is_author_reply=True,
)
PAGES = {DOC: PAGE}


def test_correct_marker_is_kept_and_quote_is_verbatim() -> None:
    checked = CitationChecker([DEAN, REPLY], PAGES).check(
        "Jeff Dean says deep refers to the number of layers in a deep neural net [1]."
    )
    assert len(checked.citations) == 1
    citation = checked.citations[0]
    assert citation.speaker == "Jeff Dean" and citation.year == 2016
    assert PAGE[citation.char_start : citation.char_end] == citation.quote
    assert verify_citation(citation, PAGES)
    assert checked.text.endswith("[1].")


def test_wrong_number_is_repointed_to_the_supporting_source() -> None:
    checked = CitationChecker([DEAN, REPLY], PAGES).check(
        "Deep learning methods can overfit like any other method [1]."
    )
    assert checked.repointed == 1
    assert [c.kind for c in checked.citations] == ["comment"]
    assert checked.citations[0].is_author_reply
    assert "[1]" in checked.text  # renumbered: the only citation is [1]


def test_out_of_range_marker_is_repointed_or_removed() -> None:
    checked = CitationChecker([DEAN, REPLY], PAGES).check("Deep refers to the number of layers [7].")
    assert [c.speaker for c in checked.citations] == ["Jeff Dean"]


def test_unsupported_sentence_is_dropped() -> None:
    checked = CitationChecker([DEAN, REPLY], PAGES).check(
        "Deep refers to the number of layers [1]. Paris has wonderful restaurants and museums [2]."
    )
    assert "Paris" not in checked.text
    assert any("Paris" in s for s in checked.dropped)
    assert len(checked.citations) == 1


def test_wrong_attribution_is_not_accepted() -> None:
    hinton = _passage(3, "Intro text.", speaker="Geoffrey Hinton")
    checked = CitationChecker([DEAN, REPLY, hinton], PAGES).check(
        "Geoffrey Hinton said deep refers to the number of layers in a large deep neural net [1]."
    )
    # The claim names Hinton, but only Dean's quote supports it: never shown as Dean's words about Hinton.
    assert all(c.speaker != "Jeff Dean" for c in checked.citations)


def test_quote_not_in_page_is_never_shown() -> None:
    tampered = {DOC: PAGE.replace("large deep neural net", "small shallow net")}
    checked = CitationChecker([DEAN, REPLY], tampered).check("Deep refers to the number of layers [1].")
    assert checked.citations == ()
    assert "[1]" not in checked.text


def test_missing_marker_gets_the_supporting_source() -> None:
    checked = CitationChecker([DEAN, REPLY], PAGES).check("Deep learning methods can overfit like any other.")
    assert [c.author for c in checked.citations] == ["Jason Brownlee"]


def test_question_framing_pinned_on_a_source_that_does_not_say_it_is_dropped() -> None:
    vocabulary = {s for p in (PAGE,) for s in content_stems(p)}  # the material never says "coined"
    checker = CitationChecker(
        [DEAN, REPLY], PAGES, question="Who coined the term deep learning?", vocabulary=vocabulary
    )
    checked = checker.check(
        "Jeff Dean coined the term deep learning [1]. Deep refers to the number of layers [1]."
    )
    assert not any("coined" in s for s in checked.text.split(". "))
    assert any("coined" in s for s in checked.dropped)
    assert [c.speaker for c in checked.citations] == ["Jeff Dean"]  # the supported sentence stays


def test_question_words_the_material_uses_elsewhere_are_not_held_against_a_claim() -> None:
    vocabulary = set(content_stems(PAGE + " Jeff Dean colleagues"))
    checker = CitationChecker(
        [DEAN, REPLY], PAGES, question="What did Dean and colleagues say about layers?", vocabulary=vocabulary
    )
    checked = checker.check("Jeff Dean and colleagues said deep refers to the number of layers [1].")
    assert [c.speaker for c in checked.citations] == ["Jeff Dean"]


def test_words_pointing_at_a_marker_do_not_dangle() -> None:
    checked = CitationChecker([DEAN, REPLY], PAGES).check(
        "Deep refers to the number of layers in a deep neural net, as stated in [1]."
    )
    assert checked.text == "Deep refers to the number of layers in a deep neural net [1]."


def test_a_closing_quote_written_after_the_sentence_end_stays_with_its_sentence() -> None:
    checked = CitationChecker([DEAN, REPLY], PAGES).check(
        'Jason Brownlee replied that "Deep learning methods can overfit like any other method? " [2]'
    )
    assert (
        checked.text
        == 'Jason Brownlee replied that "Deep learning methods can overfit like any other method?" [1]'
    )
    assert '""' not in checked.text


def test_a_translation_in_quotation_marks_loses_them_in_any_language() -> None:
    from assistant.checks.citations import verbatim_quotes_only

    sources = ["When you hear the term deep learning, just think of a large deep neural net."]
    # A translated quote is no one's exact words: German, French and an unclosed mark all lose their marks.
    assert verbatim_quotes_only("Er sagte „denk an ein großes Netz“ [1].", sources) == (
        "Er sagte denk an ein großes Netz [1]."
    )
    assert verbatim_quotes_only("Il a dit « pense à un grand réseau » [1].", sources) == (
        "Il a dit pense à un grand réseau [1]."
    )
    assert verbatim_quotes_only('Der Artikel sagt: "Denk an ein großes Netz.', sources) == (
        "Der Artikel sagt: Denk an ein großes Netz."
    )
    # The source's own words keep theirs.
    kept = "Jeff Dean sagte: “When you hear the term deep learning” [1]."
    assert verbatim_quotes_only(kept, sources) == kept
