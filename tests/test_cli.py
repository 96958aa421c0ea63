"""The `expert-chat` command line, run as a real subprocess on the real pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EARLIER_PAGE, LATER_PAGE, QUOTES_JSON
from tests.synthetic_page import write_synthetic_page
from ui.cli import build_parser


def run(args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EXPERT_CHAT_")}
    # The fake model: `build` also writes the course FAQ, one model call per question (tests/test_faq.py
    # covers it with the real model).
    environment.update(
        {
            "EXPERT_CHAT_HOME": str(home),
            "EXPERT_CHAT_EMBEDDER": "hash",
            "EXPERT_CHAT_MODEL__KIND": "fake",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )


def test_every_command_has_help() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"build", "quotes", "comments", "model", "retrieve", "ask", "eval", "serve", "feedback"} <= set(
        commands
    )
    for name in commands:
        with pytest.raises(SystemExit) as info:
            parser.parse_args([name, "--help"])
        assert info.value.code == 0


def test_quotes_json_returns_the_annotated_quotes(tmp_path: Path) -> None:
    assert run(["build", "--quiet"], tmp_path).returncode == 0
    result = run(["quotes", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    quotes = json.loads(result.stdout)
    annotations = json.loads(QUOTES_JSON.read_text(encoding="utf-8"))
    assert len(quotes) == len(annotations) == 19
    pages = {p.name: p.read_text(encoding="utf-8") for p in (LATER_PAGE, EARLIER_PAGE)}
    for quote in quotes:
        assert set(quote) >= {"speaker", "source_title", "year", "text", "document", "char_start", "char_end"}
        assert pages[quote["document"]][quote["char_start"] : quote["char_end"]] == quote["text"]
    for ann in annotations:
        match = [q for q in quotes if ann["key"] in q["text"] and q["text"].startswith(ann["starts"])]
        assert len(match) == 1, ann["id"]
        assert ann["speaker"].split(" (")[0] in match[0]["speaker"] or set(ann["speaker"].split()) <= set(
            match[0]["speaker"].replace(",", "").split()
        )
        assert match[0]["year"] == ann["year"]


def test_comments_json_are_deduplicated_with_author_replies_and_spam(tmp_path: Path) -> None:
    result = run(["comments", "--json", "--source", str(LATER_PAGE), "--source", str(EARLIER_PAGE)], tmp_path)
    assert result.returncode == 0, result.stderr
    comments = json.loads(result.stdout)
    keys = [(c["author"], c["date"], c["text"]) for c in comments]
    assert len(keys) == len(set(keys))
    assert len(comments) == 206  # every comment of the earlier snapshot is also in the later one
    assert {c["document"] for c in comments} == {LATER_PAGE.name}
    fields = {
        "author",
        "date",
        "text",
        "parent",
        "is_author_reply",
        "spam",
        "document",
        "char_start",
        "char_end",
    }
    assert all(fields <= set(c) for c in comments)
    assert any(c["is_author_reply"] and c["author"] == "Jason Brownlee" for c in comments)
    assert any(c["spam"] for c in comments)
    assert not any(c["spam"] and c["is_author_reply"] for c in comments)


def test_build_prints_a_summary_and_is_idempotent(tmp_path: Path) -> None:
    first = run(["build", "--quiet"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "2 documents, 19 quotes, 206 comments" in first.stdout
    again = run(["build", "--quiet"], tmp_path)
    assert "up to date" in again.stdout and "0 embedded" in again.stdout


def test_build_other_page_and_retrieve_json(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    facts = write_synthetic_page(page)
    assert run(["build", "--quiet", "--source", str(page)], tmp_path / "home").returncode == 0
    # `quotes` lists what the active index holds (the other page), not the data folder.
    listed = json.loads(run(["quotes", "--json"], tmp_path / "home").stdout)
    assert {q["document"] for q in listed} == {page.name}
    assert [q["speaker"] for q in listed] == [q["speaker"] for q in facts["quotes"]]
    # `--source` parses a page without indexing it: the index still holds the other page.
    parsed = json.loads(run(["quotes", "--json", "--source", str(LATER_PAGE)], tmp_path / "home").stdout)
    assert {q["document"] for q in parsed} == {LATER_PAGE.name}
    listed_again = json.loads(run(["quotes", "--json"], tmp_path / "home").stdout)
    assert {q["document"] for q in listed_again} == {page.name}
    speaker = facts["quotes"][0]["speaker"]
    result = run(["retrieve", f"What did {speaker} say?", "--json"], tmp_path / "home")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"question", "covered", "retrieved", "timings_ms"} <= set(data)
    assert any(p["speaker"] == speaker for p in data["retrieved"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "--source", "/nonexistent/page.txt"], "not found"),
        (["quotes", "--source", "/dev/null"], "empty"),
        (["retrieve", "anything"], "expert-chat build"),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(args, tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_setting_is_reported_clearly(tmp_path: Path) -> None:
    result = run(["quotes"], tmp_path, EXPERT_CHAT_MODEL__N_THREADS="many")
    assert result.returncode == 2
    assert "model.n_threads" in result.stderr and "Traceback" not in result.stderr


def test_ask_prints_only_the_checked_answer_on_stdout(tmp_path: Path) -> None:
    assert run(["build", "--quiet"], tmp_path).returncode == 0
    result = run(
        ["ask", "What does deep mean in deep neural network?"], tmp_path, EXPERT_CHAT_MODEL__KIND="fake"
    )
    assert result.returncode == 0, result.stderr
    assert "Sources: [1]" in result.stderr
    # The fake model's draft ("OK") supports nothing: the checked answer quotes the sources instead.
    assert "draft: OK" in result.stderr
    assert "OK" not in result.stdout
    assert "“" in result.stdout and "[1]" in result.stdout


def test_no_debug_lines_at_the_default_log_level(tmp_path: Path) -> None:
    build = run(["build", "--quiet"], tmp_path)
    retrieve = run(["retrieve", "Is SVM still useful?"], tmp_path)
    assert build.returncode == retrieve.returncode == 0
    assert "DEBUG" not in build.stderr + retrieve.stderr
