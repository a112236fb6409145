"""Tokens, facilitator PINs and escaping of players' names.

- A player's token is 32 random bytes (``secrets``); only its SHA-256 is
  stored, and a seat is looked up by that hash.
- A facilitator PIN is 6 random digits unless chosen (4 to 12 digits); it is
  stored as a salted PBKDF2-SHA256 hash and compared in constant time.
- Names are stored as typed; :func:`escape` makes one safe to put in HTML, and
  every text the game writes with a name in it uses it.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import secrets

#: Session codes: 6 characters without 0/O, 1/I/L, to read aloud and type on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
PIN_ITERATIONS = 60_000
PIN_ATTEMPTS = 5
PIN_LOCK_SECONDS = 60.0


def new_code() -> str:
    """A random session code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(code: object) -> str:
    """A code as typed (spaces, lower case) in its stored form."""
    return str(code).strip().upper().replace(" ", "") if code is not None else ""


def new_token() -> str:
    """A random player token (URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: object) -> str:
    """The stored form of a token."""
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def new_pin() -> str:
    """A random 6-digit facilitator PIN."""
    return f"{secrets.randbelow(1_000_000):06d}"


def pin_ok(pin: object) -> bool:
    """Whether a chosen PIN has the right shape (4 to 12 digits)."""
    return isinstance(pin, str) and pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12


def hash_pin(pin: str, salt: str | None = None) -> tuple[str, str]:
    """(hash, salt) of a PIN; a new random salt when none is given."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), bytes.fromhex(salt), PIN_ITERATIONS)
    return digest.hex(), salt


def check_pin(pin: object, stored: str, salt: str) -> bool:
    """Whether ``pin`` matches the stored hash (constant-time comparison)."""
    if not isinstance(pin, str) or not pin.isascii() or len(pin) > 64:
        return False
    return hmac.compare_digest(hash_pin(pin, salt)[0], stored)


def escape(text: object) -> str:
    """``text`` made safe to show in HTML: markup in a name is shown, never run."""
    return html.escape(str(text), quote=True)
