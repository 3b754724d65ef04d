"""GET /staff: open orders, oldest first, with buttons to move each one on."""

from __future__ import annotations

from flask import (
    Blueprint,
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
from backend.services.customers import find_by_device
from backend.services.orders import TRANSITIONS, advance_order, list_orders
from backend.services.views import OPEN_STATUSES
from skill.screens.pair_links import kiosk_screen_url
from skill.screens.secret_key import ensure_secret_key
from skill.screens.views import DEVICE_ID, add_security_headers
from skill.settings import SkillSettings
from skill.staff.auth import (
    STAFF_TOKEN_ENV,
    configured_token,
    csrf_token,
    is_logged_in,
    log_in,
    log_out,
    require_csrf,
    token_matches,
)

ACTION_LABELS = {
    OrderStatus.ACCEPTED: "Accept",
    OrderStatus.PREPARING: "Start preparing",
    OrderStatus.READY: "Ready for pickup",
    OrderStatus.OUT_FOR_DELIVERY: "Out for delivery",
    OrderStatus.COMPLETED: "Complete",
    OrderStatus.CANCELLED: "Cancel",
}
Page = BaseResponse | str | tuple[str, int]


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

    def orders_page(status: int = 200, error: str | None = None, link: str | None = None) -> Page:
        open_orders = list_orders(backend.reader(), statuses=OPEN_STATUSES, limit=200)
        open_orders.reverse()  # oldest first: the queue staff work through
        return page(
            "staff.html",
            status,
            orders=open_orders,
            actions={
                o.number: [(s.value, ACTION_LABELS[s]) for s in TRANSITIONS[o.status]]
                for o in open_orders
            },
            error=error,
            link=link,
        )

    @staff.post("/login")
    def login() -> Page:
        require_csrf()
        token = configured_token()
        assert token is not None
        if not token_matches(request.form.get("token", ""), token):
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
        screen_id = request.form.get("screen_id", "").strip() or f"{household_device}-display"
        try:
            customer = find_by_device(backend.reader(), household_device)
        except CustomerNotFound:
            return orders_page(404, error=f"No device '{household_device}' is registered.")
        if not DEVICE_ID.match(screen_id):
            return orders_page(400, error="Screen ids use letters, digits, '.', '_' and '-'.")
        url = kiosk_screen_url(
            request.host_url, ensure_secret_key(current_app), customer.id, screen_id
        )
        return orders_page(link=url)

    return staff
