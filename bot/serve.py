"""Running the Slack app: Socket Mode (the default, no public URL) or the Events API over HTTP with waitress."""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import waitress
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from waitress import wasyncore

from bot.feedback import FeedbackStore
from bot.settings import ConfigurationError, Settings, env_name
from bot.slack_app import create_app, post_digest

if TYPE_CHECKING:
    from bot.engine import Engine

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Requests are acked at once and answered on Bolt's own worker threads, so waitress needs only
# enough threads to keep acking while a few are mid-request.
HTTP_THREADS = 8
# How often the Socket Mode client checks its websocket: a connection Slack dropped is replaced
# within this time (Bolt's default is 10 s; half that keeps a dropped question's wait short).
SOCKET_MODE_PING_SECONDS = 5
# The longest a stopped HTTP server keeps serving when its wake-up pipe cannot be written to.
STOP_CHECK_SECONDS = 0.5
TOKEN_PREFIXES = {"slack_bot_token": "xoxb-", "slack_app_token": "xapp-"}
SOCKET_MODE_SETTINGS = ("slack_bot_token", "slack_app_token")
HTTP_SETTINGS = ("slack_bot_token", "slack_signing_secret")
# The weekly digest goes out on Mondays at 09:00 server time, when the policy team starts the week;
# old feedback is deleted daily. The housekeeping thread looks at the clock this often.
DIGEST_WEEKDAY, DIGEST_HOUR = 0, 9
CLEANUP_EVERY = timedelta(days=1)
HOUSEKEEPING_CHECK_SECONDS = 300

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def serve_socket_mode(settings: Settings, engine: Engine) -> None:
    """Answer over Socket Mode until interrupted: the bot dials out to Slack, so no public URL is needed."""
    _log_to_stderr()
    store = FeedbackStore.from_settings(settings)  # one store for the answers and the housekeeping
    handler = socket_mode_handler(settings, engine, store)
    Housekeeping(settings, engine, handler.app.client, store).start()
    log.info("Policy Bot connecting to Slack over Socket Mode (%s)", settings.slack_api_url)
    handler.start()


def socket_mode_handler(settings: Settings, engine: Engine, store: FeedbackStore | None = None) -> SocketModeHandler:
    """A Socket Mode handler, not yet connected; `apps.connections.open` goes to SLACK_API_URL like every call."""
    check_settings(settings, http=False)
    app = _create_app_or_explain(settings, engine, store)
    return SocketModeHandler(
        app, app_token=settings.slack_app_token, web_client=app.client, ping_interval=SOCKET_MODE_PING_SECONDS
    )


def serve_http(settings: Settings, engine: Engine) -> None:
    """Answer the Events API on POST /slack/events (and report health on GET /healthz) until stopped."""
    _log_to_stderr()
    store = FeedbackStore.from_settings(settings)  # one store for the answers and the housekeeping
    server = HttpServer(settings, engine, settings.http_host, settings.http_port, store)
    Housekeeping(settings, engine, server.app.client, store).start()
    # A container stop sends SIGTERM: finish cleanly rather than dying mid-response.
    signal.signal(signal.SIGTERM, lambda *_: server.stop())
    log.info("Policy Bot listening on http://%s:%s%s", server.host, server.port, EVENTS_PATH)
    server.run()


class HttpServer:
    """The bot behind waitress, a production WSGI server; `stop` may be called from any thread."""

    def __init__(self, settings: Settings, engine: Engine, host: str, port: int, store: FeedbackStore | None = None):
        check_settings(settings, http=True)
        self.app = _create_app_or_explain(settings, engine, store)
        # Our own socket map, so that stopping closes every connection, not just the listener.
        self._map: dict = {}
        self._server = waitress.create_server(
            wsgi_app(self.app, engine), map=self._map, host=host, port=port, threads=HTTP_THREADS, ident="policybot"
        )
        self._stopping = threading.Event()
        # Re-entrant: SIGTERM's handler calls `stop` on the main thread, possibly while `run` is closing.
        self._closing_lock = threading.RLock()
        self._closed = False

    @property
    def host(self) -> str:
        return self._server.effective_host

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def run(self) -> None:
        """Serve until `stop`. The loop runs a tick at a time so that it notices `stop` even when it cannot be
        woken, and closes every socket itself: closing them from another thread would race its `select`."""
        try:
            while self._map and not self._stopping.is_set():
                wasyncore.loop(timeout=STOP_CHECK_SECONDS, map=self._map, count=1)
        finally:
            with self._closing_lock:
                self._closed = True  # before closing, so that a `stop` from here on never writes to a closed pipe
                wasyncore.close_all(self._map, ignore_all=True)
            self._server.task_dispatcher.shutdown()

    def stop(self) -> None:
        """Ask `run` to finish; safe to call twice, from any thread or a signal handler, before or after it ends."""
        self._stopping.set()
        with self._closing_lock:
            if self._closed:
                return
            # Waking the loop is a courtesy: if its wake-up pipe has gone, it sees the flag within a tick.
            with contextlib.suppress(OSError):
                self._server.trigger.pull_trigger()


class Housekeeping:
    """A daemon thread that deletes feedback older than POLICYBOT_RETENTION_DAYS once a day and, when
    POLICYBOT_DIGEST_CHANNEL is set, posts the weekly gap digest there (Mondays, 09:00 server time).

    Deliberately simple: one process posts one digest; the schedule is not persisted, so a restart just
    waits for the next Monday morning. `run_due` does the work and is what the tests drive.
    """

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        client: WebClient,
        store: FeedbackStore | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    ):
        self._settings, self._engine, self._client, self._clock = settings, engine, client, clock
        self._store = store or FeedbackStore.from_settings(settings)
        now = clock()
        self.next_cleanup = now + CLEANUP_EVERY  # opening the store has just deleted what had expired
        self.next_digest = next_digest_time(now)
        self._stopped = threading.Event()

    def run_due(self) -> None:
        """Do whatever is due now; a failure is logged and tried again at the next due time, never raised."""
        now = self._clock()
        if now >= self.next_cleanup:
            self.next_cleanup = now + CLEANUP_EVERY
            try:
                deleted = self._store.delete_expired()
                log.info("deleted %d answer(s) older than %d days", deleted, self._store.retention_days)
            except Exception:
                log.exception("could not delete old feedback from %s", self._store.path)
        if now >= self.next_digest:
            self.next_digest = next_digest_time(now)
            try:
                if post_digest(self._client, self._settings, self._store, self._engine, now):
                    log.info("posted the weekly digest to %s", self._settings.digest_channel)
            except Exception:
                log.exception("could not post the weekly digest to %s", self._settings.digest_channel)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, name="policybot-housekeeping", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        while not self._stopped.wait(HOUSEKEEPING_CHECK_SECONDS):
            self.run_due()


def next_digest_time(after: datetime) -> datetime:
    """The first digest time (DIGEST_WEEKDAY at DIGEST_HOUR:00) strictly after `after`, in its time zone."""
    candidate = after.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    candidate += timedelta(days=(DIGEST_WEEKDAY - candidate.weekday()) % 7)
    return candidate if candidate > after else candidate + timedelta(days=7)


def wsgi_app(app: App, engine: Engine) -> WSGIApp:
    """Bolt on POST /slack/events (events, commands and interactivity share it), health on GET /healthz."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def route(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            # The engine is loaded before the server starts, so answering at all means ready.
            health = json.dumps({"status": "ok", "documents": len(engine.documents)}).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(health)))])
            return [health]
        return slack(environ, start_response)

    return route


def check_settings(settings: Settings, *, http: bool) -> None:
    """Raise ConfigurationError naming the Slack variable that is missing or malformed for this way of serving.

    Called before the model loads, so a typo in .env fails in a second, not after the index is read.
    """
    fields = HTTP_SETTINGS if http else SOCKET_MODE_SETTINGS
    settings.require(*fields)
    for field in fields:
        prefix = TOKEN_PREFIXES.get(field)
        if prefix and not getattr(settings, field).startswith(prefix):
            raise ConfigurationError(f"{env_name(field)} should start with {prefix}; check you copied the right token")


def _log_to_stderr() -> None:
    # A server's log is how an admin learns of a failed answer; without this only warnings would show.
    # basicConfig leaves alone any logging the caller already set up.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _create_app_or_explain(settings: Settings, engine: Engine, store: FeedbackStore | None) -> App:
    # Bolt checks the bot token with auth.test at start-up; say which setting to fix when that fails.
    try:
        return create_app(settings, engine, store=store)
    except BoltError as error:
        raise ConfigurationError(f"Slack rejected SLACK_BOT_TOKEN: {error}") from None
    except (SlackApiError, OSError) as error:
        raise ConfigurationError(f"could not reach Slack at SLACK_API_URL={settings.slack_api_url}: {error}") from None
