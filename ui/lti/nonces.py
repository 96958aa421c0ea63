"""One-time nonces: the nonce of an accepted launch is remembered, so the same id_token is refused after.

Kept in SQLite under home, so a restart or a second server process does not forget them; rows older
than a day (far past any id_token's lifetime) are dropped.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

KEEP_S = 86_400


class NonceStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        with self._connect() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, used_at REAL NOT NULL)")

    @classmethod
    def under(cls, home: Path) -> NonceStore:
        return cls(home / "lti" / "nonces.sqlite")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=15.0)

    def use(self, nonce: str) -> bool:
        """True the first time a nonce is seen; False for a replay."""
        now = time.time()
        with self._lock, self._connect() as conn:
            conn.execute("DELETE FROM nonces WHERE used_at < ?", (now - KEEP_S,))
            try:
                conn.execute("INSERT INTO nonces (nonce, used_at) VALUES (?, ?)", (nonce[:200], now))
            except sqlite3.IntegrityError:
                return False
        return True
