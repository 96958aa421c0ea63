"""Questions in other languages: translated to English for search and answering, the checked answer
translated back; the citations stay the verbatim English quotes.

The course material and its lexical search are English, so a question in Spanish, Hindi, Chinese or
Hinglish is first put into English by the local model (one short call). Whether a question needs it
is decided by its script and by how many of its words are English at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass

from llama_index.core.llms import ChatMessage, MessageRole

from assistant.llm import ChatModel
from assistant.text import STOPWORDS, content_stems, sentence_spans, stem_found, words
from index.names import split_speakers

ENGLISH = "English"
# A question with fewer Latin letters, or (with no English function word) fewer known words, is translated.
MIN_ENGLISH_SHARE = 0.7
MAX_TRANSLATION_TOKENS = 160
MIN_LETTERS = 3
_MARKER = re.compile(r"\[\d+\]")

TRANSLATE_TO_ENGLISH = (
    "You translate a student's question into English for a search engine. Reply with the English "
    "translation only: no answer, no explanation, no quotation marks."
)
NAMES_RULE = (
    "You translate English into {language}. Names of people are never translated: copy them letter for "
    "letter ({names})."
)
TRANSLATE_ANSWER = "Translate into {language}.{keep} Reply with the translation only.\n\n{answer}"
# Scripts that name their language outright.
SCRIPTS = (
    ("Chinese", re.compile(r"[\u4e00-\u9fff]")),
    ("Japanese", re.compile(r"[\u3040-\u30ff]")),
    ("Korean", re.compile(r"[\uac00-\ud7af]")),
    ("Hindi", re.compile(r"[\u0900-\u097f]")),
    ("Arabic", re.compile(r"[\u0600-\u06ff]")),
    ("Russian", re.compile(r"[\u0400-\u04ff]")),
)
# Function words of languages students write with Latin letters; the one with most hits wins.
FUNCTION_WORDS = {
    name: frozenset(vocabulary.split())
    for name, vocabulary in (
        (
            "Spanish",
            "que qué el los las del es por para con una sobre cómo cuál cuáles dijo puede son está "
            "todavía sirven sirve significa según aprendizaje",
        ),
        ("French", "que le les des est une pour avec dans qu'est ce sont peut dit selon quoi apprentissage"),
        ("Portuguese", "que os uma não é são pode disse para com sobre quando dados aprendizado"),
        ("German", "der die das ist und wie warum mit ein eine kann sagt hat über was lernen"),
        ("Italian", "il che di della sono cosa perché apprendimento"),
        (
            "Hinglish",
            "kya hai ka ki ke mein mai hain kaise kyun kyu aur se ko nahi kaun batao samjhao matlab bhi "
            "karna sakte sakta",
        ),
    )
}
FOREIGN_FUNCTION_WORDS = frozenset().union(*FUNCTION_WORDS.values())


@dataclass(frozen=True)
class Question:
    """A question as asked and as searched: `english` is what retrieval and the model see."""

    asked: str
    english: str
    language: str = ENGLISH

    @property
    def translated(self) -> bool:
        return self.language != ENGLISH


def latin_share(text: str) -> float:
    """Share of letters that are Latin script."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    return sum(1 for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f") / len(letters)


def _tokens(text: str) -> list[str]:
    return [w for w in words(text) if len(w) > 1 or w in {"o", "é"}]


def english_share(text: str, vocabulary: Set[str]) -> float:
    """Share of a question's words that are English stopwords or words the material uses."""
    tokens = _tokens(text)
    if not tokens:
        return 1.0
    known = sum(1 for w in tokens if w in STOPWORDS or _known(w, vocabulary))
    return known / len(tokens)


def _known(word: str, vocabulary: Set[str]) -> bool:
    stems = content_stems(word)
    return bool(stems) and stem_found(stems[0], vocabulary)


def needs_translation(text: str, vocabulary: Set[str]) -> bool:
    """Another script; more foreign function words than English ones; or hardly any known word."""
    if latin_share(text) < MIN_ENGLISH_SHARE:
        return True
    tokens = _tokens(text)
    foreign = sum(1 for w in tokens if w in FOREIGN_FUNCTION_WORDS)
    english = sum(1 for w in tokens if w in STOPWORDS)
    if foreign > english:
        return True
    return english == 0 and english_share(text, vocabulary) < MIN_ENGLISH_SHARE


def language_of(text: str) -> str:
    """The question's language: by its script, else by its function words (English by default)."""
    for name, script in SCRIPTS:
        if script.search(text):
            return name
    tokens = set(_tokens(text))
    hits = {name: len(tokens & vocab) for name, vocab in FUNCTION_WORDS.items()}
    best = max(hits, key=lambda name: hits[name])
    return best if hits[best] else ENGLISH


def _ask(llm: ChatModel, messages: list[ChatMessage]) -> str:
    return "".join(
        chunk.delta or ""
        for chunk in llm.stream_chat(messages, max_tokens=MAX_TRANSLATION_TOKENS, temperature=0.0)
    ).strip()


def to_english(llm: ChatModel, question: str) -> Question:
    """The question's language (by code) and its English translation (by the model)."""
    language = language_of(question)
    english = _ask(
        llm,
        [
            ChatMessage(role=MessageRole.SYSTEM, content=TRANSLATE_TO_ENGLISH),
            ChatMessage(role=MessageRole.USER, content=question),
        ],
    )
    english = english.splitlines()[0].strip().strip('"“”') if english else ""
    if not english or latin_share(english) < MIN_ENGLISH_SHARE:
        english = question
    return Question(question, english, language if language != ENGLISH else "the question's language")


# How to name a language to the model when its plain name is not enough.
LANGUAGE_HINTS = {"Hinglish": "Hinglish (Hindi written in Latin letters, mixed with English technical words)"}


def from_english(llm: ChatModel, answer: str, language: str, names: Sequence[str] = ()) -> str:
    """The checked answer in the student's language, sentence by sentence: each sentence's [n] markers
    are taken off before and put back after, and a person's name the translation dropped leads the
    sentence (the small model tends to drop or garble names)."""
    target = LANGUAGE_HINTS.get(language, language)
    parts: list[str] = []
    for start, end in sentence_spans(answer):
        sentence = answer[start:end]
        markers = "".join(dict.fromkeys(_MARKER.findall(sentence)))  # "[1] ... [1]" -> "[1]" once
        text = " ".join(_MARKER.sub("", sentence).split())
        if sum(ch.isalpha() for ch in text) < MIN_LETTERS:  # nothing to translate (a stray marker)
            if not parts or not set(_MARKER.findall(sentence)) <= set(_MARKER.findall(parts[-1])):
                parts.append(sentence)
            continue
        kept = [n for n in names if n and n in text]
        prompt = [ChatMessage(role=MessageRole.USER, content=_translate_prompt(target, text, kept))]
        translated = _first_line(_ask(llm, prompt)) or text
        if _missing(kept, translated):
            # The small model sometimes renders a name as a different native name; asked again with the
            # names as a rule of the conversation, it mostly copies them.
            rule = NAMES_RULE.format(language=target, names=", ".join(kept))
            retry = [
                ChatMessage(role=MessageRole.SYSTEM, content=rule),
                ChatMessage(role=MessageRole.USER, content=text),
            ]
            again = _first_line(_ask(llm, retry))
            if again and len(_missing(kept, again)) < len(_missing(kept, translated)):
                translated = again
        missing = _missing(kept, translated)
        if missing:  # the name is who said it: it leads the sentence rather than being lost
            translated = f"{', '.join(missing)}: {translated}"
        parts.append(_with_markers(translated, markers.strip()))
    return " ".join(parts) or answer


def _first_line(reply: str) -> str:
    return " ".join(_MARKER.sub("", reply.splitlines()[0]).split()) if reply.strip() else ""


def _missing(names: Sequence[str], translation: str) -> list[str]:
    """The speakers a translation lost: each person of "A, B and C" must be there (the "and" may rightly
    be translated)."""
    return [n for n in names if not all(person in translation for person in split_speakers(n) or [n])]


def _with_markers(sentence: str, markers: str) -> str:
    """The [n] markers back in place, before the sentence's closing punctuation."""
    if not markers:
        return sentence
    end = len(sentence.rstrip(".!?。！？।"))
    return f"{sentence[:end].rstrip()} {markers}{sentence[end:]}"


def _translate_prompt(language: str, text: str, names: Sequence[str]) -> str:
    keep = f" Write these names exactly as they are: {', '.join(names)}." if names else ""
    return TRANSLATE_ANSWER.format(language=language, answer=text, keep=keep)
