"""GET /screens/<device_id>: a household's live cart and order; a pairing code until paired."""

from __future__ import annotations

import re
import secrets
import time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from backend.clock import utcnow
from backend.events import SettledCursor
from backend.runtime import Backend
from backend.services.pairing import (
    ScreenAlreadyPaired,
    household_of,
    link_screen,
    pairing_code,
)
from skill.screens.pair_links import customer_from_token
from skill.screens.screen_text import requested_screen_text, vary_on_language
from skill.screens.secret_key import ensure_secret_key
from skill.screens.snapshot import take_snapshot
from skill.screens.stream import (
    StreamSettings,
    household_stream,
    resume_point,
    waiting_stream,
)
from skill.settings import SkillSettings

# Device ids come from URLs; keep them to characters that need no escaping anywhere.
DEVICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
STREAM_SETTINGS_KEY = "VCOM_SCREEN_STREAM"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def add_security_headers(response: BaseResponse) -> BaseResponse:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def stream_settings() -> StreamSettings:
    configured = current_app.config.get(STREAM_SETTINGS_KEY)
    return configured if isinstance(configured, StreamSettings) else StreamSettings()


def screens_blueprint(backend: Backend, settings: SkillSettings) -> Blueprint:
    screens = Blueprint("screens", __name__, url_prefix="/screens")
    screens.after_request(add_security_headers)
    # A kiosk's display browser is set to the kiosk's language; ?locale= overrides it.
    screens.after_request(vary_on_language)

    def checked(device_id: str) -> str:
        if not DEVICE_ID.match(device_id):
            abort(404)
        return device_id

    @screens.get("/")
    def new_screen() -> BaseResponse:
        # A fresh, unguessable id: whoever knows a paired screen's URL can watch it.
        device_id = f"screen-{secrets.token_urlsafe(9).replace('_', 'x').replace('-', 'y')}"
        return redirect(url_for("screens.screen", device_id=device_id), code=303)

    @screens.get("/<device_id>")
    def screen(device_id: str) -> BaseResponse | str | tuple[str, int]:
        device_id = checked(device_id)
        token = request.args.get("pair")
        if token is not None:
            customer_id = customer_from_token(ensure_secret_key(current_app), token)
            if customer_id is None:
                page = render_template(
                    "screen_bad_link.html", shop=settings.shop_name, text=requested_screen_text()
                )
                return page, 403
            link_screen(backend.uow(), device_id, customer_id)
            # A display linked with ?pair=…&locale=ko-KR stays in that language.
            locale = request.args.get("locale")
            return redirect(url_for("screens.screen", device_id=device_id, locale=locale), code=303)
        customer_id = household_of(backend.reader(), device_id)
        if customer_id is None:
            return _pairing_page(device_id)
        snapshot = take_snapshot(backend, device_id, customer_id)
        return render_template(
            "screen.html",
            shop=settings.shop_name,
            snapshot=snapshot,
            state=snapshot.as_json(),
            timezone=settings.timezone.key,
            text=requested_screen_text(),
        )

    def _pairing_page(device_id: str) -> str | tuple[str, int]:
        try:
            code = pairing_code(backend.uow(), device_id)
        except ScreenAlreadyPaired:  # paired between our two reads: show it
            return redirect(url_for("screens.screen", device_id=device_id), code=303)  # type: ignore[return-value]
        return render_template(
            "pairing.html",
            shop=settings.shop_name,
            text=requested_screen_text(),
            device_id=device_id,
            code=code,
            spoken_code=" ".join(code.code),
            minutes=max(1, round((code.expires_at - utcnow()).total_seconds() / 60)),
        )

    @screens.get("/<device_id>/events")
    def events(device_id: str) -> Response:
        device_id = checked(device_id)
        config = stream_settings()
        customer_id = household_of(backend.reader(), device_id)
        if customer_id is None:
            stream = _waiting(device_id, config)
        else:
            after = resume_point(request.headers.get("Last-Event-ID"), request.args.get("after"))
            if after is None:
                after = backend.hub.latest_id(customer_id)
            cursor = SettledCursor(backend.hub, customer_id, after, config.gap_grace_seconds)
            stream = household_stream(cursor, config)
        return Response(
            stream_with_context(stream),
            mimetype="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    def _waiting(device_id: str, config: StreamSettings):  # type: ignore[no-untyped-def]
        code = pairing_code(backend.uow(), device_id)
        seconds_left = (code.expires_at - utcnow()).total_seconds()
        return waiting_stream(
            lambda: household_of(backend.reader(), device_id) is not None,
            time.monotonic() + seconds_left,
            config,
        )

    return screens
