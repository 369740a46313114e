"""Stopping the HTTP bot: a container stop sends SIGTERM, a test teardown calls `stop`; either frees the port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading

from bot.serve import HttpServer
from tests.reliability.conditions import wait_until
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.slack.signed_requests import SlackSender

START_TIMEOUT_SECONDS = 120  # loading the model in a fresh process is slow on a busy CI machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def test_a_server_stopped_twice_finishes_and_frees_its_port(settings, engine):
    server = HttpServer(settings, engine, "127.0.0.1", 0)
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    assert SlackSender(f"http://127.0.0.1:{server.port}", SIGNING_SECRET).request("GET", "/healthz").status == 200

    server.stop()
    server.stop()
    serving.join(timeout=10)

    assert not serving.is_alive()
    server.stop()  # after the loop has closed everything: still harmless
    assert _refuses_connections(server.port)


def test_sigterm_stops_a_serving_bot_cleanly(fake_slack, shipped_index, tmp_path):
    port = _free_port()
    environment = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.url,
        "POLICYBOT_DB": str(tmp_path / "feedback.sqlite3"),
    }
    command = [sys.executable, "-c", "from bot.cli import main; main()", "serve", "--http", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--index", str(shipped_index)]
    process = subprocess.Popen(command, env=environment, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        sender = SlackSender(f"http://127.0.0.1:{port}", SIGNING_SECRET)
        started = wait_until(lambda: process.poll() is not None or _answers_health(sender), START_TIMEOUT_SECONDS, 0.2)
        assert process.poll() is None, f"the bot exited before it was serving: {process.stderr.read()}"
        assert started, "the bot did not start serving"

        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 0, errors
    assert "Traceback" not in errors
    assert _refuses_connections(port)


def _answers_health(sender: SlackSender) -> bool:
    try:
        return sender.request("GET", "/healthz").status == 200
    except OSError:
        return False
