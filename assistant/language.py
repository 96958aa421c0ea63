"""Questions in other languages: translated to English for search and answering, the checked answer
translated back; the citations stay the verbatim English quotes.

The course material and its lexical search are English, so a question in Spanish, Hindi, Chinese or
Hinglish is first put into English by the local model (one short call). Whether a question needs it
is decided by its script and by how many of its words are English at all.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass

from llama_index.core.llms import ChatMessage, MessageRole

from assistant.llm import ChatModel
from assistant.text import STOPWORDS, content_stems, stem_found, words

ENGLISH = "English"
# A question with fewer Latin letters, or (with no English function word) fewer known words, is translated.
MIN_ENGLISH_SHARE = 0.7
MAX_TRANSLATION_TOKENS = 120
_LINE = re.compile(r"^\s*(language|english)\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_MARKER = re.compile(r"\[\d+\]")

TRANSLATE_QUESTION = (
    "A student asked this question about a course article:\n"
    "{question}\n\n"
    "Reply in exactly two lines:\n"
    "Language: <the language the question is written in, e.g. Spanish, Hindi, Chinese, Hinglish>\n"
    "English: <the question translated into English>"
)
TRANSLATE_ANSWER = (
    "Translate this answer into {language}. Keep every [n] marker exactly as it is, keep people's "
    "names and the words inside quotation marks unchanged, and reply with the translation only.\n\n"
    "{answer}"
)


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


# Function words of languages students write in with Latin letters (Spanish, French, Portuguese,
# German, Italian, Hinglish): a question using more of these than English ones is not English.
FOREIGN_FUNCTION_WORDS = frozenset(
    """que qué el la los las del es por para con una un sobre cómo como cuál cuáles dijo puede son
    le les des est une pour avec dans qu'est ce sont peut dit o os uma não é são pode disse
    der die das ist und wie warum mit ein eine kann sagt hat il che di della sono cosa perché
    kya hai ka ki ke mein mai hain kaise kyun kyu aur se ko nahi kaun batao samjhao matlab bhi
    """.split()  # noqa: SIM905
)


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


def _ask(llm: ChatModel, prompt: str) -> str:
    messages = [ChatMessage(role=MessageRole.USER, content=prompt)]
    return "".join(
        chunk.delta or ""
        for chunk in llm.stream_chat(messages, max_tokens=MAX_TRANSLATION_TOKENS, temperature=0.0)
    ).strip()


def to_english(llm: ChatModel, question: str) -> Question:
    """The question's language and English translation (the question itself when it is English)."""
    found = {
        key.lower(): value
        for key, value in _LINE.findall(_ask(llm, TRANSLATE_QUESTION.format(question=question)))
    }
    language = found.get("language", ENGLISH).strip(" .").title() or ENGLISH
    english = found.get("english", "").strip().strip('"“”') or question
    if language.lower() == "english":
        return Question(question, question)
    return Question(question, english, language)


def from_english(llm: ChatModel, answer: str, language: str) -> str:
    """The checked answer in the student's language; the [n] markers must survive, else English stays."""
    translated = _ask(llm, TRANSLATE_ANSWER.format(language=language, answer=answer))
    if not translated or sorted(_MARKER.findall(translated)) != sorted(_MARKER.findall(answer)):
        return answer
    return translated
