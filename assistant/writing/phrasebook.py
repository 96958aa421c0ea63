"""Answers in languages the answering model cannot write: the checked answer's quotes, verbatim in
English, each introduced by a hand-written phrase in the student's language.

The bundled 1.5B model reads Hindi and Hinglish questions well enough to translate them into English
for search, but what it writes in those languages is garbled (Hindi) or stays English (Hinglish), as
README.md says; the held-out student sets read by hand found the same for Dutch, Indonesian, Japanese,
Korean, Polish, Russian, Swedish and Turkish (eval/STUDENTS_V7.md, eval/STUDENTS_V8.md).
A wrong translation of a right answer is a wrong answer, so for the languages in
`model.quote_only_languages` the student gets who said what, framed in their language, with the words
themselves quoted as they stand in the material.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.records import Citation
from index.vocabulary import CommentRole, SourceKind


@dataclass(frozen=True)
class Phrases:
    """How one language introduces each kind of source; `{who}` is the person's name (in parentheses where
    the language would decline it)."""

    said: dict[SourceKind, str]
    not_answered: str  # a reader asked this, and the author's reply deflected (quoted, not judged)
    quotes_in_english: str
    not_covered: str
    closest: str  # followed by the closest topics the material does cover (in English)
    someone: str  # the name used when a source names nobody


PHRASEBOOKS: dict[str, Phrases] = {
    "Hindi": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "{who} ने कहा:",
            SourceKind.ARTICLE: "लेख में लिखा है:",
            SourceKind.AUTHOR_REPLY: "चर्चा में {who} ने एक पाठक के सवाल का जवाब दिया:",
            SourceKind.READER_COMMENT: "चर्चा में एक पाठक, {who}, की राय:",
            SourceKind.INSTRUCTOR_ANSWER: "पाठ्यक्रम के शिक्षक ने जवाब दिया:",
        },
        not_answered="एक पाठक ने चर्चा में यह पूछा था। {who} ने लिखा:",
        quotes_in_english="(उद्धरण मूल अंग्रेज़ी में हैं।)",
        not_covered="पाठ्य सामग्री में इसका उत्तर नहीं है।",
        closest="सामग्री में इसके सबसे करीब:",
        someone="एक व्यक्ति",
    ),
    "Hinglish": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "{who} ne kaha:",
            SourceKind.ARTICLE: "Article mein likha hai:",
            SourceKind.AUTHOR_REPLY: "Discussion mein {who} ne ek reader ke sawaal ka jawab diya:",
            SourceKind.READER_COMMENT: "Discussion mein ek reader, {who}, ki raay:",
            SourceKind.INSTRUCTOR_ANSWER: "Course ke instructor ne jawab diya:",
        },
        not_answered="Ek reader ne discussion mein yeh poocha tha. {who} ne likha:",
        quotes_in_english="(Quotes original English mein hain.)",
        not_covered="Course material mein iska jawab nahi hai.",
        closest="Material mein iske sabse kareeb:",
        someone="koi",
    ),
    "Dutch": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "Citaat ({who}):",
            SourceKind.ARTICLE: "Uit het artikel:",
            SourceKind.AUTHOR_REPLY: "Antwoord ({who}) op een vraag van een lezer in de discussie:",
            SourceKind.READER_COMMENT: "Reactie van een lezer ({who}) in de discussie:",
            SourceKind.INSTRUCTOR_ANSWER: "Antwoord van de cursusdocent:",
        },
        not_answered="Een lezer stelde deze vraag in de discussie. Antwoord ({who}):",
        quotes_in_english="(De citaten staan in de oorspronkelijke taal, het Engels.)",
        not_covered="Het cursusmateriaal beantwoordt deze vraag niet.",
        closest="Het dichtst erbij in het materiaal:",
        someone="onbekend",
    ),
    "Indonesian": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "Kutipan ({who}):",
            SourceKind.ARTICLE: "Dari artikel:",
            SourceKind.AUTHOR_REPLY: "Jawaban ({who}) atas pertanyaan pembaca dalam diskusi:",
            SourceKind.READER_COMMENT: "Komentar pembaca ({who}) dalam diskusi:",
            SourceKind.INSTRUCTOR_ANSWER: "Jawaban pengajar kursus:",
        },
        not_answered="Seorang pembaca menanyakan hal ini dalam diskusi. Jawaban ({who}):",
        quotes_in_english="(Kutipan ditulis dalam bahasa aslinya, bahasa Inggris.)",
        not_covered="Materi kursus tidak menjawab pertanyaan ini.",
        closest="Yang paling dekat dalam materi:",
        someone="tanpa nama",
    ),
    "Japanese": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "引用（{who}）：",
            SourceKind.ARTICLE: "記事より：",
            SourceKind.AUTHOR_REPLY: "ディスカッションでの読者の質問への回答（{who}）：",
            SourceKind.READER_COMMENT: "ディスカッションでの読者のコメント（{who}）：",
            SourceKind.INSTRUCTOR_ANSWER: "コース講師の回答：",
        },
        not_answered="読者がディスカッションでこの質問をしました。回答（{who}）：",
        quotes_in_english="（引用は原文の英語のままです。）",
        not_covered="コースの教材にはこの質問への答えがありません。",
        closest="教材の中で最も近い内容：",
        someone="名前なし",
    ),
    "Korean": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "인용 ({who}):",
            SourceKind.ARTICLE: "기사 내용:",
            SourceKind.AUTHOR_REPLY: "토론에서 독자 질문에 대한 답변 ({who}):",
            SourceKind.READER_COMMENT: "토론의 독자 댓글 ({who}):",
            SourceKind.INSTRUCTOR_ANSWER: "강좌 강사의 답변:",
        },
        not_answered="한 독자가 토론에서 이 질문을 했습니다. 답변 ({who}):",
        quotes_in_english="(인용문은 원문 그대로 영어입니다.)",
        not_covered="강좌 자료에는 이 질문에 대한 답이 없습니다.",
        closest="자료에서 가장 가까운 내용:",
        someone="이름 없음",
    ),
    "Polish": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "Cytat ({who}):",
            SourceKind.ARTICLE: "Z artykułu:",
            SourceKind.AUTHOR_REPLY: "Odpowiedź ({who}) na pytanie czytelnika w dyskusji:",
            SourceKind.READER_COMMENT: "Komentarz czytelnika ({who}) w dyskusji:",
            SourceKind.INSTRUCTOR_ANSWER: "Odpowiedź prowadzącego kurs:",
        },
        not_answered="Czytelnik zadał to pytanie w dyskusji. Odpowiedź ({who}):",
        quotes_in_english="(Cytaty są w oryginale, po angielsku.)",
        not_covered="Materiały kursu nie odpowiadają na to pytanie.",
        closest="Najbliższe tematy w materiałach:",
        someone="bez podpisu",
    ),
    "Russian": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "Цитата ({who}):",
            SourceKind.ARTICLE: "Из статьи:",
            SourceKind.AUTHOR_REPLY: "Ответ ({who}) на вопрос читателя в обсуждении:",
            SourceKind.READER_COMMENT: "Комментарий читателя ({who}) в обсуждении:",
            SourceKind.INSTRUCTOR_ANSWER: "Ответ преподавателя курса:",
        },
        not_answered="Читатель задал этот вопрос в обсуждении. Ответ ({who}):",
        quotes_in_english="(Цитаты приведены в оригинале, на английском.)",
        not_covered="В материалах курса нет ответа на этот вопрос.",
        closest="Ближе всего к нему в материалах:",
        someone="без имени",
    ),
    "Swedish": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "Citat ({who}):",
            SourceKind.ARTICLE: "Ur artikeln:",
            SourceKind.AUTHOR_REPLY: "Svar ({who}) på en läsares fråga i diskussionen:",
            SourceKind.READER_COMMENT: "Kommentar från en läsare ({who}) i diskussionen:",
            SourceKind.INSTRUCTOR_ANSWER: "Kursledarens svar:",
        },
        not_answered="En läsare ställde den här frågan i diskussionen. Svar ({who}):",
        quotes_in_english="(Citaten står på originalspråket, engelska.)",
        not_covered="Kursmaterialet besvarar inte den här frågan.",
        closest="Närmast i materialet:",
        someone="okänd",
    ),
    "Turkish": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "Alıntı ({who}):",
            SourceKind.ARTICLE: "Makaleden:",
            SourceKind.AUTHOR_REPLY: "Tartışmada bir okurun sorusuna yanıt ({who}):",
            SourceKind.READER_COMMENT: "Tartışmada bir okur yorumu ({who}):",
            SourceKind.INSTRUCTOR_ANSWER: "Kurs eğitmeninin yanıtı:",
        },
        not_answered="Bir okur bu soruyu tartışmada sordu. Yanıt ({who}):",
        quotes_in_english="(Alıntılar orijinal dilinde, İngilizcedir.)",
        not_covered="Kurs materyali bu soruyu yanıtlamıyor.",
        closest="Materyalde en yakın konular:",
        someone="isimsiz",
    ),
}


def has_phrasebook(language: str) -> bool:
    return language in PHRASEBOOKS


def framed_answer(
    citations: Sequence[Citation], covered: bool, language: str, suggestions: Sequence[str] = ()
) -> str:
    """The answer as the cited quotes, each introduced in `language` (which must have a phrasebook)."""
    phrases = PHRASEBOOKS[language]
    if not covered or not citations:
        closest = f" {phrases.closest} {'; '.join(suggestions)}." if suggestions else ""
        return phrases.not_covered + closest
    lines: list[str] = []
    seen: set[int] = set()
    for citation in citations:
        if citation.n in seen:
            continue
        seen.add(citation.n)
        who = citation.who or phrases.someone
        if citation.role == CommentRole.NON_ANSWER.value:
            intro = phrases.not_answered
        else:
            intro = phrases.said[citation.source_kind]
        lines.append(f"{intro.format(who=who)} “{' '.join(citation.quote.split())}” [{citation.n}]")
    return "\n".join([*lines, phrases.quotes_in_english])
