"""One settings object: defaults, then the TOML file, then EXPERT_CHAT_* variables, then arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import UserError
from assistant.settings import load_settings


def test_defaults_work_offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = load_settings()
    assert settings.home == tmp_path / ".expert-chat"
    assert settings.chroma_url is None and settings.model.kind == "bundled"
    assert settings.index_dir == settings.home / "index"
    assert settings.data_dir.is_dir()


def test_file_then_environment_then_arguments(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text(
        'site_authors = ["Adrian Tam"]\n[model]\nn_threads = 3\nkind = "gguf"\n[ui]\ntitle = "From file"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("EXPERT_CHAT_HOME", str(home))
    monkeypatch.setenv("EXPERT_CHAT_MODEL__N_THREADS", "4")
    settings = load_settings()
    assert settings.home == home
    assert settings.site_authors == ["Adrian Tam"]
    assert settings.model.n_threads == 4  # environment beats the file
    assert settings.model.kind == "gguf" and settings.ui.title == "From file"
    assert load_settings(embedder="hash").embedder == "hash"  # arguments beat both


def test_explicit_settings_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "custom.toml"
    path.write_text('chroma_url = "http://localhost:8000"\n', encoding="utf-8")
    monkeypatch.setenv("EXPERT_CHAT_SETTINGS_FILE", str(path))
    assert load_settings().chroma_url == "http://localhost:8000"


def test_invalid_setting_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPERT_CHAT_MODEL__KIND", "gpt-9")
    with pytest.raises(UserError, match=r"model\.kind") as info:
        load_settings()
    assert "\n" not in str(info.value)


def test_home_argument_also_locates_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('[ui]\ntitle = "Course 101"\n', encoding="utf-8")
    assert load_settings(home=tmp_path).ui.title == "Course 101"
