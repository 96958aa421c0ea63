"""Questions in other languages: translated to English for search and answering, the checked answer
translated back; the citations stay the verbatim English quotes.

The course material and its lexical search are English, so a question in Spanish, Hindi, Chinese or
Hinglish is first put into English by the local model (one short call). The question's language is
told by a packaged detector (py3langid: its model ships in the wheel, nothing is downloaded), chosen
among the languages below; Hindi written in Latin letters ("Hinglish"), which no packaged detector
knows, by its common function words. bench/language_detectors.py compares the detectors.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence, Set
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from llama_index.core.llms import ChatMessage, MessageRole

from assistant.models.llm import ChatModel, with_examples
from assistant.text import (
    CITATION_MARK,
    QUOTED,
    STOPWORDS,
    content_stems,
    repeats_itself,
    sentence_spans,
    stem_found,
    words,
)
from assistant.tuning import MIN_CONFIDENCE, MIN_ENGLISH_SHARE
from index.quotes.names import split_speakers

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

MIN_LETTERS = 3
# Distinct Hinglish function words that make a Latin-script question Hinglish.
MIN_HINGLISH_WORDS = 2
MAX_TRANSLATION_TOKENS = 160

# The system prompt holds no phrase the model could copy as its reply (an earlier one, "no answer, no
# explanation", came back as the translation), and worked examples on topics no course page holds show the
# form: the small model otherwise answers the question instead of translating it (docs/coverage.md).
TRANSLATE_TO_ENGLISH = (
    "You translate a student's message about a course page into English. Translate all of it, questions "
    "and requests alike, and keep names as written. Reply with the English text only."
)
TRANSLATION_EXAMPLES = (
    (
        "¿Cuánto tarda en hervir un huevo? ¿Qué dijo la cocinera?",
        "How long does it take to boil an egg? What did the cook say?",
    ),
    (
        "Kann man Tomaten im Winter anbauen, oder ist das sinnlos?",
        "Can you grow tomatoes in winter, or is that pointless?",
    ),
    ("その橋は誰が設計したの？", "Who designed that bridge?"),
)
NAMES_RULE = (
    "You translate English into {language}. Names of people are never translated: copy them letter for "
    "letter ({names})."
)
TRANSLATE_ANSWER = "Translate into {language}.{keep} Reply with the translation only.\n\n{answer}"


class Language(StrEnum):
    """A language a question can be in: its English name (the value, as settings, phrasebooks and
    answers name it) and its code (ISO 639-1; BCP 47 "hi-Latn" for Hinglish)."""

    code: str

    def __new__(cls, name: str, code: str) -> Language:
        member = str.__new__(cls, name)
        member._value_ = name
        member.code = code
        return member

    ENGLISH = "English", "en"
    SPANISH = "Spanish", "es"
    FRENCH = "French", "fr"
    GERMAN = "German", "de"
    PORTUGUESE = "Portuguese", "pt"
    ITALIAN = "Italian", "it"
    DUTCH = "Dutch", "nl"
    POLISH = "Polish", "pl"
    TURKISH = "Turkish", "tr"
    INDONESIAN = "Indonesian", "id"
    MALAY = "Malay", "ms"
    VIETNAMESE = "Vietnamese", "vi"
    RUSSIAN = "Russian", "ru"
    UKRAINIAN = "Ukrainian", "uk"
    ARABIC = "Arabic", "ar"
    PERSIAN = "Persian", "fa"
    HINDI = "Hindi", "hi"
    BENGALI = "Bengali", "bn"
    URDU = "Urdu", "ur"
    CHINESE = "Chinese", "zh"
    JAPANESE = "Japanese", "ja"
    KOREAN = "Korean", "ko"
    SWEDISH = "Swedish", "sv"
    DANISH = "Danish", "da"
    CZECH = "Czech", "cs"
    ROMANIAN = "Romanian", "ro"
    GREEK = "Greek", "el"
    HEBREW = "Hebrew", "he"
    THAI = "Thai", "th"
    TAGALOG = "Tagalog", "tl"
    SWAHILI = "Swahili", "sw"
    HINGLISH = "Hinglish", "hi-Latn"


ENGLISH = Language.ENGLISH
_BY_CODE = {language.code: language for language in Language}
# Common Hindi function words as written in Latin letters (pronouns, postpositions, auxiliaries,
# question words, negation, conjunctions); words that are also common in English or in another Latin-script
# language ("is", "to", "main", "ne", "mai", "wo", "ho") are left out.
HINGLISH_WORDS = frozenset(
    """hai hain tha thi ka ki ke ko se mein mujhe mera meri mere tera teri tumhara aap aapka aapki hum
    hamara yeh ye woh kya kyun kyon kyu kaise kaisa kaun kab kahan kitna kitne kitni nahi nahin nhi aur
    bhi toh lekin kyunki agar liye baare wala wali wale raha rahi rahe hoon hota hoti hote sakta sakte
    sakti chahiye karna karo kuch koi""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Question:
    """A question as asked and as searched: `english` is what retrieval and the model see."""

    asked: str
    english: str
    language: Language = ENGLISH

    @property
    def translated(self) -> bool:
        return self.language is not ENGLISH


def latin_share(text: str) -> float:
    """Share of letters that are Latin script."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    return sum(1 for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f") / len(letters)


def _tokens(text: str) -> list[str]:
    return [w for w in words(text) if len(w) > 1]


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


_IDENTIFIER_LOCK = threading.Lock()


def _identifier() -> LanguageIdentifier:
    """The detector, loaded once even when the first questions arrive together (each would load it)."""
    with _IDENTIFIER_LOCK:
        return _load_identifier()


@cache
def _load_identifier() -> LanguageIdentifier:
    """The detector, limited to the languages above (about 0.6 s and 80 MB)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in _BY_CODE if code in identifier.nb_classes])
    return identifier


def is_hinglish(text: str) -> bool:
    """Latin-script text with Hindi function words in it."""
    hits = {w for w in words(text) if w in HINGLISH_WORDS}
    return latin_share(text) >= MIN_ENGLISH_SHARE and len(hits) >= MIN_HINGLISH_WORDS


def detect_language(text: str, vocabulary: Set[str] = frozenset()) -> Language:
    """The text's language. Latin-script text stays English when the detector is unsure, or when every
    word is English or a word of the material (`vocabulary`, stems) such as "gradient descent"."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return ENGLISH
    if is_hinglish(text):
        return Language.HINGLISH
    code, probability = _identifier().classify(text)
    found = _BY_CODE.get(str(code), ENGLISH)
    if latin_share(text) < MIN_ENGLISH_SHARE:
        return found
    if probability < MIN_CONFIDENCE or (vocabulary and english_share(text, vocabulary) == 1.0):
        return ENGLISH
    return found


def load_detector() -> None:
    """Load the detector now (server start) rather than on the first question."""
    _identifier()


def needs_translation(text: str, vocabulary: Set[str]) -> bool:
    """The question is not in English (see `detect_language`)."""
    return detect_language(text, vocabulary) is not ENGLISH


def language_of(text: str) -> Language:
    """The question's language (English by default)."""
    return detect_language(text)


def answer_language(answer: str) -> Language:
    """The language an answer is written in, its quotations and [n] markers aside (an answer in
    Spanish quotes its English sources verbatim)."""
    return detect_language(CITATION_MARK.sub("", QUOTED.sub("", answer)))


def _ask(llm: ChatModel, messages: list[ChatMessage]) -> str:
    return "".join(
        chunk.delta or ""
        for chunk in llm.stream_chat(messages, max_tokens=MAX_TRANSLATION_TOKENS, temperature=0.0)
    ).strip()


def to_english(llm: ChatModel, question: str) -> Question:
    """The question's language (by the detector) and its English translation (by the model)."""
    language = language_of(question)
    english = _ask(llm, with_examples(TRANSLATE_TO_ENGLISH, TRANSLATION_EXAMPLES, question))
    english = english.splitlines()[0].strip().strip('"“”') if english else ""
    if not english or latin_share(english) < MIN_ENGLISH_SHARE:
        english = question
    return Question(question, english, language)


# How to name a language to the model when its plain name is not enough.
LANGUAGE_HINTS: dict[str, str] = {
    Language.HINGLISH: "Hinglish (Hindi written in Latin letters, mixed with English technical words)"
}


def from_english(
    llm: ChatModel, answer: str, language: str, names: Sequence[str] = (), *, retry_names: bool = True
) -> str:
    """The checked answer in the student's language, sentence by sentence: each sentence's [n] markers
    are taken off before and put back after, and a person's name the translation dropped leads the
    sentence (the small model tends to drop or garble names)."""
    target = LANGUAGE_HINTS.get(language, language)
    parts: list[str] = []
    for start, end in sentence_spans(answer):
        sentence = answer[start:end]
        markers = "".join(dict.fromkeys(CITATION_MARK.findall(sentence)))  # "[1] ... [1]" -> "[1]" once
        text = " ".join(CITATION_MARK.sub("", sentence).split())
        if sum(ch.isalpha() for ch in text) < MIN_LETTERS:  # nothing to translate (a stray marker)
            if not parts or not set(CITATION_MARK.findall(sentence)) <= set(CITATION_MARK.findall(parts[-1])):
                parts.append(sentence)
            continue
        kept = [n for n in names if n and n in text]
        prompt = [ChatMessage(role=MessageRole.USER, content=_translate_prompt(target, text, kept))]
        translated = _first_line(_ask(llm, prompt)) or text
        if retry_names and _missing(kept, translated):
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
        if repeats_itself(translated) and not repeats_itself(text):
            translated = text  # a translation stuck in a loop: the checked English sentence instead
        missing = _missing(kept, translated)
        if missing:  # the name is who said it: it leads the sentence rather than being lost
            translated = f"{', '.join(missing)}: {translated}"
        parts.append(_with_markers(translated, markers.strip()))
    return " ".join(parts) or answer


def _first_line(reply: str) -> str:
    return " ".join(CITATION_MARK.sub("", reply.splitlines()[0]).split()) if reply.strip() else ""


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
