"""HTML pieces of the web UI: source lists, quote cards, notices and the page viewer.

Every piece of page text, question or model output that goes into HTML built here is escaped with
`html.escape`; Gradio's Chatbot sanitises what is left on top of that. Each block is one line of
HTML: the chat renders Markdown, and a blank line inside an HTML block would end it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

from assistant.pipeline import NOT_COVERED
from assistant.records import Answer, Citation, Passage
from assistant.writing import present
from assistant.writing.render import citation_heading
from index.vocabulary import ChunkKind

SNIPPET_CHARS = 170
FRAGMENT_WORDS = 6

CARD_CSS = """
.atx-card { border-left: 4px solid #2563eb; background: rgba(37, 99, 235, 0.06); border-radius: 6px;
  padding: 8px 12px; margin: 10px 0; }
.atx-card.atx-discussion { border-left: 4px dashed #b45309; background: rgba(217, 119, 6, 0.08); }
.atx-card.atx-instructor { border-left-color: #047857; background: rgba(4, 120, 87, 0.08); }
.atx-instructor .atx-tag { color: #065f46; }
.atx-card.atx-article { border-left-color: #64748b; background: rgba(100, 116, 139, 0.08); }
.atx-tag { display: inline-block; font-size: 0.75em; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.04em; color: #1e3a8a !important; opacity: 1; margin-bottom: 4px; }
.atx-discussion .atx-tag { color: #7c2d12 !important; }
.atx-article .atx-tag { color: #334155 !important; }
.atx-quote { font-style: italic; margin: 2px 0 6px 0; }
.atx-discussion .atx-quote { font-style: normal; }
.atx-who { font-size: 0.9em; }
.atx-notice { border: 1px solid #d97706; background: rgba(245, 158, 11, 0.12); border-radius: 6px;
  padding: 8px 12px; }
.atx-error { border: 1px solid #dc2626; background: rgba(220, 38, 38, 0.08); border-radius: 6px;
  padding: 8px 12px; }
.atx-sources { font-size: 0.9em; }
.atx-src { margin: 4px 0; }
.atx-src-tag { font-weight: 600; }
.atx-src.atx-discussion .atx-src-tag { color: #7c2d12; }
#atx-footnote { font-size: 0.85em; }
/* Contrast (WCAG AA, checked by axe-core in the browser tests). */
#atx-send, #atx-send:hover { background: #c2410c !important; border-color: #c2410c !important;
  color: #fff !important; }
#atx-stop, #atx-stop:hover { background: #b91c1c !important; border-color: #b91c1c !important;
  color: #fff !important; }
.show-api, .show-api * { color: #4b5563 !important; }
"""

# Gradio's collapsible "Sources found" header is a role=button holding an unnamed icon button (nested
# controls, one without a name). The inner button becomes the one control, named after the header; a
# click on it still reaches the header's handler.
A11Y_JS = """
() => {
  const fix = () => {
    document.querySelectorAll('.thought-group > .title').forEach((title) => {
      const inner = title.querySelector('button');
      if (!inner) { return; }
      title.removeAttribute('role');
      title.removeAttribute('tabindex');
      const name = 'Show or hide: ' + title.textContent.trim();
      if (inner.getAttribute('aria-label') !== name) { inner.setAttribute('aria-label', name); }
      if (!inner.dataset.atxKeys) {
        inner.dataset.atxKeys = '1';
        // The header toggles on Enter too: let only the button's own click reach it.
        inner.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') { e.stopPropagation(); }
        });
      }
    });
  };
  fix();
  new MutationObserver(fix).observe(document.body, { childList: true, subtree: true, characterData: true });
}
"""

# The compact layout sits in a narrow iframe column: less padding around the app.
EMBED_CSS = (
    CARD_CSS
    + """
.gradio-container { padding: 0 !important; }
.gradio-container .main.app { padding: 6px 8px !important; }
.atx-card { padding: 6px 8px; }
#atx-chat .placeholder { padding: 10px 12px; }
"""
)


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def one_line(text: str) -> str:
    return " ".join(text.split())


def viewer_link(document: str, start: int, end: int) -> str:
    """The built-in viewer: the stored page with the span highlighted and scrolled into view."""
    return f"/view/{url_quote(document, safe='')}?{urlencode({'start': start, 'end': end})}#hit"


def text_fragment_link(page_url: str, quote: str) -> str:
    """`page_url#:~:text=...`: browsers scroll to and highlight the quote on the live course page."""
    words = quote.split()
    if len(words) <= 2 * FRAGMENT_WORDS:
        fragment = _fragment_part(" ".join(words))
    else:
        fragment = (
            _fragment_part(" ".join(words[:FRAGMENT_WORDS]))
            + ","
            + _fragment_part(" ".join(words[-FRAGMENT_WORDS:]))
        )
    return f"{page_url.split('#', 1)[0]}#:~:text={fragment}"


def _fragment_part(text: str) -> str:
    # '-', ',' and '&' are syntax inside a text fragment and must be percent-encoded.
    return url_quote(text, safe="").replace("-", "%2D")


def spot_link(citation: Citation | Passage, page_url: str | None, quote: str | None = None) -> str:
    if citation.kind == ChunkKind.INSTRUCTOR_ANSWER:  # not in the course page: it is listed in the FAQ
        return "/faq"
    if page_url:
        return text_fragment_link(page_url, quote if quote is not None else citation_text(citation))
    return viewer_link(citation.document, citation.char_start, citation.char_end)


def citation_text(item: Citation | Passage) -> str:
    return item.quote if isinstance(item, Citation) else item.text


def _kind_class(item: Citation | Passage) -> str:
    if item.labels.discussion:
        return "atx-discussion"
    classes = {ChunkKind.ARTICLE: "atx-article", ChunkKind.INSTRUCTOR_ANSWER: "atx-instructor"}
    return classes.get(item.kind, "atx-expert")


def _tag(item: Citation | Passage) -> str:
    return item.labels.card


def _link_text(item: Citation | Passage) -> str:
    return "in the course FAQ" if item.kind == ChunkKind.INSTRUCTOR_ANSWER else "show in the page"


def quote_card(citation: Citation, page_url: str | None = None) -> str:
    """One checked citation: the exact quote, who said it where and when, and a link to the spot."""
    quote = one_line(citation.quote)
    opening, closing = ("“", "”") if citation.kind == ChunkKind.EXPERT_QUOTE else ("", "")
    link = spot_link(citation, page_url, citation.quote)
    return (
        f'<div class="atx-card {_kind_class(citation)}" data-n="{citation.n}">'
        f'<span class="atx-tag">[{citation.n}] {esc(_tag(citation))}</span>'
        f'<div class="atx-quote">{opening}{esc(quote)}{closing}</div>'
        f'<div class="atx-who">— {esc(citation_heading(citation))} · '
        f'<a href="{esc(link)}" target="_blank" rel="noopener">{_link_text(citation)}</a></div>'
        "</div>"
    )


def sources_html(passages: Sequence[Passage], page_url: str | None = None) -> str:
    """The retrieved passages, listed as soon as retrieval is done (before the model writes)."""
    if not passages:
        return "No passages found."
    items = []
    for p in passages:
        snippet = one_line(p.text)
        if len(snippet) > SNIPPET_CHARS:
            snippet = snippet[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
        link = spot_link(p, page_url)
        items.append(
            f'<div class="atx-src {_kind_class(p)}">'
            f'<span class="atx-src-tag">{p.rank}. {esc(_tag(p))}</span> — {esc(present.who(p))}: '
            f'“{esc(snippet)}” <a href="{esc(link)}" target="_blank" rel="noopener">open</a></div>'
        )
    return '<div class="atx-sources">' + "".join(items) + "</div>"


def notice_html(text: str, items: Sequence[str] = (), items_intro: str = "") -> str:
    """A styled notice for answers that are not answers (not covered, refused)."""
    body = f"<strong>{esc(text)}</strong>"
    if items:
        body += f"<div>{esc(items_intro)}</div>" if items_intro else ""
        body += "<ul>" + "".join(f"<li>{esc(one_line(x))}</li>" for x in items) + "</ul>"
    return f'<div class="atx-notice">ℹ️ {body}</div>'


def queue_markdown(line: str) -> str:
    """The answer's place while it waits for the model, e.g. "2 questions ahead of yours · about 40 s"."""
    return f"_Waiting for the model: {esc(line)}_"


def error_html(text: str) -> str:
    return f'<div class="atx-error">⚠️ {esc(text)}</div>'


def answer_markdown(answer: Answer, page_url: str | None = None) -> str:
    """The final message: the checked answer (Markdown, sanitised by Gradio) and its quote cards."""
    if not answer.covered:
        if answer.suggestions and answer.answer.startswith(NOT_COVERED):
            return notice_html(NOT_COVERED, answer.suggestions, "The closest things it does cover:")
        return notice_html(answer.notice or answer.answer)
    parts = [safe_markdown(answer.answer)]
    if answer.citations:
        parts.append("".join(quote_card(c, page_url) for c in answer.citations))
    if answer.faq:
        parts.append('<small class="atx-faq-mark">(answered from the course FAQ)</small>')
    elif answer.cached:
        parts.append("<small>(answered from cache)</small>")
    return "\n\n".join(parts)


def safe_markdown(text: str) -> str:
    """Model text as Markdown with any HTML in it escaped (shown as text, never run)."""
    return html.escape(text, quote=False)


def viewer_page(document: str, page: str, start: int, end: int) -> str:
    """The stored page text as escaped HTML with `page[start:end]` marked and scrolled into view."""
    before, hit, after = page[:start], page[start:end], page[end:]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(document)} — quoted passage</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;"
        "line-height:1.5;color:#111}"
        ".page{white-space:pre-wrap;overflow-wrap:anywhere}"
        "mark{background:#fde68a;padding:2px 0;scroll-margin-top:30vh}"
        "header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:.5rem 0;"
        "font-size:.9rem;color:#444}</style></head><body>"
        f"<header>Course page <code>{esc(document)}</code> — the quoted passage is highlighted.</header>"
        f'<div class="page">{esc(before)}<mark id="hit">{esc(hit)}</mark>{esc(after)}</div>'
        "</body></html>"
    )
