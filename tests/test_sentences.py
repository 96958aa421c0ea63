"""The one sentence splitter: edited prose (pages, passages, answers) and informal comments."""

from __future__ import annotations

from index.text import sentence_texts


def test_prose_ends_before_a_capital_and_not_after_an_abbreviation() -> None:
    text = "Rep. Omar spoke on Jan. 5 in St. Paul. She left. then nothing"
    assert sentence_texts(text) == ["Rep. Omar spoke on Jan. 5 in St. Paul.", "She left. then nothing"]


def test_closing_marks_stay_out_and_a_quote_or_bullet_starts_a_sentence() -> None:
    assert sentence_texts('He said "go." Then he left? " [2]') == ['He said "go.', "Then he left?", '" [2]']
    assert sentence_texts("Two kinds:\n\n- one\n- two") == ["Two kinds:", "- one\n- two"]


def test_an_ellipsis_ends_a_sentence_unless_a_quotation_goes_on_after_it() -> None:
    assert len(sentence_texts("“3 anos, 3 anos…” Veja, isso.")) == 1
    assert sentence_texts("Hi… I am a developer.") == ["Hi…", "I am a developer."]
    assert sentence_texts("I wonder… is it so", informal=True) == ["I wonder…", "is it so"]


def test_comments_end_at_any_line_break_and_before_lower_case() -> None:
    comment = "thanks. great post\nwhat about RNNs? they seem hard"
    assert sentence_texts(comment, informal=True) == [
        "thanks.",
        "great post",
        "what about RNNs?",
        "they seem hard",
    ]
    assert sentence_texts("Thanks Dr. Smith.", informal=True) == ["Thanks Dr. Smith."]
