"""Text renderings of an answer's citations, shared by the terminal and the web UI."""

from __future__ import annotations

from assistant.records import Answer, Citation
from index.vocabulary import ChunkKind


def citation_heading(citation: Citation) -> str:
    """ "Andrew Ng, “Deep Learning” (2014)" for experts; "X, author reply (from the discussion)" else."""
    if citation.kind == ChunkKind.COMMENT:
        return f"{citation.author or 'someone'}, {citation.labels.plain}"
    if citation.kind != ChunkKind.EXPERT_QUOTE:
        return citation.labels.plain
    parts = [citation.speaker or "an expert"]
    if citation.source_title:
        parts.append(f"“{citation.source_title}”")
    text = ", ".join(parts)
    return f"{text} ({citation.year})" if citation.year else text


def render_plain(answer: Answer) -> str:
    """The checked answer followed by its numbered quotes, for a terminal."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            quote = " ".join(c.quote.split())
            lines.append(
                f"[{c.n}] {citation_heading(c)}: “{quote}”  ({c.document} {c.char_start}-{c.char_end})"
            )
    if answer.cached:
        lines.append("(answered from cache)")
    return "\n".join(lines)
