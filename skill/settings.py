from __future__ import annotations

import os
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backend.errors import ConfigurationError

TIMEZONE_ENV = "VCOM_SHOP_TIMEZONE"


@dataclass(frozen=True)
class SkillSettings:
    shop_name: str = "Corner Shop"
    # The skill id from the Alexa developer console; requests for other skills are refused.
    skill_id: str | None = None
    # Spoken times ("ready around 10:25 AM") are in the shop's zone; the store keeps UTC.
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))

    @classmethod
    def from_environment(cls) -> SkillSettings:
        return cls(
            shop_name=os.environ.get("VCOM_SHOP_NAME", "Corner Shop"),
            skill_id=os.environ.get("VCOM_SKILL_ID") or None,
            timezone=shop_timezone(os.environ.get(TIMEZONE_ENV) or "UTC"),
        )


def shop_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"{TIMEZONE_ENV}={name!r} is not a time zone; accepted: an IANA zone name such as "
            "Europe/London, America/New_York or UTC."
        ) from None
