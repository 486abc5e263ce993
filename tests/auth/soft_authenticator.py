"""A software passkey authenticator for server tests: an ES256 key made with `cryptography`,
"none" attestation, and the counter an authenticator keeps. It answers the server's options
with the JSON a browser would post (binary values in base64url)."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from base64 import urlsafe_b64decode, urlsafe_b64encode

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from tests.auth.conftest import JSON

USER_PRESENT, USER_VERIFIED, ATTESTED = 0x01, 0x04, 0x40


def b64(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One passkey on one device: its key, its credential id and its counter."""

    def __init__(self, rp_id: str, origin: str, *, verifies_user: bool = True) -> None:
        self.rp_id, self.origin = rp_id, origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.user_handle = b""
        self.sign_count = 0
        self.verifies_user = verifies_user

    def _flags(self, extra: int = 0) -> bytes:
        return bytes([USER_PRESENT | (USER_VERIFIED if self.verifies_user else 0) | extra])

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        ).encode()

    def create(self, options: dict) -> dict:
        """Answer registration options: a new credential, as navigator.credentials.create()."""
        self.user_handle = unb64(options["user"]["id"])
        numbers = self.key.public_key().public_numbers()
        cose_key = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32), -3: numbers.y.to_bytes(32)}
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + self._flags(ATTESTED)
            + struct.pack(">I", self.sign_count)
            + bytes(16)  # AAGUID: none
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + cbor2.dumps(cose_key)
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(self._client_data("webauthn.create", options["challenge"])),
                "attestationObject": b64(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(self, options: dict, *, count: int | None = None) -> dict:
        """Answer authentication options, as navigator.credentials.get(); the counter goes up
        by one, or is `count` (a clone would report an old one)."""
        self.sign_count = self.sign_count + 1 if count is None else count
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + self._flags()
            + struct.pack(">I", self.sign_count)
        )
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": b64(self.user_handle),
            },
            "clientExtensionResults": {},
        }


def add_passkey(client, authenticator: SoftAuthenticator, name: str = "Work laptop"):
    """Add a passkey through the endpoints, as passkeys.js does, for the signed-in user."""
    options = client.post("/account/passkeys/register/options", headers=JSON).get_json()
    credential = authenticator.create(options)
    return client.post(
        "/account/passkeys/register", json={"name": name, "credential": credential}, headers=JSON
    )


def sign_in_options(client, *, after_password: bool = False) -> dict:
    """The options the login page (or the page after the password) asks for."""
    response = client.post(
        "/account/passkeys/login/options", json={"after_password": after_password}, headers=JSON
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def post_assertion(client, credential: dict):
    """Send an authenticator's answer to the sign-in endpoint."""
    return client.post("/account/passkeys/login", json={"credential": credential}, headers=JSON)


def sign_in_with(client, authenticator: SoftAuthenticator, *, after_password: bool = False):
    """Sign in with `authenticator`'s passkey: options, then its answer."""
    options = sign_in_options(client, after_password=after_password)
    return post_assertion(client, authenticator.get(options))


def stored_passkey(user_id: int, name: str = "Spare key") -> None:
    """A passkey row for `user_id` whose private key is thrown away (for list sizes only)."""
    from fund.extensions import db
    from fund.models import Passkey

    key = SoftAuthenticator("localhost", "http://localhost")
    numbers = key.key.public_key().public_numbers()
    cose_key = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32), -3: numbers.y.to_bytes(32)}
    db.session.add(
        Passkey(
            user_id=user_id,
            credential_id=key.credential_id,
            public_key=cbor2.dumps(cose_key),
            sign_count=0,
            transports="usb",
            name=name,
        )
    )
