"""`expert-chat`: the command line of Ask the Experts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.settings import Settings, load_settings
from index.records import Comment, Quote

Handler = Callable[[argparse.Namespace, Settings], int]


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app import build_app

    if args.course:  # a course of a many-course server: its own folder under <home>/courses/
        settings = settings.for_course(args.course)
    app = build_app(settings)
    summary = app.build(args.source, progress=not args.quiet)
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(summary.line())
    if not args.no_faq:  # the course FAQ is built with the index: one model call per question
        from ui.faq_page import FaqService, progress_bar
        from ui.questions_log import QuestionsLog

        with progress_bar(not args.quiet) as progress:
            faq = FaqService(app, QuestionsLog.from_settings(settings)).rebuild(progress)
        print(f"FAQ: {len(faq.entries)} entries")
    return 0


def _records(args: argparse.Namespace, settings: Settings) -> tuple[list[Quote], list[Comment]]:
    """Parsed from --source pages (nothing is indexed), else what the active index holds."""
    from index.build import indexed_corpus, load_corpus

    if args.source:
        corpus = load_corpus(settings.index, args.source)
        return list(corpus.quotes), list(corpus.comments)
    from assistant.app import build_app

    return indexed_corpus(build_app(settings).store)


def cmd_quotes(args: argparse.Namespace, settings: Settings) -> int:
    quotes, _ = _records(args, settings)
    if args.json:
        _print_json([q.to_json() for q in quotes])
        return 0
    for q in quotes:
        source = ", ".join(str(x) for x in (q.source_title, q.year) if x)
        print(f"- {q.speaker} ({source}): {q.text[:100]}")
    print(f"{len(quotes)} quotes")
    return 0


def cmd_comments(args: argparse.Namespace, settings: Settings) -> int:
    _, comments = _records(args, settings)
    if args.json:
        _print_json([c.to_json() for c in comments])
        return 0
    for c in comments:
        flags = ("author " if c.is_author_reply else "") + ("spam " if c.spam else "")
        indent = "  " * c.depth
        print(f"{indent}- {c.author} {c.date_text} {flags}: {c.text[:80]!r}")
    print(f"{len(comments)} comments")
    return 0


def cmd_inspect(args: argparse.Namespace, settings: Settings) -> int:
    from ui.inspect import cmd_inspect as inspect_page

    return inspect_page(args, settings)


def cmd_model(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app import build_app
    from assistant.models.report import format_model_report, model_check, model_info

    if args.model_command == "info":
        report = model_info(settings.model, settings.model_cache_dir)
    else:
        report = model_check(settings.model, settings.model_cache_dir, load=lambda: build_app(settings).llm)
    if args.json:
        _print_json(report)
    else:
        print(format_model_report(report))
    return 0


def cmd_retrieve(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app import build_app

    result = build_app(settings).assistant.retrieve(args.question)
    if args.json:
        _print_json(result.to_json())
    else:
        print(("covered" if result.covered else "NOT covered") + f" ({result.reason})")
        for p in result.passages:
            who = p.speaker or p.author or p.section or ""
            print(f"{p.rank}. [{p.label}] {who}: {p.text[:120]!r} (score {p.score:.3f})")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app import build_app
    from assistant.records import FinalEvent, SourcesEvent, TokenEvent

    assistant = build_app(settings).assistant
    if args.json:
        _print_json(assistant.ask(args.question).to_json())
        return 0
    # The draft streams to stderr as it is written; stdout gets only the checked answer and its quotes.
    drafting = covered = False
    for event in assistant.stream(args.question):
        if isinstance(event, SourcesEvent) and event.covered:
            covered = True
            sys.stderr.write("Sources: " + "; ".join(_source_line(p) for p in event.retrieved) + "\n")
        elif isinstance(event, TokenEvent) and covered:
            sys.stderr.write(("draft: " if not drafting else "") + event.text)
            sys.stderr.flush()
            drafting = True
        elif isinstance(event, FinalEvent):
            from assistant.writing.render import render_plain

            if drafting:
                sys.stderr.write("\n\n")
            sys.stdout.write(render_plain(event.answer) + "\n")
    return 0


def _source_line(passage: Any) -> str:
    return f"[{passage.rank}] {passage.who or passage.section or passage.labels.plain} ({passage.label})"


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app import build_app
    from assistant.evaluation.evaluate import format_report, load_annotations, load_questions, run_eval
    from assistant.evaluation.thread_eval import format_section, run_thread_eval
    from index.build import indexed_corpus

    app = build_app(settings)
    sections = set(args.sections.split(","))
    report: dict[str, Any] = {}
    if "dev" in sections:
        report = run_eval(
            app.assistant,
            questions=Path(args.questions),
            quotes=Path(args.quotes),
            generate=not args.no_generate,
            progress=not args.json,
        )
    if "students" in sections:
        report["students"] = _student_report(app, args)
    _, comments = indexed_corpus(app.store)
    annotations = load_annotations(Path(args.quotes))
    for name, path in (("thread", args.thread), ("multilingual", args.multilingual)):
        if name in sections:
            report[name] = run_thread_eval(
                app.assistant,
                load_questions(Path(path)),
                comments,
                annotations,
                generate=not args.no_generate,
                progress=not args.json,
                desc=f"{name} questions",
            )
    if args.json:
        _print_json(report)
        return 0
    if "students" in report:
        from assistant.evaluation.student_eval import format_students

        print(format_students(report["students"]))
    if "dev" in sections:
        print(format_report(report))
    for name in ("thread", "multilingual"):
        if name in report:
            print(format_section(name, report[name]))
    return 0


def _student_report(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    from assistant.evaluation.student_eval import language_matches, load_items, run_student_eval

    items = [*load_items(Path(args.students)), *load_items(Path(args.conversations))]
    manifest = app.store.require_manifest()
    indexed = {Path(source).name for source in manifest.sources}
    rows_out = Path(args.rows_out) if args.rows_out else None
    return run_student_eval(
        app.assistant,
        items,
        language_matches,
        indexed=indexed,
        rows_out=rows_out,
        on_page=args.on_page,
        default_page=args.default_page,
    )


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from ui.server import serve

    serve(settings, host=args.host, port=args.port)
    return 0


def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from ui.feedback import FeedbackStore

    store = FeedbackStore.from_settings(settings)
    with (
        open(args.output, "w", newline="", encoding="utf-8") if args.output else nullcontext(sys.stdout)
    ) as out:
        count = store.export_csv(out)
    print(f"{count} feedback rows exported", file=sys.stderr)
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from ui.doctor import report

    lines, healthy = report(settings, as_json=args.json)
    if args.json:
        _print_json({"healthy": healthy, "checks": lines})
    else:
        for line in lines:
            print(line)
        print("all good" if healthy else "something needs fixing: see the lines marked fail")
    return 0 if healthy else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="expert-chat",
        description="Ask the Experts: answers about a course page, citing the experts' exact words.",
    )
    parser.add_argument(
        "--home",
        type=Path,
        help="where the index, model cache and feedback live (default: $EXPERT_CHAT_HOME or ~/.expert-chat)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    def add_sources(
        p: argparse.ArgumentParser, what: str, default: str = "every page in the data dir"
    ) -> None:
        p.add_argument(
            "--source",
            action="append",
            type=Path,
            metavar="PATH",
            help=f"a page or a folder of pages to {what} (repeatable; default: {default})",
        )

    p = add(
        "build", cmd_build, "Index the course pages into Chroma (only new or changed chunks are embedded)."
    )
    add_sources(p, "index")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--no-faq", action="store_true", help="skip building the course FAQ (it answers each question once)"
    )
    p.add_argument(
        "--course",
        metavar="ID",
        help="build this course's index, FAQ and logs under <home>/courses/ID (one server, many courses; "
        "served at /course/ID/ and opened by LTI launches of its deployments)",
    )

    p = add("quotes", cmd_quotes, "List the expert quotes of the active index (or of --source pages).")
    add_sources(p, "parse without indexing", "what the active index holds")
    p.add_argument("--json", action="store_true", help="print JSON objects")

    p = add(
        "comments", cmd_comments, "List the discussion comments of the active index (or of --source pages)."
    )
    add_sources(p, "parse without indexing", "what the active index holds")
    p.add_argument("--json", action="store_true", help="print JSON objects")

    p = add("inspect", cmd_inspect, "Show what was understood of a page: text, quotes and speakers, thread.")
    p.add_argument("page", type=Path, help="a .txt, .md or .html page")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = add("model", cmd_model, "Inspect or check the language model.")
    p.add_argument(
        "model_command",
        choices=["info", "check"],
        help="info: which model and file, digest status; check: load it and measure its speed",
    )
    p.add_argument("--json", action="store_true", help="print JSON")

    p = add("retrieve", cmd_retrieve, "Show the passages retrieved for a question (no model).")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = add("ask", cmd_ask, "Answer a question with cited expert quotes (streams to the terminal).")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of streaming")

    from assistant.evaluation.evaluate import EVAL_DIR

    p = add(
        "eval", cmd_eval, "Evaluate retrieval, coverage decisions, citations and latency on a question file."
    )
    p.add_argument("--questions", default=str(EVAL_DIR / "dev_questions.jsonl"), help="JSONL question file")
    p.add_argument("--quotes", default=str(EVAL_DIR / "quotes.json"), help="quote annotation JSON file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--no-generate", action="store_true", help="retrieval and coverage only (no model)")
    p.add_argument(
        "--thread", default=str(EVAL_DIR / "thread_questions.jsonl"), help="JSONL thread question file"
    )
    p.add_argument(
        "--multilingual",
        default=str(EVAL_DIR / "multilingual_questions.jsonl"),
        help="JSONL file of questions in other languages",
    )
    p.add_argument(
        "--students",
        default=str(EVAL_DIR / "students_dev.jsonl"),
        help="JSONL file of questions in students' own words (section students)",
    )
    p.add_argument(
        "--conversations",
        default=str(EVAL_DIR / "conversations_dev.jsonl"),
        help="JSONL file of short conversations, scored on their last turn (section students)",
    )
    p.add_argument("--rows-out", help="append each scored row to this JSONL file as it is done (students)")
    p.add_argument(
        "--on-page",
        action="store_true",
        help="ask each question on the page it names, as from that page's chat (students)",
    )
    p.add_argument("--default-page", help="with --on-page: the page of items that name none (students)")
    p.add_argument(
        "--sections",
        default="dev,thread,multilingual",
        help="comma-separated sections: dev, thread, multilingual, students (default: the first three)",
    )

    p = add("serve", cmd_serve, "Start the web chat (Gradio) and the JSON API.")
    p.add_argument("--host", default=None, help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 7860)")

    p = add("feedback", cmd_feedback, "Work with the stored thumbs-up/down feedback.")
    p.add_argument("feedback_command", choices=["export"], help="export: write all feedback rows")
    p.add_argument("--csv", action="store_true", required=True, help="CSV format")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")

    p = add("doctor", cmd_doctor, "Check this installation: Python, packages, model, embedder, data, index.")
    p.add_argument("--json", action="store_true", help="print JSON")

    from ui.faq_page import cmd_faq, faq_arguments

    faq_arguments(add("faq", cmd_faq, "Print the course FAQ (built first when the index changed)."))

    from ui.lti.commands import cmd_lti, lti_arguments

    lti_arguments(add("lti", cmd_lti, "Register LMS platforms and print the values an LMS needs (LTI 1.3)."))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        overrides: dict[str, Any] = {"home": args.home} if args.home else {}
        settings = load_settings(**overrides)
        handler: Handler = args.handler
        return handler(args, settings)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
