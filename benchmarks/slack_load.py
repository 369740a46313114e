"""Load benchmark: officers asking Policy Bot over HTTP mode at once, against the local fake Slack.

Starts `policybot serve --http` as its own process (so the load generator doesn't share its GIL),
over an index built from the shipped corpus. Each simulated officer @mentions the bot, waits for
the threaded answer to reach chat.postMessage, and asks again. Some events are re-delivered with
X-Slack-Retry-Num, as Slack does when it thinks an ack was slow, to check they are not answered twice.

    .venv/bin/python benchmarks/slack_load.py                  # issue 3: 50 officers, 30 s
    .venv/bin/python benchmarks/slack_load.py --seconds 60     # issue 5: 60 s, RSS before/after
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as a script (`make bench`), only benchmarks/ is on the path; the fake Slack lives in tests/.
sys.path.insert(0, str(REPO))

from tests.slack.events import mention  # noqa: E402
from tests.slack.fake_slack import Call, FakeSlack  # noqa: E402
from tests.slack.signed_requests import SlackSender  # noqa: E402

BOT_TOKEN = "xoxb-benchmark-bot-token"
SIGNING_SECRET = "benchmark-signing-secret"
QUESTIONS = (
    "What are the financial implications?",
    "What are the legal implications?",
    "Who is on the Anchor Executive Group?",
    "What is Cabinet being asked to agree?",
    "What alternative options were considered?",
    "Has there been any consultation?",
    "What is an anchor institution?",
    "What are the HR implications?",
    "What is the initial strategic focus?",
    "What is the capital of France?",  # an abstention costs the same search
)
ANSWER_TIMEOUT_SECONDS = 10
ACK_LIMIT_SECONDS = 3


@dataclass
class Tally:
    """What the officers saw, filled in from their threads and the fake Slack's server threads."""

    sent_at: dict[str, float] = field(default_factory=dict)  # message ts -> when the event was sent
    answered_at: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    acks: list[float] = field(default_factory=list)
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: dict[str, threading.Event] = field(default_factory=dict)

    def record_post(self, call: Call) -> None:
        if call.method != "chat.postMessage" or not call.ok:
            return
        ts = call.params.get("thread_ts")
        with self.lock:
            self.answered_at[ts].append(call.at)
            arrived = self.arrived.get(ts)
        if arrived:
            arrived.set()


def officer(sender: SlackSender, number: int, deadline: float, retry_fraction: float, tally: Tally) -> None:
    """Ask, wait for the answer, ask again, until the deadline."""
    rng = random.Random(number)
    while time.monotonic() < deadline:
        body = mention(rng.choice(QUESTIONS), channel=f"C0LOAD{number:03d}")
        ts = body["event"]["ts"]
        arrived = threading.Event()
        with tally.lock:
            tally.arrived[ts] = arrived
            tally.sent_at[ts] = time.monotonic()
        reply = sender.event(body)
        with tally.lock:
            tally.acks.append(reply.seconds if reply.status == 200 else float("inf"))
        if rng.random() < retry_fraction:
            sender.event(body, retry_num=1)
            with tally.lock:
                tally.retries += 1
        arrived.wait(ANSWER_TIMEOUT_SECONDS)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def policybot(*args: str, env: dict, cwd: Path, **popen) -> subprocess.Popen:
    command = [sys.executable, "-c", "from bot.cli import main; main()", *args]
    return subprocess.Popen(command, env=env, cwd=cwd, **popen)


def wait_until_healthy(sender: SlackSender, bot: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if bot.poll() is not None:
            raise SystemExit(f"the bot exited with {bot.returncode} before it was ready")
        try:
            if sender.request("GET", "/healthz").status == 200:
                return
        except OSError:
            pass  # not listening yet: the model and index are still loading
        time.sleep(0.2)
    raise SystemExit("the bot did not become healthy in time")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(officers: int, seconds: float, retry_fraction: float) -> dict:
    with tempfile.TemporaryDirectory() as scratch, FakeSlack(bot_token=BOT_TOKEN, app_token="xapp-unused") as slack:
        scratch = Path(scratch)
        # Only what the bot needs; a developer's own Slack tokens must not leak into a benchmark.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
        env.update(PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
        index = scratch / "index"
        subprocess.run(
            [sys.executable, "-c", "from bot.cli import main; main()", "ingest", "--corpus", str(REPO / "corpus"), "--index", str(index)],
            env=env, cwd=scratch, check=True, capture_output=True,
        )
        port = free_port()
        bot_env = {**env, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack.url}
        log = (scratch / "bot.log").open("w")
        bot = policybot("serve", "--http", "--host", "127.0.0.1", "--port", str(port), "--index", str(index),
                        env=bot_env, cwd=scratch, stdout=log, stderr=subprocess.STDOUT)
        try:
            sender = SlackSender(f"http://127.0.0.1:{port}", SIGNING_SECRET)
            wait_until_healthy(sender, bot)
            tally = Tally()
            slack.on_call = tally.record_post
            warm_up(sender, tally)
            rss_before = rss_mb(bot.pid)
            started = time.monotonic()
            threads = [
                threading.Thread(target=officer, args=(sender, n, started + seconds, retry_fraction, tally))
                for n in range(officers)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            # Give any duplicate a moment to show itself before counting.
            time.sleep(2)
            rss_after = rss_mb(bot.pid)
        finally:
            bot.terminate()
            bot.wait(timeout=30)
            log.close()
        return summarise(tally, elapsed, officers, rss_before, rss_after)


def warm_up(sender: SlackSender, tally: Tally) -> None:
    """One answer per question before measuring, so first-call costs don't count as load."""
    for question in QUESTIONS:
        body = mention(question, channel="C0WARMUP")
        ts = body["event"]["ts"]
        tally.arrived[ts] = threading.Event()
        sender.event(body)
        if not tally.arrived[ts].wait(60):
            raise SystemExit("warm-up question was never answered; see the bot's log")
    tally.answered_at.clear()
    tally.arrived.clear()


def summarise(tally: Tally, elapsed: float, officers: int, rss_before: float, rss_after: float) -> dict:
    latencies, lost, duplicated = [], 0, 0
    for ts, sent in tally.sent_at.items():
        posts = tally.answered_at.get(ts, [])
        if not posts:
            lost += 1
            continue
        duplicated += len(posts) > 1
        latencies.append(min(posts) - sent)
    return {
        "officers": officers,
        "seconds": round(elapsed, 1),
        "questions": len(tally.sent_at),
        "answers": len(latencies),
        "answers_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95) * 1000) if latencies else None,
        "max_ack_ms": round(max(tally.acks) * 1000) if tally.acks else None,
        "acks_over_3s": sum(ack > ACK_LIMIT_SECONDS for ack in tally.acks),
        "retries_sent": tally.retries,
        "lost": lost,
        "duplicated": duplicated,
        "rss_before_mb": round(rss_before, 1),
        "rss_after_mb": round(rss_after, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=50, help="concurrent simulated officers (default 50)")
    parser.add_argument("--seconds", type=float, default=30, help="how long to keep asking (default 30)")
    parser.add_argument("--retry-fraction", type=float, default=0.05, help="share of events Slack re-delivers (default 0.05)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    figures = run(args.officers, args.seconds, args.retry_fraction)
    if args.json:
        print(json.dumps(figures))
        return
    for name, value in figures.items():
        print(f"{name:>20}: {value}")


if __name__ == "__main__":
    main()
