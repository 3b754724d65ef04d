"""Pairing links for kiosk screens: /screens/<device>?pair=<token> pairs without a spoken code.

A kiosk's browser starts unattended, so nobody is there to read a code aloud. The token names the
household and is signed with the app's secret key; it does not expire, so the kiosk can keep the
same start-up URL. Changing VCOM_SECRET_KEY revokes every link.
"""

from __future__ import annotations

from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "vcom.screen-pairing"


def pairing_token(secret_key: str | bytes, customer_id: int) -> str:
    return URLSafeSerializer(secret_key, salt=SALT).dumps({"customer": customer_id})


def customer_from_token(secret_key: str | bytes, token: str) -> int | None:
    try:
        data = URLSafeSerializer(secret_key, salt=SALT).loads(token)
    except BadSignature:
        return None
    customer = data.get("customer") if isinstance(data, dict) else None
    return customer if isinstance(customer, int) else None


def kiosk_screen_url(
    base_url: str, secret_key: str | bytes, customer_id: int, device_id: str
) -> str:
    """The URL to open on the kiosk's display, e.g. http://shop.local:8080/screens/kiosk-1-display?pair=…"""
    token = pairing_token(secret_key, customer_id)
    return f"{base_url.rstrip('/')}/screens/{quote(device_id, safe='')}?pair={token}"
