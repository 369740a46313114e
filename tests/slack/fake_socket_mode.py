"""Slack's side of Socket Mode on ws://127.0.0.1: says hello, pushes envelopes, records the bot's acks."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from typing import TypeVar

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

T = TypeVar("T")


class FakeSocketMode:
    """A websocket server the bot reaches through the URL `apps.connections.open` hands out."""

    def __init__(self) -> None:
        self.acks: list[dict] = []
        self.connections: list[ServerConnection] = []
        self._changed = threading.Condition()
        # The SDK's client never answers a close frame, so don't wait long for one.
        self._server = serve(self._session, "127.0.0.1", 0, close_timeout=0.5)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-socket-mode", daemon=True)

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)

    @property
    def url(self) -> str:
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket=fake-ticket&app_id=A0POLICYBOT"

    def _session(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0POLICYBOT"}}))
        with self._changed:
            self.connections.append(connection)
            self._changed.notify_all()
        try:
            for message in connection:
                with self._changed:
                    self.acks.append(json.loads(message))
                    self._changed.notify_all()
        except ConnectionClosed:
            pass  # the SDK's client closes without a close frame; for Slack that is an ordinary goodbye

    def send_event(self, payload: dict, retry_attempt: int = 0) -> str:
        """Push an `events_api` envelope on the newest connection; returns its envelope_id."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": "events_api",
            "accepts_response_payload": False,
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
            "payload": payload,
        }
        self.wait_for(lambda server: server.connections)[-1].send(json.dumps(envelope))
        return envelope_id

    def drop(self) -> None:
        """Close the newest connection from Slack's side, as a Slack server restart would."""
        self.connections[-1].close()

    def wait_for(self, condition: Callable[[FakeSocketMode], T], timeout: float = 10) -> T:
        with self._changed:
            result = self._changed.wait_for(lambda: condition(self), timeout)
        assert result, "the bot never did what the test waited for on the websocket"
        return result
