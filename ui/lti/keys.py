"""Keys: the tool's own RSA key (made once under home; its public half is served at /lti/jwks) and the
platforms' key sets, fetched from their key-set URLs and cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from assistant.errors import UserError

KEYSET_TTL_S = 600.0
MAX_KEYSET_BYTES = 100_000


class ToolKey:
    """The tool's signing key (RS256), created at `<home>/lti/tool_key.pem` on first use, mode 0600."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, rsa.RSAPrivateKey):
            raise UserError(f"{path} is not an RSA private key")
        self._key = loaded
        public = json.loads(RSAAlgorithm.to_jwk(loaded.public_key()))
        self.kid = jwt.utils.base64url_encode(hashlib.sha256(public["n"].encode()).digest()[:12]).decode()
        self.public_jwk: dict[str, Any] = {**public, "kid": self.kid, "alg": "RS256", "use": "sig"}

    @classmethod
    def under(cls, home: Path) -> ToolKey:
        return cls(home / "lti" / "tool_key.pem")

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk]}

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})


class KeySetError(Exception):
    """The platform's key set could not be had or holds no usable key; the message is for the user."""


class PlatformKeys:
    """The platforms' public keys by key-set URL and kid; a kid not seen yet triggers one refetch."""

    def __init__(self, client: httpx.Client | None = None) -> None:
        self._client = client or httpx.Client(timeout=10.0, follow_redirects=False)
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def _fetch(self, url: str) -> dict[str, Any]:
        try:
            response = self._client.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            if len(response.content) > MAX_KEYSET_BYTES:
                raise KeySetError("the platform's key set is too large")
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise KeySetError(f"the platform's key set could not be fetched from {url}") from exc
        keys = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(keys, list):
            raise KeySetError("the platform's key set is not a JWKS (no 'keys' list)")
        return {str(k.get("kid")): k for k in keys if isinstance(k, dict) and k.get("kty") == "RSA"}

    def key(self, url: str, kid: str | None) -> Any:
        """The public key for `kid` (or the only key when the token names none)."""
        with self._lock:
            cached = self._cache.get(url)
            fresh = cached is not None and time.monotonic() - cached[0] < KEYSET_TTL_S
            keys = cached[1] if cached else {}
            if not fresh or (kid is not None and str(kid) not in keys):
                keys = self._fetch(url)
                self._cache[url] = (time.monotonic(), keys)
        if kid is None and len(keys) == 1:
            jwk = next(iter(keys.values()))
        elif str(kid) in keys:
            jwk = keys[str(kid)]
        else:
            raise KeySetError(f"the platform's key set has no key {kid!r}")
        return RSAAlgorithm.from_jwk(json.dumps(jwk))
