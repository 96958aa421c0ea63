"""The LTI platforms this tool trusts, kept in `<home>/lti/platforms.json` (survives restarts).

A platform is an issuer plus the client id it gave this tool, its OIDC and key-set URLs, and its
deployments, each mapped to the course whose index, FAQ and logs it opens (`default` = the default
course). `expert-chat lti add-platform` adds or extends one.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

from assistant.errors import UserError
from assistant.settings import COURSE_ID

DEFAULT_COURSE = "default"


@dataclass(frozen=True)
class Platform:
    issuer: str
    client_id: str
    auth_url: str
    token_url: str
    keyset_url: str
    deployments: dict[str, str] = field(default_factory=dict)  # deployment id -> course id

    def course_of(self, deployment: str) -> str | None:
        """The course a deployment opens (None: the default course); KeyError if unknown."""
        course = self.deployments[deployment]
        return None if course == DEFAULT_COURSE else course


def _check_url(name: str, url: str) -> str:
    parts = urlparse(url)
    local = parts.hostname in ("localhost", "127.0.0.1")
    if not parts.netloc or not (parts.scheme == "https" or (parts.scheme == "http" and local)):
        raise UserError(f"{name} must be an https URL (http only for localhost): {url!r}")
    return url


class PlatformRegistry:
    """The registered platforms; thread-safe; re-read when the file changes (another process added one)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seen: tuple[float, list[Platform]] | None = None

    @classmethod
    def under(cls, home: Path) -> PlatformRegistry:
        return cls(home / "lti" / "platforms.json")

    def all(self) -> list[Platform]:
        with self._lock:
            try:
                mtime = self.path.stat().st_mtime
            except FileNotFoundError:
                return []
            if self._seen is None or self._seen[0] != mtime:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                self._seen = (mtime, [Platform(**p) for p in raw.get("platforms", [])])
            return list(self._seen[1])

    def find(self, issuer: str | None, client_id: str | None = None) -> Platform | None:
        """The platform of an issuer (and client id, when the platform sent one); None if not registered."""
        found = [p for p in self.all() if p.issuer == issuer and client_id in (None, p.client_id)]
        return found[0] if len(found) == 1 else None

    def add(self, platform: Platform) -> Platform:
        """Register a platform, or add its deployments to the one with the same issuer and client id."""
        _check_url("--issuer", platform.issuer)
        for name in ("auth_url", "token_url", "keyset_url"):
            _check_url("--" + name.replace("_", "-"), getattr(platform, name))
        for deployment, course in platform.deployments.items():
            if not deployment.strip():
                raise UserError("--deployment must not be empty")
            if not COURSE_ID.fullmatch(course):
                raise UserError(f"bad course id {course!r}: use letters, digits, '.', '_' or '-'")
        platforms = self.all()
        merged = platform
        for old in platforms:
            if (old.issuer, old.client_id) == (platform.issuer, platform.client_id):
                merged = replace(platform, deployments={**old.deployments, **platform.deployments})
        kept = [p for p in platforms if (p.issuer, p.client_id) != (platform.issuer, platform.client_id)]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        data = {"platforms": [asdict(p) for p in [*kept, merged]]}
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(self.path)
        return merged
