"""Requests to the bot as Slack sends them: signed with the v0 HMAC-SHA256 scheme over the exact body bytes."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

FORM = "application/x-www-form-urlencoded"


def signature_headers(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` keyed by the signing secret."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    seconds: float


class SlackSender:
    """Plays Slack's side of the Events API: posts events, slash commands and button clicks to the bot."""

    def __init__(self, base_url: str, signing_secret: str, path: str = "/slack/events"):
        parts = urlsplit(base_url)
        self.host, self.port, self.path = parts.hostname, parts.port, path
        self.signing_secret = signing_secret

    def event(self, body: dict, *, retry_num: int | None = None, **signing) -> Reply:
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return self.post(json.dumps(body).encode(), "application/json", headers=headers, **signing)

    def command(self, form: dict) -> Reply:
        return self.post(urlencode(form).encode(), FORM)

    def interaction(self, payload: dict) -> Reply:
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(), FORM)

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        headers: dict | None = None,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> Reply:
        """POST `body` signed with `secret` (default: the real one) at `timestamp` (default: now)."""
        signed = signature_headers(secret or self.signing_secret, body, int(time.time()) if timestamp is None else timestamp)
        return self.request("POST", self.path, body, {"Content-Type": content_type, **signed, **(headers or {})})

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Reply:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Reply(response.status, response.read(), time.monotonic() - started)
        finally:
            connection.close()
