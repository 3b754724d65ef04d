"""GET /screens/<device_id>: a household's live cart and order; a pairing code until paired.

The live updates (/screens/<id>/events) are served by skill.screens.events_app on the event loop,
not here: a stream must never hold one of the threads that answer Alexa.
"""

from __future__ import annotations

import math
import re
import secrets

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as BaseResponse

from backend.clock import utcnow
from backend.rate_limits import SlidingWindow
from backend.runtime import Backend
from backend.services import walk_ins
from backend.services.pairing import (
    DeviceNotLinkable,
    PairingCodesExhausted,
    ScreenAlreadyPaired,
    household_of,
    link_screen,
    live_code,
    pairing_code,
)
from skill.app_limits import app_limit
from skill.screens.access import (
    COOKIE_NAME,
    PROOF_MAX_AGE,
    TICKET_MAX_AGE,
    ScreenProof,
    cookie_path,
    has_waiting_ticket,
    proof_cookie,
    proofs_for,
    read_proof,
    waiting_ticket,
)
from skill.screens.pair_links import LinkRefused, check_token
from skill.screens.screen_text import requested_screen_text, vary_on_language
from skill.screens.secret_key import ensure_secret_key
from skill.screens.snapshot import take_snapshot
from skill.settings import SkillSettings

# Device ids come from URLs; keep them to characters that need no escaping anywhere.
# Always fullmatch: `$` would also match before a trailing newline.
DEVICE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
STREAM_SETTINGS_KEY = "VCOM_SCREEN_STREAM"
# New pairing codes per client address: a shop setting up screens needs a handful; the pool of
# 10,000 codes must not be emptied by one client asking for codes for made-up screens.
NEW_CODES_LIMIT_KEY = "VCOM_NEW_CODES_LIMIT"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def valid_device_id(device_id: str) -> bool:
    return DEVICE_ID.fullmatch(device_id) is not None


def add_security_headers(response: BaseResponse) -> BaseResponse:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _new_codes_limit() -> SlidingWindow:
    return app_limit(NEW_CODES_LIMIT_KEY, limit=20, seconds=600)


def screens_blueprint(backend: Backend, settings: SkillSettings) -> Blueprint:
    screens = Blueprint("screens", __name__, url_prefix="/screens")
    screens.after_request(add_security_headers)
    # A kiosk's display browser is set to the kiosk's language; ?locale= overrides it.
    screens.after_request(vary_on_language)

    def checked(device_id: str) -> str:
        if not valid_device_id(device_id):
            raise NotFound()
        return device_id

    def secret() -> str | bytes:
        return ensure_secret_key(current_app)

    def cookie_values() -> list[str]:
        return request.cookies.getlist(COOKIE_NAME)

    def set_screen_cookie(response: BaseResponse, device_id: str, value: str, max_age: int) -> None:
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=max_age,
            path=cookie_path(device_id),
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )

    def with_proof(response: BaseResponse, proof: ScreenProof) -> BaseResponse:
        set_screen_cookie(
            response,
            proof.device_id,
            proof_cookie(secret(), proof),
            int(PROOF_MAX_AGE.total_seconds()),
        )
        return response

    def page(template: str, status: int = 200, **values: object) -> BaseResponse:
        values.setdefault("shop", settings.shop_name)
        values.setdefault("text", requested_screen_text())
        return current_app.make_response((render_template(template, **values), status))

    @screens.get("/")
    def new_screen() -> BaseResponse:
        # A fresh, unguessable id: nobody else can open this screen's pairing page.
        device_id = f"screen-{secrets.token_urlsafe(9).replace('_', 'x').replace('-', 'y')}"
        return redirect(url_for("screens.screen", device_id=device_id), code=303)

    @screens.get("/<device_id>")
    def screen(device_id: str) -> BaseResponse:
        device_id = checked(device_id)
        token = request.args.get("pair")
        if token is not None:
            return _open_link(device_id, token)
        customer_id = household_of(backend.reader(), device_id)
        if customer_id is None:
            return _pairing_page(device_id)
        proof = read_proof(secret(), cookie_values(), device_id, customer_id)
        if proof is not None:
            return _screen_page(proof)
        if has_waiting_ticket(secret(), cookie_values(), device_id):
            # This browser showed the code that was just said: it is the screen that was paired.
            fresh = ScreenProof(device_id, customer_id, backend.hub.latest_id(customer_id))
            return with_proof(_screen_page(fresh), fresh)
        if _followed_the_kiosk(device_id, customer_id):
            # A kiosk's display moved on to the kiosk's next walk-in: renew its proof.
            fresh = ScreenProof(
                device_id, customer_id, backend.hub.latest_id(customer_id), by_link=True
            )
            return with_proof(_screen_page(fresh), fresh)
        return page("screen_not_yours.html", 403, device_id=device_id)

    def _followed_the_kiosk(device_id: str, customer_id: int) -> bool:
        """Whether this browser is a kiosk's display (paired by a link) that the kiosk moved
        from one walk-in to the next, now showing `customer_id`."""
        kiosk = walk_ins.kiosk_of(backend.reader(), customer_id)
        if kiosk is None:
            return False
        return any(
            proof.by_link and walk_ins.kiosk_of(backend.reader(), proof.customer_id) == kiosk
            for proof in proofs_for(secret(), cookie_values(), device_id)
        )

    def _open_link(device_id: str, token: str) -> BaseResponse:
        try:
            # The link may name an earlier walk-in: the screen shows whoever is at the kiosk now.
            customer_id = link_screen(
                backend.uow(), device_id, check_token(secret(), token, device_id)
            ).customer_id
        except LinkRefused as refused:
            return page("screen_bad_link.html", 403, reason=refused.reason)
        except DeviceNotLinkable:
            return page("screen_bad_link.html", 409, reason="taken")
        proof = ScreenProof(
            device_id, customer_id, backend.hub.latest_id(customer_id), by_link=True
        )
        # A display linked with ?pair=…&locale=ko-KR stays in that language.
        locale = request.args.get("locale")
        response = redirect(
            url_for("screens.screen", device_id=device_id, locale=locale), code=303
        )
        return with_proof(response, proof)

    def _screen_page(proof: ScreenProof) -> BaseResponse:
        snapshot = take_snapshot(backend, proof.device_id, proof.customer_id)
        return page(
            "screen.html",
            snapshot=snapshot,
            state=snapshot.as_json(),
            timezone=settings.timezone.key,
            text=requested_screen_text(),
        )

    def _pairing_page(device_id: str) -> BaseResponse:
        try:
            code = live_code(backend.reader(), device_id)
            if code is None:
                wait = _new_codes_limit().try_acquire(request.remote_addr or "?")
                if wait > 0:
                    response = page("screen_busy.html", 429, reason="client")
                    response.headers["Retry-After"] = str(math.ceil(wait))
                    return response
                code = pairing_code(backend.uow(), device_id)
        except ScreenAlreadyPaired:  # paired between our two reads: show it
            return redirect(url_for("screens.screen", device_id=device_id), code=303)
        except PairingCodesExhausted:
            response = page("screen_busy.html", 503, reason="pool")
            response.headers["Retry-After"] = "60"
            return response
        response = page(
            "pairing.html",
            device_id=device_id,
            code=code,
            spoken_code=" ".join(code.code),
            minutes=max(1, round((code.expires_at - utcnow()).total_seconds() / 60)),
        )
        set_screen_cookie(
            response,
            device_id,
            waiting_ticket(secret(), device_id),
            int(TICKET_MAX_AGE.total_seconds()),
        )
        return response

    return screens
