"""A Slack Web API on 127.0.0.1 that answers like Slack and records every call, including response_url posts."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar
from urllib.parse import parse_qsl

TEAM_ID = "T0COUNCIL"
BOT_USER_ID = "U0POLICYBOT"
BOT_ID = "B0POLICYBOT"
RESPONSE_URL = "response_url"  # the method name under which response_url posts are recorded

T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """One request Slack received: the API method (or RESPONSE_URL), its decoded parameters and when."""

    method: str
    params: dict
    path: str
    status: int
    ok: bool
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Fault:
    status: int
    body: dict
    headers: dict


class FakeSlack:
    """Answers auth.test, chat.postMessage, chat.postEphemeral, views.publish, apps.connections.open and response_urls."""

    def __init__(self, bot_token: str, app_token: str):
        self.bot_token, self.app_token = bot_token, app_token
        self.socket_mode_url: str | None = None
        # Called with each Call as it is recorded; the load benchmark uses it to time answers without scanning.
        self.on_call: Callable[[Call], None] | None = None
        self._calls: list[Call] = []
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._changed = threading.Condition()
        self._timestamps = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack", daemon=True
        )

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/response/{name}"

    def fail_next(self, method: str, status: int, body: dict | None = None, headers: dict | None = None) -> None:
        """Make the next call to `method` fail the way Slack would (e.g. 429 with Retry-After, or 500)."""
        self._faults[method].append(Fault(status, body or {"ok": False, "error": "fake_failure"}, headers or {}))

    def calls(self, method: str | None = None) -> list[Call]:
        with self._changed:
            return [call for call in self._calls if method is None or call.method == method]

    def wait_for(self, condition: Callable[[FakeSlack], T], timeout: float = 10) -> T:
        """Block until `condition(self)` is truthy (re-checked on every call Slack receives), and return it."""
        with self._changed:
            result = self._changed.wait_for(lambda: condition(self), timeout)
        assert result, f"Slack never saw what the test waited for; calls: {[c.method for c in self.calls()]}"
        return result

    def posts(self, **where: str) -> list[dict]:
        """Successful chat.postMessage parameters, optionally only those matching `where` (e.g. channel=…)."""
        return [
            call.params
            for call in self.calls("chat.postMessage")
            if call.ok and all(call.params.get(key) == value for key, value in where.items())
        ]

    def responses(self, name: str) -> list[dict]:
        return [call.params for call in self.calls(RESPONSE_URL) if call.path.endswith(f"/{name}")]

    def record(self, method: str, params: dict, token: str | None, path: str) -> tuple[int, dict, dict]:
        with self._changed:
            fault = self._faults[method].popleft() if self._faults[method] else None
            if fault:
                status, body, headers = fault.status, fault.body, fault.headers
            else:
                status, body, headers = 200, self._answer(method, params, token), {}
            call = Call(method, params, path, status, status == 200 and body.get("ok", False))
            self._calls.append(call)
            self._changed.notify_all()
        if self.on_call:
            self.on_call(call)
        return status, body, headers

    def _answer(self, method: str, params: dict, token: str | None) -> dict:
        if method == RESPONSE_URL:
            return {"ok": True}
        if token != (self.app_token if method == "apps.connections.open" else self.bot_token):
            return {"ok": False, "error": "invalid_auth"}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://council.slack.com/",
                "team": "Test Council",
                "user": "policybot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            if not params.get("channel"):
                return {"ok": False, "error": "channel_not_found"}
            if not (params.get("text") or params.get("blocks")):
                return {"ok": False, "error": "no_text"}
            ts = f"{int(time.time())}.{next(self._timestamps):06d}"
            message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts, "text": params.get("text")}
            return {"ok": True, "channel": params["channel"], "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{int(time.time())}.{next(self._timestamps):06d}"}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V0HOME", **params.get("view", {})}}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_mode_url}
        return {"ok": False, "error": "unknown_method"}


def _handler_for(slack: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path.startswith("/api/"):
                method = self.path[len("/api/") :].split("?")[0]
            elif self.path.startswith("/response/"):
                method = RESPONSE_URL
            else:
                self.send_error(404)
                return
            params, token = self._params()
            status, body, headers = slack.record(method, params, token, self.path)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def _params(self) -> tuple[dict, str | None]:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            if self.headers.get("Content-Type", "").startswith("application/json"):
                params = json.loads(raw or "{}")
            else:
                params = dict(parse_qsl(raw))
            # Form-encoded calls carry blocks and views as JSON strings; decode them as Slack does.
            for key in ("blocks", "view"):
                if isinstance(params.get(key), str):
                    params[key] = json.loads(params[key])
            token = self.headers.get("Authorization", "").removeprefix("Bearer ") or params.pop("token", None)
            return params, token

        def log_message(self, format: str, *args) -> None:
            """Quiet: the test asserts on recorded calls, not on an access log."""

    return Handler
