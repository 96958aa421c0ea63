"""The answering side's calibrated numbers, each named once, with its unit and what set it.

Limits that are not calibrated (token budgets, characters shown) stay beside the code that uses them;
the settings a deployment may change are in `settings.py`. Similarities are cosine similarities of the
bundled MiniLM embedder; shares are IDF-weighted shares of content words unless said otherwise. The
development questions are `eval/thread_questions.jsonl`, `eval/dev_questions.jsonl` and the earlier
student sets (`eval/STUDENTS*.md`); see docs/coverage.md and docs/quality.md for the runs.
"""

from __future__ import annotations

# -- retrieval (assistant/retrieval/retrieve.py) ------------------------------------------------------
# Share of a first-place reciprocal-rank-fusion vote each expert-quote candidate gets (quote hit@5 on the
# quote questions of eval/dev_questions.jsonl).
EXPERT_QUOTE_VOTE = 1.0
# Cosine below the best dense match within which a relevant expert quote is pulled into the top-k.
QUOTE_RELEVANCE_MARGIN = 0.1

# -- coverage (assistant/retrieval/coverage.py; the (cosine, share) rules are settings) ----------------
# A question naming a quoted person is covered when that person's words hold this share of its topic
# and the best cosine reaches NAMED_MIN_DENSE ("What did Hinton say about the stock market?" stays out).
NAMED_MIN_TOPIC = 0.3
NAMED_MIN_DENSE = 0.3

# -- evidence (assistant/retrieval/evidence.py): score = cosine + weights below ------------------------
LEXICAL_WEIGHT = 0.05  # times the BM25 score relative to the best candidate's
NAMED_PERSON_BONUS = 0.08  # for the words of a person the question names
# Article prose is broad: it resembles many questions a little; quotes and replies answer one.
ARTICLE_PRIOR = -0.03
# An expert's own words are what the product is for: among near-equal matches they lead.
EXPERT_QUOTE_PRIOR = 0.03
TOPIC_WEIGHT = 0.2  # times the share of the question's topic words (asked-about names left out) it holds
EVIDENCE_MARGIN = 0.08  # candidates within this score of the best join it as evidence
# A reader's comment this similar (cosine) to the question restates it (the student pasted a comment).
ECHO_SIMILARITY = 0.85

# -- citation checks (assistant/checks/citations.py; eval/claims*.jsonl, eval/score_verifier.py) -------
LEXICAL_SUPPORT = 0.5  # share of a sentence's content words its source must hold to support it
PARAPHRASE_LEXICAL = 0.25  # a lower share is enough when the cosine reaches PARAPHRASE_SIMILARITY
PARAPHRASE_SIMILARITY = 0.55
REPOINT_MARGIN = 0.25  # another source must support a sentence by this much more to take its citation
# Share of a claim's content words found in its source, in the same order, to pass in code (verify.py).
RESTATED = 0.85

# -- understanding the question (assistant/understand/) -----------------------------------------------
KEPT_WORDS = 0.6  # share of a follow-up's own content words its rewrite must keep (condense.py)
# A question with a smaller share of Latin letters is in another script (language.py).
MIN_ENGLISH_SHARE = 0.7
# Below this probability the language detector is guessing (short text, names, code terms): the question
# stays English, the material's language. Correct non-English probe questions score 0.6 or more.
MIN_CONFIDENCE = 0.5
