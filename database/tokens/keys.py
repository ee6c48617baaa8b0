"""Token keys: drawn with `secrets`, stored as a keyed hash (to match) and encrypted (to show).

Both keys are derived from SECRET_KEY with Django's `salted_hmac`, so a dump of the database
alone neither reveals a key nor lets one be checked offline. SECRET_KEY_FALLBACKS keep old
keys working (and readable) while SECRET_KEY is being rotated.
"""

import base64
import hmac
import secrets
import string
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

KEY_LENGTH = 32
KEY_ALPHABET = string.ascii_letters + string.digits
LOOKUP_SALT = "database.tokens.key-lookup"
ENCRYPTION_SALT = "database.tokens.key-encryption"


def new_key() -> str:
    """A fresh key: 32 random letters and digits (about 190 bits)."""
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))


def is_well_formed(key: str) -> bool:
    return len(key) == KEY_LENGTH and all(char in KEY_ALPHABET for char in key)


def _server_secrets() -> tuple[str, ...]:
    """SECRET_KEY first, then the fallbacks of a rotation in progress."""
    return (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)


def key_hash(key: str, *, secret: str | None = None) -> str:
    """The stored lookup hash of a key, under SECRET_KEY unless another secret is given."""
    return salted_hmac(LOOKUP_SALT, key, secret=secret, algorithm="sha256").hexdigest()


def key_hashes(key: str) -> list[str]:
    """The key's lookup hash under every server secret still accepted."""
    return [key_hash(key, secret=secret) for secret in _server_secrets()]


def hash_matches(key: str, stored_hash: str) -> bool:
    """Whether the key hashes to the stored hash, compared in constant time."""
    return any(hmac.compare_digest(candidate, stored_hash) for candidate in key_hashes(key))


@lru_cache(maxsize=8)
def _fernet(server_secrets: tuple[str, ...]) -> MultiFernet:
    keys = []
    for secret in server_secrets:
        digest = salted_hmac(ENCRYPTION_SALT, "fernet", secret=secret, algorithm="sha256")
        keys.append(Fernet(base64.urlsafe_b64encode(digest.digest())))
    return MultiFernet(keys)


def encrypt_key(key: str) -> str:
    return _fernet(_server_secrets()).encrypt(key.encode()).decode()


def decrypt_key(encrypted: str) -> str | None:
    """The key in clear; None when no accepted server secret can decrypt it any more."""
    try:
        return _fernet(_server_secrets()).decrypt(encrypted.encode()).decode()
    except InvalidToken:
        return None
