"""Values encrypted at rest (bank details): Fernet keys from DATA_ENCRYPTION_KEYS or
DATA_ENCRYPTION_KEY, and a column type that encrypts on the way in and decrypts on the way out.

Several keys (comma-separated, newest first) make a MultiFernet: new values are encrypted with
the first key, and values written under any listed key still decrypt, so a key can be rotated
without downtime (`flask fund rotate-encryption-key`, README "Rotating the encryption key").
"""

from __future__ import annotations

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)


class EncryptionKeyError(RuntimeError):
    """The configured keys cannot be used, or a stored value was written under another key."""


def derived_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY, for development and tests only: production sets
    DATA_ENCRYPTION_KEY (config.ProductionConfig refuses to start without it)."""
    digest = hashlib.sha256(b"fund-data-encryption:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def configured_keys(config) -> list[str]:
    """The keys in use, newest first: DATA_ENCRYPTION_KEYS, else DATA_ENCRYPTION_KEY, else (not in
    production, which refuses to start without one) a key derived from SECRET_KEY."""
    raw = config.get("DATA_ENCRYPTION_KEYS") or config.get("DATA_ENCRYPTION_KEY") or ""
    keys = [key.strip() for key in str(raw).split(",") if key.strip()]
    return keys or [derived_key(config["SECRET_KEY"])]


def config_has_key(config) -> bool:
    """Whether a key is configured (rather than derived from SECRET_KEY)."""
    return bool(config.get("DATA_ENCRYPTION_KEYS") or config.get("DATA_ENCRYPTION_KEY"))


def cipher() -> MultiFernet:
    """The app's MultiFernet, built once per set of keys."""
    keys = tuple(configured_keys(current_app.config))
    cache = current_app.extensions.setdefault("fund_encryption", {})
    if keys not in cache:
        if not (config_has_key(current_app.config) or current_app.config.get("TESTING")):
            log.warning("DATA_ENCRYPTION_KEY is not set: using a key derived from SECRET_KEY")
        try:
            cache[keys] = MultiFernet([Fernet(key.encode()) for key in keys])
        except (ValueError, TypeError) as error:
            raise EncryptionKeyError(
                "DATA_ENCRYPTION_KEY(S) must be Fernet keys: 32 url-safe base64-encoded bytes "
                '(python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())")'
            ) from error
    return cache[keys]


def encrypt(plaintext: str) -> str:
    """`plaintext` encrypted with the first key."""
    return cipher().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """A stored value decrypted with whichever configured key wrote it."""
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise EncryptionKeyError(
            "A stored value does not decrypt with any configured key: keep the old key in "
            "DATA_ENCRYPTION_KEYS until `flask fund rotate-encryption-key` has run"
        ) from error


def rotate(token: str) -> str:
    """A stored value re-encrypted with the first key (it may have been written under any)."""
    try:
        return cipher().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise EncryptionKeyError("A stored value decrypts with no configured key") from error


class EncryptedText(TypeDecorator):
    """Text that the database only ever sees encrypted; Python sees the plain value."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)
