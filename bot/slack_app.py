"""The Slack side of Policy Bot: a Bolt app that turns mentions, DMs and the slash command into quoted, cited answers."""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from threading import Lock

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.answer import Answer
from bot.blocks import (
    HELPFUL_ACTION_ID,
    MAX_QUOTES,
    SHARE_ACTION_ID,
    SHOW_MORE_ACTION_ID,
    UNHELPFUL_ACTION_ID,
    AnswerActions,
    Message,
    answer_message,
    apology_message,
    digest_message,
    expired_message,
    help_message,
    home_view,
    implications_message,
    nothing_more_message,
    parse_show_more_value,
    refusal_message,
    show_more_value,
    sources_message,
    thanks_message,
)
from bot.engine import Engine, has_words, markup_as_seen
from bot.feedback import FeedbackStore, UnknownAnswer
from bot.implications import implications_for
from bot.settings import Settings
from bot.sources import indexed_sources

log = logging.getLogger(__name__)

# Slack retries an event up to three times over about an hour; a bot busy enough to see
# this many deliveries in that time has far bigger problems than a repeated answer.
DELIVERIES_REMEMBERED = 50_000
THREADS_REMEMBERED = 10_000

# Slack escapes every <, > and & the officer typed, so whatever sits between angle brackets is its markup.
_MARKUP = re.compile(r"<([^<>|]*)\|?([^<>]*)>")
# C0/C1 controls, and the bidirectional overrides that can make an echoed question read differently.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def make_web_client(settings: Settings) -> WebClient:
    """A WebClient for `settings.slack_api_url` that backs off and retries on Slack's 429s and 5xx."""
    return WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, retry_handlers=retry_handlers())


def retry_handlers() -> list[RetryHandler]:
    # Slack asks clients to wait out a 429's Retry-After and to back off on 5xx; a post that
    # fails after that raises, and the handler's apology path takes over.
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=3),
    ]


def create_app(
    settings: Settings, engine: Engine, client: WebClient | None = None, store: FeedbackStore | None = None
) -> App:
    """The Bolt app answering from `engine`; `client` (by default one built from `settings`) is how it reaches Slack,
    `store` (by default the SQLite file POLICYBOT_DB) where answers and 👍/👎 are kept.

    Signature verification stays on: HTTP requests need SLACK_SIGNING_SECRET, and Bolt skips the
    check only for Socket Mode, whose websocket is already authenticated by the app token.
    """
    bolt_log = logging.getLogger("bot.slack_app.bolt")
    bolt_log.addFilter(_UNUSED_TOKEN_WARNING)  # adding the same filter twice is a no-op
    app = App(
        client=client or make_web_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=True,
        logger=bolt_log,
    )
    conversations = Conversations(settings, engine, store or FeedbackStore.from_settings(settings))

    app.use(RepeatDeliveryFilter(DELIVERIES_REMEMBERED))
    app.event("app_mention")(conversations.on_mention)
    app.event("message", matchers=[_is_direct_question])(conversations.on_direct_message)
    app.event("message")(_ignore)
    app.event("app_home_opened")(conversations.on_home_opened)
    app.command(settings.slash_command)(conversations.on_command)
    app.action(SHARE_ACTION_ID)(conversations.on_share)
    app.action(HELPFUL_ACTION_ID)(conversations.on_feedback)
    app.action(UNHELPFUL_ACTION_ID)(conversations.on_feedback)
    app.action(SHOW_MORE_ACTION_ID)(conversations.on_show_more)
    return app


class _UnusedTokenWarning(logging.Filter):
    """Drops Bolt's start-up warning that SLACK_BOT_TOKEN "will be unused" because a client was given.

    Bolt reads the variable itself whenever it is set; our client already carries that same token,
    so the warning would only send an admin looking for a problem that isn't there.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_UNUSED_TOKEN_WARNING = _UnusedTokenWarning()


class RepeatDeliveryFilter(Middleware):
    """Acks, without answering, an event whose delivery was already seen: Slack's retries and second copies.

    It runs after signature verification, so a forged request cannot mark a real event as seen.
    """

    def __init__(self, capacity: int):
        self._capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = Lock()

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse:
        body = req.body
        if body.get("type") != "event_callback" or self._first_sight(delivery_keys(body)):
            return next()
        retry = req.headers.get("x-slack-retry-num", [None])[0]  # Bolt mirrors Socket Mode's retry_attempt here
        log.info("ignoring repeat delivery of event %s (retry %s)", body.get("event_id"), retry)
        # A 200 tells Slack to stop retrying; the first delivery is being, or was, answered.
        return BoltResponse(status=200, body="")

    def _first_sight(self, keys: list[str]) -> bool:
        with self._lock:
            if any(key in self._seen for key in keys):
                return False
            for key in keys:
                self._seen[key] = None
            while len(self._seen) > self._capacity:
                self._seen.popitem(last=False)
            return True


def delivery_keys(body: dict) -> list[str]:
    """What identifies one event: its event_id, and for a message its client_msg_id and channel + ts.

    The last two catch the same message arriving twice under different event ids, e.g. as both
    `app_mention` and `message.im`.
    """
    event = body.get("event") or {}
    keys = [f"event:{body['event_id']}"] if body.get("event_id") else []
    if event.get("type") in ("app_mention", "message"):
        if event.get("client_msg_id"):
            keys.append(f"message:{event['client_msg_id']}")
        if event.get("channel") and event.get("ts"):
            keys.append(f"ts:{event['channel']}:{event['ts']}")
    return keys


def _is_person_asking(event: dict) -> bool:
    """Only a person's new message is a question: not a bot's (ours included), an edit, a deletion or a join."""
    return bool(event.get("user")) and not event.get("subtype") and not event.get("bot_id") and "edited" not in event


def _is_direct_question(event: dict) -> bool:
    return event.get("channel_type") == "im" and _is_person_asking(event)


def _ignore() -> None:
    """Other message events (edits, deletions, bot posts, channel chatter): acknowledged and left alone."""


def plain_question(text: str) -> str:
    """The question as plain text: links and channel names as the user saw them; mentions, pings and controls gone.

    Markup is read before Slack's escaping is undone, so a `<!channel>` the officer typed stays their text.
    """
    text = _MARKUP.sub(lambda match: markup_as_seen(match[1], match[2]), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(_INVISIBLE.sub(" ", text).split())


class ThreadMemory:
    """The first question asked in each thread the bot answered, so a follow-up is read in its context.

    Held in memory and bounded: after a restart a follow-up is answered as a question of its own.
    """

    def __init__(self, capacity: int):
        self._capacity = capacity
        self._first: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._lock = Lock()

    def first_question(self, channel: str, thread_ts: str) -> str | None:
        with self._lock:
            return self._first.get((channel, thread_ts))

    def remember(self, channel: str, thread_ts: str, question: str) -> None:
        with self._lock:
            self._first.setdefault((channel, thread_ts), question)
            while len(self._first) > self._capacity:
                self._first.popitem(last=False)


class Conversations:
    """The bot's side of each conversation: who may ask, what was asked, and where the answer goes."""

    def __init__(self, settings: Settings, engine: Engine, store: FeedbackStore):
        self._settings = settings
        self._engine = engine
        self._store = store
        self._threads = ThreadMemory(THREADS_REMEMBERED)
        # What one Slack message quotes; "Show more" continues in steps of the same size.
        self._per_message = min(engine.top, MAX_QUOTES)

    def on_mention(self, event: dict, body: dict, context, client: WebClient) -> None:
        if not _is_person_asking(event):
            return
        channel, root = event["channel"], event.get("thread_ts") or event["ts"]
        reply = partial(_post, client, channel, root)
        with _apologise_on_failure(reply, "answering a mention", **_event_context(body, event)):
            if not self._may_ask(_asker_team(event, context), channel):
                reply(refusal_message())
                return
            where = "im" if channel.startswith("D") else "channel"
            self._answer(plain_question(event.get("text", "")), channel, root, reply, where, event["user"])

    def on_direct_message(self, event: dict, body: dict, context, client: WebClient) -> None:
        channel = event["channel"]
        # A DM is answered in the DM itself, or in its thread when the officer replied in one.
        reply = partial(_post, client, channel, event.get("thread_ts"))
        with _apologise_on_failure(reply, "answering a direct message", **_event_context(body, event)):
            if not self._may_ask(_asker_team(event, context), channel):
                reply(refusal_message())
                return
            root = event.get("thread_ts") or event["ts"]
            self._answer(plain_question(event.get("text", "")), channel, root, reply, "im", event["user"])

    def on_command(self, ack, command: dict, context) -> None:
        """`/policy <question>`, or `/policy implications <report>`, `/policy sources`, `/policy help`."""
        ack()  # Slack shows the officer an error unless this comes within 3 s; the answer follows.
        reply = partial(_respond, command["response_url"], response_type="ephemeral")
        where = {"team": context.team_id, "channel": command.get("channel_id"), "user": command.get("user_id")}
        with _apologise_on_failure(reply, "answering the slash command", **where):
            if not self._may_ask(context.team_id, command.get("channel_id", "")):
                reply(refusal_message())
                return
            text = plain_question(command.get("text", ""))
            verb, _, rest = text.partition(" ")
            if text.casefold() in ("", "help"):
                reply(help_message(self._engine.documents, self._settings.slash_command))
            elif text.casefold() == "sources":
                reply(sources_message(indexed_sources(self._engine.retriever.build)))
            elif verb.casefold() == "implications":
                reply(implications_message(implications_for(self._engine, rest)))
            else:
                answer = self._shown_part(self._engine.ask(text))
                actions = self._record(answer, "slash", command.get("user_id"), share=True)
                reply(answer_message(answer, asked_by_echo=True, actions=actions))

    def on_share(self, ack, body: dict, action: dict, context) -> None:
        """"Share in channel" under a slash answer: the answer posted in the channel, the private copy removed."""
        ack()
        self._on_click(body, action, context, "sharing an answer", self._share)

    def on_feedback(self, ack, body: dict, action: dict, context) -> None:
        """👍 or 👎 under an answer: stored against the answer (a second click replaces the first), thanked privately."""
        ack()
        self._on_click(body, action, context, "recording feedback", self._record_vote)

    def on_show_more(self, ack, body: dict, action: dict, context, client: WebClient) -> None:
        """The next passages for the same question: in the answer's thread, or privately for a slash answer."""
        ack()
        self._on_click(body, action, context, "showing more", partial(self._more_passages, client))

    def _on_click(self, body: dict, action: dict, context, what: str, handle: Callable[[_Click], None]) -> None:
        """What every button shares: a clicker the allow-lists refuse is told so privately, a failure is apologised for."""
        channel, user, team = _click_place(body, context)
        reply = partial(_respond, body["response_url"], response_type="ephemeral", replace_original=False)
        with _apologise_on_failure(reply, what, team=team, channel=channel, user=user):
            if not self._may_ask(team, channel):
                reply(refusal_message())
                return
            handle(_Click(body, action, channel, user, reply))

    def _share(self, click: _Click) -> None:
        try:
            answer_id = int(click.action["value"])
            asked = self._store.answer(answer_id)
        except (ValueError, UnknownAnswer):
            click.reply(expired_message())
            return
        # The button carries the stored answer's id, not its text, so nothing the officer didn't see
        # can be smuggled into the channel; the same index gives the same quotes.
        answer = self._shown_part(self._engine.ask(asked.question))
        actions = AnswerActions(answer_id, show_more=self._show_more(answer, answer_id))
        message = answer_message(answer, asked_by_echo=True, shared_by=click.user, actions=actions)
        response_url = click.body["response_url"]
        _respond(response_url, message, response_type="in_channel", replace_original=False)
        try:
            _respond_raw(response_url, {"delete_original": True})
        except Exception:  # the answer is shared; a private copy left behind is untidy, not a failure
            log.warning(
                "could not remove the private copy of a shared answer (channel=%s user=%s)", click.channel, click.user
            )

    def _record_vote(self, click: _Click) -> None:
        helpful = click.action["action_id"] == HELPFUL_ACTION_ID
        try:
            self._store.record_feedback(int(click.action["value"]), click.user, helpful)
        except (ValueError, UnknownAnswer):
            click.reply(expired_message())
            return
        click.reply(thanks_message(helpful))

    def _more_passages(self, client: WebClient, click: _Click) -> None:
        try:
            answer_id, follow_up_to = parse_show_more_value(click.action["value"])
            earlier = self._store.answer(answer_id)
        except (ValueError, UnknownAnswer):
            click.reply(expired_message())
            return
        # Ranks run on across "Show more" messages, so the last one stored is how many are on screen.
        shown = max((passage.rank for passage in earlier.shown), default=0)
        more = self._engine.more(earlier.question, shown, self._per_message, follow_up_to=follow_up_to)
        if not more.quotes:
            click.reply(nothing_more_message())
            return
        actions = self._record(more, earlier.channel_type, click.user, follow_up_to=follow_up_to)
        if earlier.channel_type == "slash":
            # A slash answer (or its shared copy) came through response_url; the bot may not be in the channel.
            click.reply(answer_message(more, asked_by_echo=True, actions=actions, continued=True))
        else:
            _post(client, click.channel, _thread_of(click.body), answer_message(more, actions=actions, continued=True))

    def on_home_opened(self, event: dict, context, client: WebClient) -> None:
        if event.get("tab") != "home" or not self._may_ask(context.team_id, None):
            return
        try:
            sources = indexed_sources(self._engine.retriever.build)
            client.views_publish(user_id=event["user"], view=home_view(sources, self._settings.slash_command))
        except Exception:  # the Home tab is a courtesy; failing to draw it must not look like an outage
            log.exception("could not publish the App Home (team=%s user=%s)", context.team_id, event.get("user"))

    def _answer(
        self, question: str, channel: str, root: str, reply: Callable[[Message], None], channel_type: str, user: str
    ) -> None:
        if not question:
            reply(help_message(self._engine.documents))
            return
        first = self._threads.first_question(channel, root)
        answer = self._shown_part(self._engine.ask(question, follow_up_to=first))
        if first is None:
            self._threads.remember(channel, root, question[: self._engine.max_question_chars])
        reply(answer_message(answer, actions=self._record(answer, channel_type, user, follow_up_to=first)))

    def _shown_part(self, answer: Answer) -> Answer:
        """The answer as one Slack message shows it, so what is stored is exactly what the officer saw."""
        return replace(answer, quotes=answer.quotes[: self._per_message])

    def _record(
        self, answer: Answer, channel_type: str, user: str | None, *, follow_up_to: str | None = None, share: bool = False
    ) -> AnswerActions | None:
        """Store the answer for the gap report and return its buttons; None for an abstention (recorded, but
        there is nothing to rate or continue) or when the store fails, which must not cost the officer the answer."""
        if not answer.answered and not has_words(answer.question):
            return None  # emoji or pings alone: nothing the policy team could add a document for
        try:
            answer_id = self._store.record_answer(answer, channel_type=channel_type, user_id=user)
        except Exception:
            log.exception("could not record an answer in the feedback store %s", self._store.path)
            return None
        if not answer.answered:
            return None
        return AnswerActions(answer_id, show_more=self._show_more(answer, answer_id, follow_up_to), share=share)

    def _show_more(self, answer: Answer, answer_id: int, follow_up_to: str | None = None) -> str | None:
        # A full message suggests the documents may hold more; a shorter one already said all there was.
        if len(answer.quotes) < self._per_message:
            return None
        return show_more_value(answer_id, follow_up_to)

    def _may_ask(self, team: str | None, channel: str | None) -> bool:
        """Whether the allow-lists let this workspace ask here; `channel` None is the asker's own App Home."""
        teams, channels = self._settings.allowed_teams, self._settings.allowed_channels
        if teams and team not in teams:
            return False
        # Direct-message ids start with D; like the App Home they are private to the asker,
        # so only the workspace list applies to them.
        return not channels or channel is None or channel.startswith("D") or channel in channels


def post_digest(
    client: WebClient, settings: Settings, store: FeedbackStore, engine: Engine, now: datetime | None = None
) -> bool:
    """Post the gap digest of the week to `now` to POLICYBOT_DIGEST_CHANNEL; False when no channel is configured."""
    if not settings.digest_channel:
        return False
    from bot.gaps import weekly_digest  # the grouping is needed only once a week

    message = digest_message(weekly_digest(store, engine.embedder.embed, now=now))
    client.chat_postMessage(channel=settings.digest_channel, unfurl_links=False, unfurl_media=False, **message.as_kwargs())
    return True


@dataclass(frozen=True)
class _Click:
    """A button click the allow-lists let through: the interaction payload and the button, where and by whom
    it was clicked, and how to answer the clicker privately."""

    body: dict
    action: dict
    channel: str
    user: str | None
    reply: Callable[[Message], None]


def _click_place(body: dict, context) -> tuple[str, str | None, str | None]:
    """Where a button was clicked and by whom: channel id, user id, and the clicker's own workspace."""
    user = body.get("user") or {}
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
    return channel, user.get("id"), user.get("team_id") or context.team_id


def _thread_of(body: dict) -> str | None:
    """The thread a clicked message is in, so further passages follow it; None for a message at the top of a DM."""
    container, message = body.get("container") or {}, body.get("message") or {}
    return container.get("thread_ts") or message.get("thread_ts")


def _asker_team(event: dict, context) -> str | None:
    # In a channel shared with another organisation, the asker's workspace is `user_team`, not the app's.
    return event.get("user_team") or event.get("team") or context.team_id


def _event_context(body: dict, event: dict) -> dict:
    return {
        "event_id": body.get("event_id"),
        "team": body.get("team_id"),
        "channel": event.get("channel"),
        "user": event.get("user"),
        "ts": event.get("ts"),
    }


@contextmanager
def _apologise_on_failure(reply: Callable[[Message], None], what: str, **context: object) -> Iterator[None]:
    """Log a failure with its context and tell the asker, so an officer never meets silence or a traceback."""
    try:
        yield
    except Exception:  # the edge of the app: whatever went wrong, the officer must hear back
        where = " ".join(f"{key}={value}" for key, value in context.items())
        log.exception("%s failed (%s)", what, where)
        try:
            reply(apology_message())
        except Exception:
            log.exception("could not send the apology either (%s)", where)


def _post(client: WebClient, channel: str, thread_ts: str | None, message: Message) -> None:
    # Unfurling would put a preview of each cited link under the answer, drowning the quotes.
    client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False, **message.as_kwargs()
    )


def _respond(response_url: str, message: Message, **options: object) -> None:
    _respond_raw(response_url, {**message.as_kwargs(), **options})


def _respond_raw(response_url: str, payload: dict) -> None:
    # Bolt's `respond` uses a WebhookClient without our retry handlers, hence our own.
    response = WebhookClient(response_url, retry_handlers=retry_handlers()).send_dict(payload)
    if response.status_code != 200:
        raise ResponseUrlError(f"Slack answered {response.status_code} to a response_url post: {response.body[:200]}")


class ResponseUrlError(Exception):
    """Slack refused a post to a response_url (expired, used too often, or malformed)."""
