"""Pairing links for kiosk screens: /screens/<screen>?pair=<token> pairs without a spoken code.

A kiosk's browser starts unattended, so nobody is there to read a code aloud. The token names the
household and the one screen id it may pair, is signed with the app's secret key and expires
(staff choose how long, up to a year). Changing VCOM_SECRET_KEY revokes every link.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "vcom.screen-pairing.v2"
# What staff may choose on /staff; the first is the default.
LINK_LIFETIMES = {
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "30d": timedelta(days=30),
    "365d": timedelta(days=365),
}
DEFAULT_LIFETIME = "1h"


@dataclass(frozen=True)
class PairLink:
    customer_id: int
    screen_id: str
    lifetime: timedelta


class LinkRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def new_screen_id() -> str:
    """An unguessable screen id: whoever could guess a screen's id could try its links."""
    return f"display-{secrets.token_urlsafe(9).replace('_', 'x').replace('-', 'y')}"


def _serializer(secret_key: str | bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def pairing_token(secret_key: str | bytes, link: PairLink) -> str:
    return _serializer(secret_key).dumps(
        {
            "customer": link.customer_id,
            "screen": link.screen_id,
            "ttl": int(link.lifetime.total_seconds()),
        }
    )


def check_token(secret_key: str | bytes, token: str, screen_id: str) -> int:
    """The customer the token pairs `screen_id` with; LinkRefused when it is forged, expired or
    made for another screen."""
    serializer = _serializer(secret_key)
    try:
        data = serializer.loads(token)
        ttl = data.get("ttl") if isinstance(data, dict) else None
        if not isinstance(ttl, int) or ttl <= 0:
            raise LinkRefused("forged")
        # The lifetime is part of the signed data; the signing time is checked against it.
        serializer.loads(token, max_age=ttl)
    except SignatureExpired as expired:
        raise LinkRefused("expired") from expired
    except BadSignature as bad:
        raise LinkRefused("forged") from bad
    customer, screen = data.get("customer"), data.get("screen")
    if not isinstance(customer, int) or not isinstance(screen, str):
        raise LinkRefused("forged")
    if screen != screen_id:
        raise LinkRefused("other_screen")
    return customer


def kiosk_screen_url(base_url: str, secret_key: str | bytes, link: PairLink) -> str:
    """The URL to open on the kiosk's display, e.g. http://shop.local:8080/screens/display-…?pair=…"""
    token = pairing_token(secret_key, link)
    return f"{base_url.rstrip('/')}/screens/{quote(link.screen_id, safe='')}?pair={token}"
