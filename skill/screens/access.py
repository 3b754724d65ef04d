"""Proof that this browser is the screen a household paired: a signed cookie per screen id.

A screen's URL alone shows nothing. The browser that shows a pairing code gets a short-lived
*waiting ticket*; once the code is said (or a staff link is opened) it gets a *proof* naming the
household and the newest outbox id at that moment, so catch-up never reaches back before the
pairing. Both are signed with the app's secret key and scoped to /screens/<id>.

A kiosk's display, paired by a staff link, follows the kiosk from one walk-in customer to the
next (backend.services.walk_ins); its proof says it came from a link, so the page can renew it
for the kiosk's next customer. A screen paired by a spoken code follows nobody: a walk-in's own
phone stops showing the kiosk once the next customer steps up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer

from backend.services.pairing import PAIRING_TTL

COOKIE_NAME = "vcom_screen"
SALT = "vcom.screen-access"
# A ticket outlives the code it was shown with by a little: the page reloads right after pairing.
TICKET_MAX_AGE = PAIRING_TTL + timedelta(minutes=2)
# Browsers keep a cookie at most 400 days; a kiosk link refreshes it.
PROOF_MAX_AGE = timedelta(days=400)


@dataclass(frozen=True)
class ScreenProof:
    device_id: str
    customer_id: int
    floor_event_id: int  # the newest outbox id when the screen was paired
    by_link: bool = False  # paired by a staff link: a kiosk's display


def _serializer(secret_key: str | bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def waiting_ticket(secret_key: str | bytes, device_id: str) -> str:
    return _serializer(secret_key).dumps({"d": device_id, "k": "wait"})


def proof_cookie(secret_key: str | bytes, proof: ScreenProof) -> str:
    data: dict[str, object] = {
        "d": proof.device_id,
        "c": proof.customer_id,
        "f": proof.floor_event_id,
    }
    if proof.by_link:
        data["l"] = 1
    return _serializer(secret_key).dumps(data)


def _load(secret_key: str | bytes, value: str, max_age: timedelta) -> dict[str, object] | None:
    try:
        data = _serializer(secret_key).loads(value, max_age=int(max_age.total_seconds()))
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def has_waiting_ticket(secret_key: str | bytes, values: Iterable[str], device_id: str) -> bool:
    for value in values:
        data = _load(secret_key, value, TICKET_MAX_AGE)
        if data and data.get("k") == "wait" and data.get("d") == device_id:
            return True
    return False


def proofs_for(secret_key: str | bytes, values: Iterable[str], device_id: str) -> list[ScreenProof]:
    """Every valid proof among the cookie's values for this screen, whatever its household."""
    found = []
    for value in values:
        data = _load(secret_key, value, PROOF_MAX_AGE)
        if not data or data.get("d") != device_id:
            continue
        customer, floor = data.get("c"), data.get("f")
        if isinstance(customer, int) and isinstance(floor, int) and floor >= 0:
            found.append(ScreenProof(device_id, customer, floor, data.get("l") == 1))
    return found


def read_proof(
    secret_key: str | bytes, values: Iterable[str], device_id: str, customer_id: int
) -> ScreenProof | None:
    """The proof among the cookie's values for this screen and its current household."""
    for proof in proofs_for(secret_key, values, device_id):
        if proof.customer_id == customer_id:
            return proof
    return None


def cookie_path(device_id: str) -> str:
    return f"/screens/{device_id}"
