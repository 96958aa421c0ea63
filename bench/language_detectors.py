"""Packaged language detectors on short student questions (eval/language_probe.jsonl): accuracy, ms per
call, load time and resident memory, each candidate in a fresh process.

    python bench/language_detectors.py            # every candidate that is installed
    python bench/language_detectors.py lingua-set # one

The candidates other than lingua are not project dependencies: install them beside it to compare
(`pip install langid==1.1.6 py3langid==0.4.0 langdetect==1.0.9`). All four ship their model in the
package; none downloads anything.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROBE = Path(__file__).resolve().parent.parent / "eval" / "language_probe.jsonl"
# The languages a restricted detector chooses from (ISO 639-1), as in assistant/understand/language.py.
SET = [
    "en",
    "es",
    "fr",
    "de",
    "pt",
    "it",
    "nl",
    "pl",
    "tr",
    "id",
    "ms",
    "vi",
    "ru",
    "uk",
    "ar",
    "fa",
    "hi",
    "bn",
    "ur",
    "zh",
    "ja",
    "ko",
    "sv",
    "da",
    "cs",
    "ro",
    "el",
    "he",
    "th",
    "tl",
    "sw",
]
Detect = Callable[[str], str]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _lingua(restricted: bool, low: bool, preload: bool = True) -> Detect:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    if restricted:
        languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in SET]
        builder = LanguageDetectorBuilder.from_languages(*languages)
    else:
        builder = LanguageDetectorBuilder.from_all_languages()
    if low:
        builder = builder.with_low_accuracy_mode()
    detector = (builder.with_preloaded_language_models() if preload else builder).build()

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else "?"

    return detect


def _langid(module: str, restricted: bool) -> Detect:
    if module == "py3langid":
        from py3langid import langid as py3

        identifier = py3.LanguageIdentifier.from_model_file(py3.MODEL_FILE, norm_probs=True)
    else:
        from langid import langid

        identifier = langid.LanguageIdentifier.from_modelstring(langid.model, norm_probs=True)
    if restricted:
        identifier.set_languages([c for c in SET if c in identifier.nb_classes])
    return lambda text: str(identifier.classify(text)[0])


def _langdetect() -> Detect:
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    return lambda text: str(detect(text)).split("-")[0]


CANDIDATES: dict[str, Callable[[], Detect]] = {
    "lingua-all": lambda: _lingua(False, False),
    "lingua-all-low": lambda: _lingua(False, True),
    "lingua-set": lambda: _lingua(True, False),
    "lingua-set-low": lambda: _lingua(True, True),
    "lingua-set-lazy": lambda: _lingua(True, False, preload=False),
    "langid": lambda: _langid("langid", False),
    "langid-set": lambda: _langid("langid", True),
    "py3langid": lambda: _langid("py3langid", False),
    "py3langid-set": lambda: _langid("py3langid", True),
    "langdetect": _langdetect,
}


def measure(name: str) -> dict[str, object]:
    rows = [json.loads(line) for line in PROBE.read_text().splitlines() if line.strip()]
    before = _rss_mb()
    started = time.perf_counter()
    detect = CANDIDATES[name]()
    load_s = time.perf_counter() - started
    detect("warm up")
    started = time.perf_counter()
    found = [detect(r["q"]) for r in rows]
    ms = (time.perf_counter() - started) * 1000 / len(rows)
    scored = [(r, f) for r, f in zip(rows, found, strict=True) if r["lang"] != "hinglish"]
    english = [(r, f) for r, f in scored if r["lang"] == "en"]
    return {
        "candidate": name,
        "accuracy": round(sum(r["lang"] == f for r, f in scored) / len(scored), 3),
        "english_kept": f"{sum(f == 'en' for _, f in english)}/{len(english)}",
        "foreign_found": f"{sum(f != 'en' for r, f in scored if r['lang'] != 'en')}"
        f"/{len(scored) - len(english)}",
        "ms_per_call": round(ms, 2),
        "load_s": round(load_s, 2),
        "rss_mb": round(_rss_mb() - before),
        "hinglish": [f for r, f in zip(rows, found, strict=True) if r["lang"] == "hinglish"],
        "wrong": [f"{r['lang']}->{f}: {r['q']}" for r, f in scored if r["lang"] != f],
    }


def main() -> None:
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1]), ensure_ascii=False))
        return
    for name in CANDIDATES:
        done = subprocess.run([sys.executable, __file__, name], capture_output=True, text=True)
        print(done.stdout.strip() or f'{{"candidate": "{name}", "error": "not installed"}}', flush=True)


if __name__ == "__main__":
    main()
