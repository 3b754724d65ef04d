"""GET /staff: open orders, oldest first, with buttons to move each one on; live over SSE.

The page listens to /staff/events (every household's order events; served on the event loop by
skill.screens.events_app, like the screens' streams, never from these threads) and reloads its
list from /staff/orders when an order is placed or moves on.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from backend.errors import CustomerNotFound, InvalidTransition, OrderNotFound
from backend.persistence.models import OrderStatus
from backend.runtime import Backend
from backend.services import walk_ins
from backend.services.customers import find_by_device
from backend.services.orders import advance_order
from skill.screens.pair_links import (
    DEFAULT_LIFETIME,
    LINK_LIFETIMES,
    PairLink,
    kiosk_screen_url,
    new_screen_id,
)
from skill.screens.secret_key import ensure_secret_key
from skill.screens.views import add_security_headers, valid_device_id
from skill.settings import SkillSettings
from skill.staff.auth import (
    STAFF_TOKEN_ENV,
    check_staff_token,
    configured_token,
    csrf_token,
    is_logged_in,
    log_in,
    log_out,
    require_csrf,
)
from skill.staff.board import board

Page = BaseResponse | str | tuple[str, int] | tuple[str, int, dict[str, str]]
# Served by skill.screens.events_app on the event loop, not by this blueprint.
EVENTS_PATH = "/staff/events"
LIFETIME_LABELS = {"1h": "1 hour", "24h": "1 day", "30d": "30 days", "365d": "1 year"}


def staff_blueprint(backend: Backend, settings: SkillSettings) -> Blueprint:
    staff = Blueprint("staff", __name__, url_prefix="/staff")
    staff.after_request(add_security_headers)

    @staff.after_request
    def no_store(response: BaseResponse) -> BaseResponse:
        response.headers["Cache-Control"] = "no-store"
        return response

    @staff.before_request
    def needs_configured_token() -> Page | None:
        if configured_token() is None:
            return render_template(
                "staff_unconfigured.html", shop=settings.shop_name, env=STAFF_TOKEN_ENV
            ), 503
        return None

    def page(template: str, status: int = 200, **values: object) -> tuple[str, int]:
        values.setdefault("shop", settings.shop_name)
        return render_template(template, csrf_token=csrf_token(), **values), status

    @staff.get("")
    def orders() -> Page:
        token = configured_token()
        assert token is not None
        if not is_logged_in(token):
            return page("staff_login.html")
        return orders_page()

    def orders_page(
        status: int = 200,
        error: str | None = None,
        link: str | None = None,
        link_screen: str | None = None,
        link_valid_for: str | None = None,
    ) -> Page:
        return page(
            "staff.html",
            status,
            orders=board(backend, settings.timezone),
            timezone=settings.timezone.key,
            after=backend.hub.latest_id(),
            events_url=request.script_root + EVENTS_PATH,
            error=error,
            link=link,
            link_screen=link_screen,
            link_valid_for=link_valid_for,
            link_lifetimes=[(key, LIFETIME_LABELS[key]) for key in LINK_LIFETIMES],
        )

    @staff.get("/orders")
    def orders_fragment() -> Page:
        """The list alone, for the page to swap in when the event stream says it changed."""
        if not signed_in():
            abort(403)
        orders = board(backend, settings.timezone)
        return page("staff_orders.html", orders=orders, timezone=settings.timezone.key)

    @staff.post("/login")
    def login() -> Page:
        require_csrf()
        token = configured_token()
        assert token is not None
        check = check_staff_token(request.form.get("token", ""), token)
        if check.locked:
            locked = page("staff_login.html", 429, error=check.message)
            return locked[0], locked[1], {"Retry-After": str(check.retry_after)}
        if not check.ok:
            return page("staff_login.html", 403, error="That staff token is not right.")
        log_in(token)
        return redirect(url_for("staff.orders"), code=303)

    @staff.post("/logout")
    def logout() -> Page:
        require_csrf()
        log_out()
        return redirect(url_for("staff.orders"), code=303)

    def signed_in() -> bool:
        token = configured_token()
        return token is not None and is_logged_in(token)

    @staff.post("/orders/<number>/status")
    def move_on(number: str) -> Page:
        require_csrf()
        if not signed_in():
            return page("staff_login.html", 403, error="Sign in first.")
        try:
            target = OrderStatus(request.form.get("status", ""))
        except ValueError:
            return orders_page(400, error="Choose one of the buttons to change an order.")
        try:
            advance_order(backend.uow(), number, target, note="staff")
        except InvalidTransition as refused:
            return orders_page(409, error=refused.message)
        except OrderNotFound as missing:
            return orders_page(404, error=missing.message)
        return redirect(url_for("staff.orders"), code=303)

    @staff.post("/screen-link")
    def screen_link() -> Page:
        """A kiosk pairing URL for the household of a device (e.g. kiosk-1)."""
        require_csrf()
        if not signed_in():
            return page("staff_login.html", 403, error="Sign in first.")
        household_device = request.form.get("household_device", "").strip()
        # No default derived from the device's name: a guessable screen id is a target.
        screen_id = request.form.get("screen_id", "").strip() or new_screen_id()
        valid_for = request.form.get("valid_for", DEFAULT_LIFETIME)
        if not valid_device_id(screen_id):
            return orders_page(400, error="Screen ids use letters, digits, '.', '_' and '-'.")
        if valid_for not in LINK_LIFETIMES:
            return orders_page(400, error="Choose how long the link stays valid.")
        try:
            customer_id = find_by_device(backend.reader(), household_device).id
        except CustomerNotFound:
            # A kiosk serving walk-ins: its display follows whoever is at the kiosk.
            customer_id = walk_ins.current_customer(backend.reader(), household_device)
            if customer_id is None and valid_device_id(household_device):
                customer_id = walk_ins.start_walk_in(
                    backend.uow(), household_device, pickup_store=settings.shop_name
                ).customer.id
        if customer_id is None:
            return orders_page(404, error=f"No device '{household_device}' is registered.")
        url = kiosk_screen_url(
            request.host_url,
            ensure_secret_key(current_app),
            PairLink(customer_id, screen_id, LINK_LIFETIMES[valid_for]),
        )
        return orders_page(
            link=url, link_screen=screen_id, link_valid_for=LIFETIME_LABELS[valid_for]
        )

    return staff
