"""Comment roles on the real thread, against the hand labels in eval/comment_roles.jsonl."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from index.build import load_corpus
from index.records import Comment
from index.settings import IndexSettings
from index.threads.roles import asks, assign_roles
from index.vocabulary import CommentRole
from tests.conftest import DATA_DIR, EVAL_DIR, LATER_PAGE, PROJECT_ROOT

LABELS = EVAL_DIR / "comment_roles.jsonl"


@pytest.fixture(scope="module")
def labelled() -> tuple[list[dict[str, str]], dict[str, Comment]]:
    gold = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = load_corpus(IndexSettings(data_dir=DATA_DIR, index_dir=DATA_DIR / "unused"), [LATER_PAGE])
    return gold, {c.comment_id: c for c in corpus.comments}


def test_roles_match_the_hand_labels(labelled: tuple[list[dict[str, str]], dict[str, Comment]]) -> None:
    gold, comments = labelled
    assert len(gold) == len(comments) == 206
    right = sum(comments[g["id"]].role == g["role"] for g in gold)
    assert right / len(gold) >= 0.9, f"{right}/{len(gold)} roles right"


def test_answers_are_linked_to_the_question_they_answer(
    labelled: tuple[list[dict[str, str]], dict[str, Comment]],
) -> None:
    gold, comments = labelled
    answers = [g for g in gold if g["role"] == "answer"]
    linked = sum(comments[g["id"]].answers == g["answers"] for g in answers)
    assert linked / len(answers) >= 0.85, f"{linked}/{len(answers)} answers linked"
    # Every link points at a reader's question, never at a reply.
    for comment in comments.values():
        if comment.answers:
            assert comments[comment.answers].role == "question"
            assert not comments[comment.answers].is_author_reply


def _comment(
    n: int, text: str, *, parent: int | None = None, author: bool = False, thread: int = 1
) -> Comment:
    return Comment(
        comment_id=f"p#{n}",
        author="Site Author" if author else f"Reader {n}",
        date=None,
        date_text="",
        text=text,
        parent=f"p#{parent}" if parent else None,
        thread=f"p#{thread}",
        depth=1 if parent else 0,
        is_author_reply=author,
        spam=False,
        document="p",
        char_start=n * 100,
        char_end=n * 100 + len(text),
    )


@pytest.mark.parametrize(
    "reply, role",
    [
        ("No idea, sorry.", CommentRole.NON_ANSWER),
        ("Too many questions for one comment, sorry.", CommentRole.NON_ANSWER),
        ("Yes, there are many on the blog, use the search box.", CommentRole.NON_ANSWER),
        (
            "Sorry, I don't have tutorials on that topic, I may cover it in the future.",
            CommentRole.NON_ANSWER,
        ),
        ("What do you mean by traditional learning?", CommentRole.NON_ANSWER),
        ("Yes, a random forest can overfit like any other model if the trees are deep.", CommentRole.ANSWER),
        ("Glad it helped!", CommentRole.THANKS),
    ],
)
def test_reply_roles(reply: str, role: CommentRole) -> None:
    question = _comment(1, "Can a random forest overfit?")
    roled = assign_roles([question, _comment(2, reply, parent=1, author=True)])
    assert roled[0].role is CommentRole.QUESTION
    assert roled[1].role is role
    if role in (CommentRole.ANSWER, CommentRole.NON_ANSWER):
        assert roled[1].answers == "p#1"


def test_reader_roles_question_without_a_question_mark_thanks_and_statement() -> None:
    roled = assign_roles(
        [
            _comment(1, "Please suggest which algorithm I should start with for image data", thread=1),
            _comment(2, "Thanks, very useful article!", thread=2),
            _comment(3, "I used this approach in my thesis and it worked well on sensor data.", thread=3),
        ]
    )
    assert [r.role for r in roled] == [CommentRole.QUESTION, CommentRole.THANKS, CommentRole.STATEMENT]


def test_a_reply_nested_under_the_authors_reply_answers_the_question_before_it() -> None:
    """Threads run out of nesting levels: the answer is then attached to the author's previous reply."""
    thread = [
        _comment(1, "What is a model?"),
        _comment(2, "A model is the weights plus the structure after training.", parent=1, author=True),
        _comment(3, "And what are larger models?", parent=2),
        _comment(4, "Larger models are deeper or wider networks with more capacity.", parent=2, author=True),
    ]
    roled = assign_roles(thread)
    assert roled[3].role is CommentRole.ANSWER
    assert roled[3].answers == "p#3"


def test_spam_keeps_its_flag_as_role() -> None:
    spam = replace(_comment(1, "Best training institute, visit our site"), spam=True)
    assert assign_roles([spam])[0].role is CommentRole.SPAM


def test_a_reader_who_was_asked_back_restates_the_question_and_the_next_reply_answers_it() -> None:
    """The author asks what the reader means; the reader says it in a new comment (often a new thread):
    that comment is the question, and the author's reply to it is the answer."""
    asker = "Hazel"
    thread = [
        replace(
            _comment(1, "I would like a small code showing deep learning vs traditional learning"),
            author=asker,
        ),
        _comment(2, "What is “traditional learning” in the context of deep learning?", parent=1, author=True),
        replace(
            _comment(3, "I mean the algorithms without depth, like an RNN versus a DNN.", thread=3),
            author=asker,
        ),
        _comment(
            4,
            "Any neural network may be called deep learning now; the line is marketing.",
            parent=3,
            author=True,
        ),
        replace(
            _comment(5, "I used this approach in my thesis and it worked on sensor data.", thread=5),
            author=asker,
        ),
    ]
    roled = assign_roles(thread)
    assert [r.role for r in roled] == [
        CommentRole.QUESTION,
        CommentRole.NON_ANSWER,
        CommentRole.QUESTION,
        CommentRole.ANSWER,
        CommentRole.STATEMENT,  # only the comment right after being asked back restates the question
    ]
    assert roled[3].answers == "p#3"


def test_a_declining_reply_without_a_question_does_not_turn_the_readers_next_comment_into_a_question() -> (
    None
):
    thread = [
        replace(_comment(1, "Can you share code for stock prediction?"), author="Ravi"),
        _comment(2, "Sorry, I don't have tutorials on that topic.", parent=1, author=True),
        replace(
            _comment(3, "I used LSTMs in my thesis and they worked well on prices.", thread=3), author="Ravi"
        ),
    ]
    assert assign_roles(thread)[2].role is CommentRole.STATEMENT


# The threads of the synthetic test pages (tests/pages/), none of them the seed's: each comment's role as
# its text makes obvious, and the question each answer answers, by the comment's first words.
PAGE_THREADS = {
    "gardening.html": [
        ("Can I use a plastic storage box?", CommentRole.QUESTION, None),
        ("Yes, drill small holes", CommentRole.ANSWER, "Can I use a plastic"),
        ("Mine has fruit flies. Any tips?", CommentRole.QUESTION, None),
    ],
    "soil_memory.txt": [
        ("Does soil memory also explain", CommentRole.QUESTION, None),
        ("Partly, yes. Fields with intact structure", CommentRole.ANSWER, "Does soil memory"),
        ("Great post, thanks for sharing!", CommentRole.THANKS, None),
        ("Thanks Sam, glad it helped.", CommentRole.THANKS, None),
        ("Is there a simple test", CommentRole.QUESTION, None),
        ("Try a slake test", CommentRole.ANSWER, "Is there a simple test"),
    ],
    "wordpress_bees.html": [
        ("What happens if two sites", CommentRole.QUESTION, None),
        ("Good question. Scouts for the weaker site", CommentRole.ANSWER, "What happens if two sites"),
        ("Thanks, that makes sense.", CommentRole.THANKS, None),
        ("Great article! Visit www.", CommentRole.SPAM, None),
    ],
}


def test_roles_on_the_threads_of_the_test_pages() -> None:
    """The rules are about how people write in any thread: they hold on pages written apart from the seed."""
    pages = PROJECT_ROOT / "tests" / "pages"
    files = [pages / name for name in PAGE_THREADS]
    corpus = load_corpus(IndexSettings(data_dir=pages, index_dir=pages / "unused"), files)
    for name, expected in PAGE_THREADS.items():
        comments = [c for c in corpus.comments if c.document == name]
        assert len(comments) == len(expected), name
        by_id = {c.comment_id: c for c in comments}
        for comment, (starts, role, answers) in zip(comments, expected, strict=True):
            assert comment.text.startswith(starts)
            assert comment.role == role, f"{name}: {starts!r} is {comment.role}"
            linked = by_id[comment.answers].text if comment.answers else None
            assert (linked or "").startswith(answers or "") and (linked is None) == (answers is None), starts


@pytest.mark.parametrize(
    "text, asking",
    [
        ("hi Sir, hope u fine, my lecturer said R is finished, is this true in ur view, pls reply.", True),
        ("thanks for the post, i know what clustering is, but what means by soft clustering.", True),
        ("Great post, how does this compare with the older method.", True),
        ("There aren't many images to load, which are the slow part anyway.", False),
        ("My only problem with these, is that most have slow chargers.", False),
        ("I tried it on my laptop, where it ran fine.", False),
    ],
)
def test_a_question_inside_a_sentence_without_a_question_mark(text: str, asking: bool) -> None:
    assert asks(text) is asking
