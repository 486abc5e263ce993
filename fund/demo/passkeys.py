"""A demo passkey, so the security page shows the list of passkeys and their removal.

Its private key is thrown away at once: it cannot sign anyone in. Passkeys that work are added
from a browser on the security page (WebAuthn needs the real device)."""

from __future__ import annotations

import os

import cbor2
from cryptography.hazmat.primitives.asymmetric import ec

from fund.extensions import db
from fund.models import Passkey, User
from fund.models.base import utcnow


def seed_passkey(user: User) -> Passkey:
    """Give `user` one named passkey whose key nobody holds."""
    numbers = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
    cose_key = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32), -3: numbers.y.to_bytes(32)}
    passkey = Passkey(
        user_id=user.id,
        credential_id=os.urandom(16),
        public_key=cbor2.dumps(cose_key),
        sign_count=0,
        transports="usb",
        name="Demo security key",
        created_at=utcnow(),
    )
    db.session.add(passkey)
    db.session.flush()
    return passkey
