"""Citation checking in code: the model's `[n]` markers are verified, re-pointed or removed.

A sentence keeps a citation only if the cited source supports it (word overlap, helped by an
embedding similarity for paraphrases) and does not attribute it to someone else. Sentences no
source supports are dropped. Every citation shown carries a quote that is verbatim in the stored
page (`page[char_start:char_end] == quote`), with speaker, title and year from the index.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, replace

from assistant.checks.verify import Claim
from assistant.records import Citation, Passage
from assistant.retrieval.coverage import passage_stems
from assistant.text import NAME_RUN, QUOTE_MARKS, QUOTED, content_stems, sentence_spans, stem_found, words
from assistant.tuning import LEXICAL_SUPPORT, PARAPHRASE_LEXICAL, PARAPHRASE_SIMILARITY, REPOINT_MARGIN
from assistant.writing.compose import quote_span
from assistant.writing.prompt import defang

MARKER = re.compile(r"\s*\[(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\]")
# "..., as stated in [1]." loses its marker to re-numbering; the words pointing at it go too.
DANGLING_REFERENCE = re.compile(
    r",?\s+(?:as\s+)?(?:stated|mentioned|noted|shown|described|explained|said|seen)\s+(?:in|by)\s*([.!?]?)\s*$",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I'd|I’d|I've|I’ve|my|me|mine)\b")
# Text inside quotation marks: the source's words, not the assistant's voice.
MIN_CLAIM_STEMS = 3

Similarity = Callable[[str, str], float]


@dataclass(frozen=True)
class CheckedAnswer:
    text: str
    citations: tuple[Citation, ...]
    dropped: tuple[str, ...]
    repointed: int
    contradicted: tuple[str, ...] = ()  # removed by the meaning check (the source does not say it)


Verify = Callable[[Sequence[Claim]], list[bool]]


def _speaker_conflict(sentence: str, passage: Passage, passages: Sequence[Passage]) -> bool:
    """True when the sentence names another source's speaker but not this source's."""
    mentioned = {w for w in words(" ".join(NAME_RUN.findall(sentence)))}
    own = set(words(" ".join(x for x in (passage.speaker, passage.author) if x)))
    if mentioned & own:
        return False
    others: set[str] = set()
    for other in passages:
        for person in (other.speaker, other.author):
            if person:
                others |= {w for w in words(person) if len(w) > 2 and w not in {"and", "the"}}
    return bool((mentioned & others) - own)


class CitationChecker:
    """Checks one answer against the passages the model was given."""

    def __init__(
        self,
        passages: Sequence[Passage],
        page_texts: Mapping[str, str],
        similarity: Similarity | None = None,
        question: str = "",
        vocabulary: Set[str] | None = None,
    ) -> None:
        self._question = set(content_stems(question))
        self._vocabulary = vocabulary
        self._passages = list(passages)
        self._pages = page_texts
        self._similarity = similarity
        # Support is judged on the text the model saw: instruction-like page sentences removed.
        self._stems = [set(passage_stems(replace(p, text=defang(p.text)))) for p in self._passages]
        total = max(len(self._stems), 1)
        df: dict[str, int] = {}
        for stems in self._stems:
            for stem in stems:
                df[stem] = df.get(stem, 0) + 1
        # Words every source shares ("deep learning") say little about which source supports a claim.
        self._weight = {
            s: math.log(1 + total / n) / math.log(1 + total) if total > 1 else 1.0 for s, n in df.items()
        }

    def support(self, sentence: str, index: int) -> float:
        """How well source `index` (0-based) supports `sentence`, 0..1; 0 on a wrong attribution."""
        passage = self._passages[index]
        if _speaker_conflict(sentence, passage, self._passages):
            return 0.0
        claim = set(content_stems(sentence))
        # A claim built on a question word the material never uses ("X coined the term") pins the
        # question's framing on a source that cannot say it.
        if self._vocabulary is not None and not all(
            stem_found(s, self._vocabulary) for s in claim & self._question
        ):
            return 0.0
        lexical = self._weighted_overlap(claim, self._stems[index])
        if lexical >= LEXICAL_SUPPORT or self._similarity is None or lexical < PARAPHRASE_LEXICAL:
            return lexical
        similarity = self._similarity(sentence, passage.text)
        return LEXICAL_SUPPORT if similarity >= PARAPHRASE_SIMILARITY else lexical

    def _weighted_overlap(self, claim: set[str], source: set[str]) -> float:
        total = sum(self._weight.get(s, 1.0) for s in claim)
        shared = sum(self._weight.get(s, 1.0) for s in claim & source)
        return shared / total if total else 0.0

    def check(self, raw: str, verify: Verify | None = None) -> CheckedAnswer:
        """Keep the sentences a source supports, each pointing at it; `verify` checks their meaning."""
        kept: list[tuple[str, list[int]]] = []  # sentence text, 0-based sources
        dropped: list[str] = []
        repointed = 0
        for piece in _pieces(raw.strip()):
            cited = [int(n) for group in MARKER.findall(piece) for n in re.split(r"[,;]", group)]
            sentence = DANGLING_REFERENCE.sub(r"\1", MARKER.sub("", piece)).strip()
            if not sentence:
                continue
            sources = self._place(sentence, cited)
            if sources is None:
                dropped.append(sentence)
                continue
            repointed += 1 if cited and sources and not set(sources) & {n - 1 for n in cited} else 0
            kept.append((sentence, sources))
        contradicted: list[str] = []
        if verify is not None:
            kept, contradicted = self._verified(kept, verify)
        checked = self._finish(kept, dropped + contradicted, repointed)
        return replace(checked, contradicted=tuple(contradicted))

    def _place(self, sentence: str, cited: list[int]) -> list[int] | None:
        """The sources (0-based) that support a sentence, the cited ones first; None: drop it."""
        stems = content_stems(sentence)
        # Nothing uncheckable reaches the student: a sentence too short to check ("In short:", a word the
        # question asked to be echoed) goes, and so does the assistant speaking as if it were a source
        # ("I would recommend ..."): a source's own "I" is shown inside quotation marks.
        # A question in the answer is the student's question echoed or a question back: not a claim.
        if len(stems) < MIN_CLAIM_STEMS or speaks_in_first_person(sentence) or sentence.endswith("?"):
            return None
        scores = [self.support(sentence, i) for i in range(len(self._passages))]
        best_score = max(scores, default=0.0)
        valid = [
            n - 1
            for n in cited
            if 1 <= n <= len(scores)
            and scores[n - 1] >= LEXICAL_SUPPORT
            and scores[n - 1] >= best_score - REPOINT_MARGIN
        ]
        if valid:
            return sorted(set(valid))
        best = max(range(len(scores)), key=lambda i: scores[i], default=None)
        if best is None or scores[best] < LEXICAL_SUPPORT:
            return None
        return [best]

    @staticmethod
    def _verified(
        kept: list[tuple[str, list[int]]], verify: Verify
    ) -> tuple[list[tuple[str, list[int]]], list[str]]:
        """Sentences whose first source says what they say, and those the meaning check removed."""
        claims = [Claim(sentence, sources[0] + 1) for sentence, sources in kept if sources]
        verdicts = iter(verify(claims)) if claims else iter(())
        passed: list[tuple[str, list[int]]] = []
        removed: list[str] = []
        for sentence, sources in kept:
            if sources and not next(verdicts):
                removed.append(sentence)
            else:
                passed.append((sentence, sources))
        return passed, removed

    def _finish(self, kept: list[tuple[str, list[int]]], dropped: list[str], repointed: int) -> CheckedAnswer:
        numbers: dict[int, int] = {}
        citations: list[Citation] = []
        for _sentence, sources in kept:
            for i in sources:
                if i in numbers:
                    continue
                citation = self._citation(len(numbers) + 1, i, [s for s, src in kept if i in src])
                if citation is not None:
                    numbers[i] = citation.n
                    citations.append(citation)
        parts = []
        for sentence, sources in kept:
            marks = "".join(f"[{numbers[i]}]" for i in sources if i in numbers)
            if sources and not marks:
                dropped.append(sentence)  # its only source failed verification
                continue
            sources_text = [self._passages[i].text for i in sources]
            parts.append(_attach(verbatim_quotes_only(balanced_quotes(sentence), sources_text), marks))
        only_fillers = all(not m for _, m in kept) if kept else True
        text = "" if only_fillers and not citations else " ".join(parts)
        return CheckedAnswer(
            text=text.strip(), citations=tuple(citations), dropped=tuple(dropped), repointed=repointed
        )

    def _citation(self, n: int, index: int, sentences: list[str]) -> Citation | None:
        passage = self._passages[index]
        start, end = quote_span(passage, " ".join(sentences))
        page = self._pages.get(passage.document)
        quote = passage.text[start - passage.char_start : end - passage.char_start]
        if page is None or page[start:end] != quote or not quote.strip():
            return None
        return citation_for(n, passage, start, end, quote)


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[‘’]", "'", text).lower().split())


def verbatim_quotes_only(sentence: str, sources: Sequence[str]) -> str:
    """Quotation marks kept only around words a cited source says verbatim (spacing, case and
    apostrophes aside); elsewhere they would present the model's paraphrase as someone's words. A mark
    left unpaired (a translation that opened a quote and never closed it) goes too."""
    folded = [_folded(s) for s in sources]
    kept: list[str] = []

    def check(match: re.Match[str]) -> str:
        inner = match.group(0)[1:-1]
        said = _folded(inner.strip(" ,.;:!?…"))
        if not said or any(said in f for f in folded):
            kept.append(match.group(0))
            return f"\x00{len(kept) - 1}\x00"
        return inner.strip()

    unquoted = QUOTE_MARKS.sub("", QUOTED.sub(check, sentence))
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], unquoted)


def speaks_in_first_person(sentence: str) -> bool:
    """True when the sentence, outside its quotations, says "I" or "my": the assistant has no views."""
    return bool(_FIRST_PERSON.search(QUOTED.sub(" ", sentence)))


def citation_for(n: int, passage: Passage, start: int, end: int, quote: str) -> Citation:
    return Citation.from_passage(n, passage, start, end, quote)


def _pieces(text: str) -> list[str]:
    """The answer's sentences; a piece with no words (a closing quote and a marker the model wrote after
    the sentence's end: `...topic? " [1]`) belongs to the sentence before it."""
    pieces: list[str] = []
    for start, end in sentence_spans(text):
        piece = text[start:end]
        if pieces and not any(ch.isalnum() for ch in MARKER.sub("", piece)):
            pieces[-1] = f"{pieces[-1].rstrip()}{piece.strip()}"
        else:
            pieces.append(piece)
    return pieces


def balanced_quotes(sentence: str) -> str:
    """Quotation marks paired up: the model often opens a quote in one sentence and closes it in
    another. An unclosed quote is closed at the sentence's end, an unopened one opened at its start."""
    straight = sentence.count('"')
    opened = sentence.count("“") - sentence.count("”")
    if straight % 2 == 0 and opened == 0:
        return sentence
    if straight % 2 == 1:
        last = sentence.rfind('"')
        if sentence[last + 1 :].strip(" .!?"):
            return sentence + '"'
        return '"' + sentence
    return sentence + "”" if opened > 0 else "“" + sentence


def _attach(sentence: str, marks: str) -> str:
    if not marks:
        return sentence
    if sentence[-1:] in ".!?":
        return f"{sentence[:-1]} {marks}{sentence[-1]}"
    return f"{sentence} {marks}"


def verify_citation(citation: Citation, page_texts: Mapping[str, str]) -> bool:
    page = page_texts.get(citation.document)
    return page is not None and page[citation.char_start : citation.char_end] == citation.quote
