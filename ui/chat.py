"""The Gradio chat: streamed answers, sources first, quote cards, follow-ups, feedback, embed layout.

One `build_chat` makes both layouts: the full page at "/" and the compact one for an iframe at
"/embed". Per-session state holds the clean conversation (checked answers, for follow-up
questions) and the answers shown, so a thumbs up/down can be stored with what the student saw.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import gradio as gr

from assistant.app import App
from assistant.errors import IndexMissingError, UserError
from assistant.ready.examples import EXAMPLE_COUNT
from assistant.records import Answer, FinalEvent, SourcesEvent, TokenEvent, Turn
from ui import cards
from ui.faq_page import FaqService
from ui.feedback import FeedbackStore
from ui.limits import RateLimiter
from ui.questions_log import QuestionsLog
from ui.queue import AnswerQueue, Feed, QueueStatus, Refused, Ticket, Waiting, final_answer
from ui.sessions import current_student, launched_student

log = logging.getLogger(__name__)

MAX_HISTORY_MESSAGES = 12
WRITING = "_Writing the answer…_"
CHECKING_PASSAGES = "Closest passages (checking whether one answers…)"
STILL_WRITING = "An answer is still being written: wait for it, or press Stop."
SORRY = "Sorry, something went wrong while answering. Please try again in a moment."


@dataclass
class WebContext:
    """What the chat, the API and both layouts share in one process."""

    app: App
    feedback: FeedbackStore
    limiter: RateLimiter
    examples: list[str]
    questions: QuestionsLog
    faq: FaqService
    queue: AnswerQueue = field(default_factory=AnswerQueue)  # one per model: shared by every layout

    @property
    def page_url(self) -> str | None:
        return self.app.settings.ui.page_url

    def log(self, answer: Answer, channel: str, student: str | None = None) -> int | None:
        """Log a finished answer; a failing log never costs the student the answer.

        `student`: the pseudonym of an LTI launch (else the one of the request being handled, if any).
        """
        try:
            return self.questions.record(answer, channel, student=student or current_student.get())
        except Exception:
            log.warning("could not log the question", exc_info=True)
            return None


@dataclass
class ChatSession:
    """One browser tab's conversation: what the chat needs between events (kept by Gradio per session)."""

    turns: list[Turn] = field(default_factory=list)  # the last messages
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # chat message index -> finished answer
    rated: dict[str, int] = field(default_factory=dict)  # answer key -> its feedback row
    uncovered: str | None = None  # the last question the material does not cover (to pass on)
    student: str | None = None  # the pseudonym of an LTI launch
    last_log: int | None = None  # the questions-log row of the last rated answer
    last_rated: int | None = None  # the feedback row of the last rating (a comment goes there)


def _new_state() -> ChatSession:
    return ChatSession()


def _client_key(request: gr.Request | None) -> str:
    if request is None:
        return "local"
    if request.session_hash:
        return f"session:{request.session_hash}"
    client = getattr(request, "client", None)
    return f"ip:{getattr(client, 'host', 'unknown')}"


def _page_of(request: gr.Request | None) -> str | None:
    """The course page the chat is embedded in: `?page=` of the chat's URL (see docs/embed.md)."""
    params = getattr(request, "query_params", None) or {}
    return str(params.get("page") or "") or None


def _turns(state: ChatSession) -> list[Turn]:
    return state.turns[-MAX_HISTORY_MESSAGES:]


def _record(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answer": answer.answer,
        "citations": [c.to_json() for c in answer.citations],
        "model": answer.model,
        "index_version": answer.index_version,
    }


def _buttons(streaming: bool) -> tuple[Any, Any]:
    return gr.update(visible=not streaming), gr.update(visible=streaming)


class _Run:
    """One answer being shown: where its sources and text sit in the chat, and what to store when done."""

    def __init__(
        self, handlers: ChatHandlers, question: str, messages: list[dict[str, Any]], state: ChatSession
    ) -> None:
        self.ctx = handlers.ctx
        self.channel = handlers.channel
        self.question = question
        self.messages = messages
        self.state = state
        self.sources_at: int | None = None
        self.answer_at: int | None = None
        self.raw = ""
        self.done = False
        self.placeholder = False  # the answer slot holds a queue line, shown before any sources
        self.queued = False  # the answer slot shows the queue position

    def on(self, event: Any) -> bool:
        """Applies one stream event to the messages; True when there is something new to show."""
        if isinstance(event, Waiting):
            return self._waiting(event.status)
        if isinstance(event, SourcesEvent):
            self._sources(event)
        elif isinstance(event, TokenEvent) and self.answer_at is not None:
            self.raw += event.text
            self.messages[self.answer_at] = {"role": "assistant", "content": cards.safe_markdown(self.raw)}
        elif isinstance(event, FinalEvent):
            self._final(event.answer)
        else:
            return False
        return True

    def _waiting(self, status: QueueStatus | None) -> bool:
        """Shows the queue position while the question waits for the model (then "Writing" again)."""
        if status is None:
            if not self.queued or self.answer_at is None:
                return False
            self.queued = False
            self.messages[self.answer_at] = {"role": "assistant", "content": WRITING}
            return True
        line = {"role": "assistant", "content": cards.queue_markdown(status.line())}
        if self.answer_at is None:
            self.messages.append(line)
            self.answer_at = len(self.messages) - 1
            self.placeholder = True
        else:
            self.messages[self.answer_at] = line
        self.queued = True
        return True

    def _sources(self, event: SourcesEvent) -> None:
        if self.placeholder and self.answer_at is not None:  # the sources go above the answer slot
            del self.messages[self.answer_at]
            self.answer_at, self.placeholder, self.queued = None, False, False
        if self.answer_at is not None:  # the final event after a pending one: its passages replace them
            if self.sources_at is not None and event.retrieved:
                self.messages[self.sources_at] = self._sources_message(event)
            return
        if event.retrieved:
            self.messages.append(self._sources_message(event))
            self.sources_at = len(self.messages) - 1
        self.messages.append({"role": "assistant", "content": WRITING})
        self.answer_at = len(self.messages) - 1

    def _sources_message(self, event: SourcesEvent) -> dict[str, Any]:
        if event.pending:
            title = CHECKING_PASSAGES
        elif event.covered:
            title = f"Sources found ({len(event.retrieved)})"
        else:
            title = "Closest passages (no good match)"
        return {
            "role": "assistant",
            "content": cards.sources_html(event.retrieved, self.ctx.page_url),
            "metadata": {"title": title, "status": "pending"},
        }

    def _final(self, answer: Answer) -> None:
        messages, state = self.messages, self.state
        if self.answer_at is None:
            messages.append({"role": "assistant", "content": ""})
            self.answer_at = len(messages) - 1
        messages[self.answer_at] = {
            "role": "assistant",
            "content": cards.answer_markdown(answer, self.ctx.page_url),
        }
        if self.sources_at is not None:
            done = dict(messages[self.sources_at])
            done["metadata"] = {**done["metadata"], "status": "done"}
            messages[self.sources_at] = done
        log_id = self.ctx.log(answer, self.channel, self.state.student)
        record = {**_record(answer), "key": str(self.answer_at), "log_id": log_id}
        state.uncovered = None if answer.covered or answer.notice else answer.question
        for at in (self.sources_at, self.answer_at):
            if at is not None:
                state.answers[str(at)] = record
        state.turns = [
            *state.turns,
            Turn(role="user", content=self.question),
            Turn(role="assistant", content=answer.answer),
        ][-MAX_HISTORY_MESSAGES:]
        self.done = True


class ChatHandlers:
    """The event functions; kept apart from the layout so tests can call them directly."""

    def __init__(self, ctx: WebContext, channel: str = "chat") -> None:
        self.ctx = ctx
        self.channel = channel  # how the question came in, for the questions log: chat or embed

    def respond(
        self, question: str, messages: list[dict[str, Any]], state: ChatSession, request: gr.Request
    ) -> Iterator[tuple[Any, ...]]:
        """Streams one answer: sources as soon as retrieval is done, the place in the queue while the
        model is busy with other students' questions, then the text, then the cards."""
        key = _client_key(request)
        if self.ctx.queue.in_flight(key):  # one question in flight per student (Stop frees it at once)
            gr.Warning(STILL_WRITING)
            yield (gr.skip(),) * 5
            return
        student = launched_student(request, self.ctx.app.settings)  # the chat page opened by an LTI launch
        if student:
            state = replace(state or _new_state(), student=student)
        yield from self._respond(question, messages, state, key, _page_of(request))

    def _refusal(self, question: str, key: str) -> str | None:
        """Why this question is not answered at all (bad question, rate limits), as an error message."""
        try:
            self.ctx.app.assistant.validate(question)
        except UserError as exc:
            return f"Please check your question: {exc}."
        wait = self.ctx.limiter.check(key)
        if wait:
            return (
                "You are asking faster than this shared assistant allows "
                f"({self.ctx.limiter.per_minute} questions a minute). "
                f"Please wait about {int(wait) + 1} seconds and ask again."
            )
        return None

    def _admit(self, question: str, key: str) -> Ticket | str:
        """The question's place in the queue, or the one line saying why it is not answered."""
        refusal = self._refusal(question, key)
        if refusal:
            return refusal
        try:
            return self.ctx.queue.join(key)
        except Refused as exc:
            return str(exc)

    def _respond(
        self,
        question: str,
        messages: list[dict[str, Any]],
        state: ChatSession,
        key: str,
        page: str | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        state = state or _new_state()
        messages = list(messages or [])
        question = (question or "").strip()
        valid = bool(question) and len(question) <= self.ctx.app.settings.retrieval.max_question_chars
        if valid:
            messages.append({"role": "user", "content": cards.esc(question)})
        ticket = self._admit(question, key)
        if isinstance(ticket, str):
            messages.append({"role": "assistant", "content": cards.error_html(ticket)})
            yield (messages, state, question, *_buttons(False))
            return
        yield (list(messages), state, "", *_buttons(True))  # the question was sent: clear the box
        run = _Run(self, question, messages, state)
        turns = _turns(state)
        feed = Feed(ticket, lambda: self.ctx.app.assistant.stream(question, turns, page))
        try:
            for event in feed:
                if run.on(event):
                    yield (list(run.messages), state, gr.skip(), *_buttons(not run.done))
                elif isinstance(event, Waiting):
                    yield (gr.skip(),) * 5  # nothing new: lets Gradio notice a closed tab meanwhile
        except UserError as exc:
            hint = (
                " An instructor needs to run `expert-chat build`."
                if isinstance(exc, IndexMissingError)
                else ""
            )
            messages = _replace_or_append(run.messages, run.answer_at, cards.error_html(f"{exc}.{hint}"))
            yield (messages, state, gr.skip(), *_buttons(False))
        except Exception:
            log.exception("answering %r failed", question)
            messages = _replace_or_append(run.messages, run.answer_at, cards.error_html(SORRY))
            yield (messages, state, gr.skip(), *_buttons(False))
        finally:
            feed.close()  # a stopped answer frees its slot and the model at once

    def stopped(self, messages: list[dict[str, Any]], request: gr.Request) -> tuple[Any, ...]:
        """After the stop button: the partial text stays, marked as stopped (and never rated)."""
        self.ctx.queue.leave_student(_client_key(request))
        messages = [dict(m) for m in messages or []]
        for message in messages:
            metadata = message.get("metadata") or {}
            if metadata.get("status") == "pending":
                message["metadata"] = {**metadata, "status": "done"}
        if messages and messages[-1].get("role") == "assistant" and not messages[-1].get("metadata"):
            text = message_text(messages[-1].get("content"))
            text = "" if text == WRITING or "ahead of yours" in text else text
            messages[-1]["content"] = text + "\n\n_(stopped: this unchecked draft has no citations)_"
        return (messages, *_buttons(False))

    def clear(self, request: gr.Request) -> tuple[Any, ...]:
        self.ctx.queue.leave_student(_client_key(request))
        hidden = gr.update(visible=False)
        return ([], _new_state(), "", hidden, "", *_buttons(False), hidden)

    def like(
        self, state: ChatSession, data: gr.LikeData, request: gr.Request
    ) -> tuple[ChatSession, Any, str]:
        """Stores (or changes, or withdraws) a thumbs up/down on an answer."""
        state = state or _new_state()
        index = data.index if isinstance(data.index, int) else data.index[0]
        record = state.answers.get(str(index))
        if record is None:
            return state, gr.update(visible=False), "Feedback can be given on finished answers only."
        key = str(record.get("key", index))
        log_id = record.get("log_id")
        record = {k: v for k, v in record.items() if k not in ("key", "log_id")}
        client = _client_key(request)
        row_id = state.rated.get(key)
        store = self.ctx.feedback
        if data.liked not in (True, False):
            if row_id is not None:
                store.delete(row_id, client_id=client)
                state.rated.pop(key, None)
            self._log_feedback(log_id, None)
            return state, gr.update(visible=False), "Feedback withdrawn."
        rating = 1 if data.liked else -1
        self._log_feedback(log_id, rating)
        state.last_log = log_id
        if row_id is not None and store.set_rating(row_id, rating, client_id=client):
            pass
        else:
            row_id = store.add(rating=rating, client_id=client, **record)
            state.rated[key] = row_id
        state.last_rated = row_id
        thanks = "Thanks! Glad it helped." if rating > 0 else "Thanks — sorry it missed. What was wrong?"
        return state, gr.update(visible=True), thanks + " You can add a comment below (optional)."

    def comment(self, text: str, state: ChatSession, request: gr.Request) -> tuple[Any, str, Any]:
        row_id = state.last_rated if state else None
        if row_id is None:
            return gr.update(), "Rate an answer with 👍 or 👎 first.", gr.update()
        if not (text or "").strip():
            return gr.update(), "The comment is empty.", gr.update()
        self.ctx.feedback.set_comment(row_id, text, client_id=_client_key(request))
        log_id = state.last_log if state else None
        if log_id is not None:
            try:
                self.ctx.questions.set_comment(log_id, text)
            except Exception:
                log.warning("could not log the comment", exc_info=True)
        return "", "Comment saved. Thank you!", gr.update(visible=False)

    def _log_feedback(self, log_id: Any, rating: int | None) -> None:
        if log_id is None:
            return
        try:
            self.ctx.questions.set_feedback(int(log_id), rating)
        except Exception:
            log.warning("could not log the feedback", exc_info=True)

    def offer_instructor(self, state: ChatSession) -> tuple[Any, Any]:
        """After a "not covered" answer: offer to pass the question on to the instructor."""
        uncovered = state.uncovered if state else None
        return gr.update(visible=bool(uncovered)), ""

    def pass_on(self, contact: str, state: ChatSession) -> tuple[Any, str, Any]:
        """Stores the not-covered question for the instructor (a contact only if the student typed one)."""
        question = state.uncovered if state else None
        if not question:
            return gr.update(visible=False), "", gr.update()
        self.ctx.questions.pass_on(question, contact or None)
        state.uncovered = None
        note = "Passed on to the instructor. Their answer will appear in the course FAQ and in the chat."
        return gr.update(visible=False), note, ""

    def api_ask(
        self, question: str, history: list[dict[str, str]] | None = None, request: gr.Request | None = None
    ) -> dict[str, Any]:
        """gradio_client endpoint "/ask": the Answer JSON for `question` after earlier `history` turns."""
        wait = self.ctx.limiter.check(_client_key_ip(request))
        if wait:
            raise gr.Error(
                f"rate limit: {self.ctx.limiter.per_minute} questions a minute; retry in {int(wait) + 1} s",
                print_exception=False,
            )
        try:
            turns = parse_history(history or [])
            ticket = self.ctx.queue.join(_client_key(request))
            answer = final_answer(Feed(ticket, lambda: self.ctx.app.assistant.stream(question, turns)))
        except (UserError, Refused) as exc:
            raise gr.Error(str(exc), print_exception=False) from exc
        self.ctx.log(answer, "api")
        return answer.to_json()


def message_text(content: Any) -> str:
    """A message's text, whether Gradio hands it over as a string or as a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, list):
        return "".join(message_text(part) for part in content)
    return ""


def _client_key_ip(request: gr.Request | None) -> str:
    client = getattr(request, "client", None)
    return f"ip:{getattr(client, 'host', 'unknown')}"


def parse_history(history: Any) -> list[Turn]:
    """Earlier turns as given by an API caller: a list of {"role": "user"|"assistant", "content": str}."""
    if not isinstance(history, list):
        raise UserError('history must be a list of {"role", "content"} objects')
    if len(history) > 2 * MAX_HISTORY_MESSAGES:
        history = history[-2 * MAX_HISTORY_MESSAGES :]
    turns = []
    for i, item in enumerate(history):
        if not isinstance(item, dict):
            raise UserError(f'history[{i}] must be an object with "role" and "content"')
        role, content = item.get("role"), item.get("content")
        if role not in ("user", "assistant"):
            raise UserError(f'history[{i}].role must be "user" or "assistant"')
        if not isinstance(content, str):
            raise UserError(f"history[{i}].content must be a string")
        turns.append(Turn(role=role, content=content))
    return turns


def _replace_or_append(messages: list[dict[str, Any]], at: int | None, content: str) -> list[dict[str, Any]]:
    messages = list(messages)
    if at is not None and at < len(messages):
        messages[at] = {"role": "assistant", "content": content}
    else:
        messages.append({"role": "assistant", "content": content})
    return messages


def build_chat(ctx: WebContext, *, compact: bool = False) -> gr.Blocks:
    """The chat page: full layout, or compact for a narrow iframe column (no header, smaller chat)."""
    ui = ctx.app.settings.ui
    handlers = ChatHandlers(ctx, "embed" if compact else "chat")
    examples = ui.examples or ctx.examples
    # Compact: the chat grows to fill the iframe's height, whatever the course page gives it.
    with gr.Blocks(title=ui.title, analytics_enabled=False, fill_width=compact, fill_height=compact) as demo:
        if not compact:
            gr.Markdown(f"# {cards.esc(ui.title)}\n{cards.esc(ui.intro)}", elem_id="atx-header")
        chatbot = gr.Chatbot(
            elem_id="atx-chat",
            height=None if compact else 560,
            min_height=260 if compact else None,
            scale=1 if compact else None,
            show_label=False,
            placeholder=cards.esc(ui.intro) if compact else None,
            feedback_options=("Like", "Dislike"),
            buttons=["copy"],
            autoscroll=True,
            layout="bubble",  # "panel" showed a second feedback bar under the sources
        )
        state = gr.State(_new_state())
        # Example questions as plain buttons in a labelled group (Gradio's own example list has
        # role="list" without list items, which screen readers cannot read: axe-core "critical").
        shown = examples[: 3 if compact else EXAMPLE_COUNT]
        with gr.Group(visible=bool(shown), elem_id="atx-examples") as examples_box:
            gr.HTML('<p id="atx-examples-label">Try asking:</p>', padding=False)
            with gr.Row(equal_height=True):
                example_buttons = [
                    gr.Button(q, size="sm", variant="secondary", elem_classes=["atx-example"]) for q in shown
                ]
        with gr.Row(equal_height=True):
            question = gr.Textbox(
                elem_id="atx-question",
                show_label=False,
                placeholder="Ask a question about the article…",
                max_lines=4,
                scale=5,
                autofocus=not compact,
            )
            send = gr.Button("Ask", variant="primary", scale=1, min_width=64, elem_id="atx-send")
            stop = gr.Button("Stop", variant="stop", scale=1, min_width=64, visible=False, elem_id="atx-stop")
        with gr.Row():
            clear = gr.Button("Clear chat", size="sm", variant="secondary", elem_id="atx-clear")
        feedback_note = gr.Markdown(elem_id="atx-feedback-note")
        with gr.Row(visible=False) as comment_row:
            comment = gr.Textbox(
                show_label=False,
                placeholder="Optional comment on this answer",
                scale=5,
                max_lines=3,
                elem_id="atx-comment",
            )
            send_comment = gr.Button("Send comment", size="sm", scale=1, elem_id="atx-send-comment")
        with gr.Row(visible=False, elem_id="atx-instructor") as instructor_row:
            gr.Markdown("Not covered by the material? Pass the question on to the instructor.")
            contact = gr.Textbox(
                label="Your e-mail or name (optional)",
                placeholder="only if you want a personal reply",
                max_lines=1,
                scale=3,
                elem_id="atx-contact",
            )
            ask_instructor = gr.Button("Ask the instructor", size="sm", scale=1, elem_id="atx-ask-instructor")
        if not compact:
            gr.Markdown(
                "Every answer quotes the course page. Orange cards marked *from the discussion* are reader "
                "comments and the author's replies, not expert statements. The thumbs under an answer tell "
                "the instructor whether it helped.",
                elem_id="atx-footnote",
            )

        outputs = [chatbot, state, question, send, stop]
        common: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}
        # "multiple": a question sent right after Stop must not be dropped while Gradio is still
        # closing the stopped run; `respond` itself refuses a second answer in the same session.
        asking: dict[str, Any] = {**common, "trigger_mode": "multiple"}
        answering: list[Any] = [
            question.submit(handlers.respond, [question, chatbot, state], outputs, **asking),
            send.click(handlers.respond, [question, chatbot, state], outputs, **asking),
        ]
        for asked in answering:
            asked.then(handlers.offer_instructor, [state], [instructor_row, feedback_note], **common)

        for button in example_buttons:  # the button's label is the question
            answering.append(button.click(handlers.respond, [button, chatbot, state], outputs, **common))
            answering[-1].then(handlers.offer_instructor, [state], [instructor_row, feedback_note], **common)
        # Once a conversation starts the examples make way for it; clearing the chat brings them back.
        for trigger in (question.submit, send.click, *(b.click for b in example_buttons)):
            trigger(
                lambda: gr.update(visible=False), None, examples_box, queue=False, api_visibility="private"
            )
        ask_instructor.click(
            handlers.pass_on, [contact, state], [instructor_row, feedback_note, contact], **common
        )
        stop.click(
            handlers.stopped,
            [chatbot],
            [chatbot, send, stop],
            cancels=answering,
            queue=False,
            api_visibility="private",
        )
        for clear_event in (clear.click, chatbot.clear):  # the button and the chatbot's own trash icon
            clear_event(
                lambda: gr.update(visible=bool(shown)),
                None,
                examples_box,
                queue=False,
                api_visibility="private",
            )
            clear_event(
                handlers.clear,
                None,
                [chatbot, state, question, comment_row, feedback_note, send, stop, instructor_row],
                cancels=answering,
                queue=False,
                api_visibility="private",
            )
        chatbot.like(handlers.like, [state], [state, comment_row, feedback_note], api_visibility="private")
        send_comment.click(
            handlers.comment,
            [comment, state],
            [comment, feedback_note, comment_row],
            api_visibility="private",
        )
        comment.submit(
            handlers.comment,
            [comment, state],
            [comment, feedback_note, comment_row],
            api_visibility="private",
        )
        if not compact:
            gr.api(
                handlers.api_ask,
                api_name="ask",
                api_description="Answer a question about the course page; returns the Answer JSON "
                "(same as POST /api/ask and `expert-chat ask --json`).",
            )
    return demo
