"""A software authenticator for the passkey tests: an ES256 key pair answering WebAuthn
ceremonies as a browser and authenticator would (attestation "none"; W3C WebAuthn Level 2,
§6.1 authenticator data, §6.5.4 the "none" format, §6.5.1.1 the COSE_Key of an EC2 key)."""

from __future__ import annotations

import hashlib
import json
import secrets

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

ORIGIN = "http://testserver"
RP_ID = "testserver"


class SoftAuthenticator:
    def __init__(self, rp_id: str = RP_ID, origin: str = ORIGIN) -> None:
        self.rp_id, self.origin = rp_id, origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.sign_count = 0

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _client_data(self, kind: str, options: str | dict) -> bytes:
        challenge = (json.loads(options) if isinstance(options, str) else options)["challenge"]
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin,
                           "crossOrigin": False}).encode()

    def create(self, options: str | dict) -> dict:
        """The answer of ``navigator.credentials.create`` to ``options``."""
        self.sign_count += 1
        auth_data = (hashlib.sha256(self.rp_id.encode()).digest() + bytes([0x45])  # UP, UV, AT
                     + self.sign_count.to_bytes(4, "big") + bytes(16)
                     + len(self.credential_id).to_bytes(2, "big") + self.credential_id + self._cose_key())
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        encoded = bytes_to_base64url(self.credential_id)
        return {"id": encoded, "rawId": encoded, "type": "public-key",
                "response": {"clientDataJSON": bytes_to_base64url(self._client_data("webauthn.create", options)),
                             "attestationObject": bytes_to_base64url(attestation), "transports": ["internal"]}}

    def get(self, options: str | dict, count_step: int = 1) -> dict:
        """The answer of ``navigator.credentials.get`` to ``options`` (the count grows by ``count_step``)."""
        self.sign_count += count_step
        auth_data = hashlib.sha256(self.rp_id.encode()).digest() + bytes([0x05]) + self.sign_count.to_bytes(4, "big")
        client_data = self._client_data("webauthn.get", options)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        encoded = bytes_to_base64url(self.credential_id)
        return {"id": encoded, "rawId": encoded, "type": "public-key",
                "response": {"clientDataJSON": bytes_to_base64url(client_data),
                             "authenticatorData": bytes_to_base64url(auth_data),
                             "signature": bytes_to_base64url(signature), "userHandle": None}}
