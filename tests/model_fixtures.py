"""Session fixtures for tests that need the real bundled model (marked ``model``).

The 1.1 GB joined file is cached in a home folder that survives between runs:
``$EXPERT_CHAT_TEST_HOME`` if set, else ``<system temp>/expert-chat-test-home``. The model is
loaded once per test session. conftest.py imports ``model_home`` and ``real_llm`` from here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from assistant.models.factory import load_llm
from assistant.models.llama_cpp import LlamaCppLLM
from assistant.settings import ModelSettings


def model_test_home() -> Path:
    explicit = os.environ.get("EXPERT_CHAT_TEST_HOME")
    return Path(explicit) if explicit else Path(tempfile.gettempdir()) / "expert-chat-test-home"


@pytest.fixture(scope="session")
def model_home() -> Path:
    """A home folder whose ``models/`` holds the joined, verified bundled model (reused across runs)."""
    home = model_test_home()
    (home / "models").mkdir(parents=True, exist_ok=True)
    return home


@pytest.fixture(scope="session")
def real_llm(model_home: Path) -> LlamaCppLLM:
    """The bundled Qwen2.5-Coder-1.5B with default settings, joined and verified on first use."""
    llm = load_llm(ModelSettings(), model_home / "models", progress=False)
    assert isinstance(llm, LlamaCppLLM)
    return llm
