"""What adapts the prompts and checks to one model's habits, in one record selected with the model.

The bundled model (Qwen2.5-Coder-1.5B) has measured quirks the product works around; a model served
behind an OpenAI-compatible API gets the plain profile. A new model means a new profile here, not a
search through the prompt, language and pipeline modules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.settings import ModelKind, ModelSettings


@dataclass(frozen=True)
class ModelProfile:
    """One model's adaptations (each one measured where it is used)."""

    name: str
    # The prompt dictates the answer's first words ("In the discussion, X replied to a reader that"):
    # left free, the small model often names no source or names the wrong one (assistant/writing/prompt.py).
    forced_opening: bool = False
    # Short pleasantries opening a reply ("Glad it helped, Maisie.") are left out of the prompt: the small
    # model quotes them as if they answered (assistant/writing/prompt.py).
    hide_opening_pleasantries: bool = False
    # A translation that lost a person's name is asked again with the names as a rule
    # (assistant/understand/language.py).
    retry_lost_names: bool = False
    # Languages the model cannot write well: answers quote the English sources, introduced in the
    # student's language (assistant/writing/phrasebook.py; measured in README.md).
    quote_only_languages: tuple[str, ...] = ()


SMALL_LOCAL = ModelProfile(
    name="small local model (the bundled Qwen2.5-Coder-1.5B)",
    forced_opening=True,
    hide_opening_pleasantries=True,
    retry_lost_names=True,
    # Read by hand on held-out answers: garbled, mixed with English or with wrong numbers in these (Spanish,
    # French, German, Portuguese, Italian and Chinese read well; eval/STUDENTS_V7.md, eval/STUDENTS_V8.md).
    quote_only_languages=(
        "Hindi",
        "Hinglish",
        "Dutch",
        "Indonesian",
        "Japanese",
        "Korean",
        "Polish",
        "Russian",
        "Swedish",
        "Turkish",
    ),
)
PLAIN = ModelProfile(name="plain (a model served behind an OpenAI-compatible API)")


def profile_for(settings: ModelSettings) -> ModelProfile:
    """The bundled model, a local GGUF and the test fake get the small-model profile; a server the plain
    one. `model.quote_only_languages`, when set, replaces the profile's list."""
    profile = PLAIN if settings.kind == ModelKind.OPENAI else SMALL_LOCAL
    if settings.quote_only_languages is not None:
        profile = replace(profile, quote_only_languages=tuple(settings.quote_only_languages))
    return profile
