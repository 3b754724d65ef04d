"""The analytics dashboard. Signed-in staff (the /staff session) see it; so does a request with
`Authorization: Bearer <VCOM_STAFF_TOKEN>`, for scripts. Charts are inline SVG: no build, no CDN."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from backend.analytics.export import number, percent
from backend.analytics.metrics import conversation_report
from backend.analytics.window import BadWindow, parse_since
from backend.clock import utcnow
from backend.runtime import Backend
from skill.dashboard.charts import daily_chart, funnel_chart
from skill.screens.views import add_security_headers
from skill.settings import SkillSettings
from skill.staff.auth import (
    STAFF_TOKEN_ENV,
    TokenCheck,
    check_staff_token,
    configured_token,
    csrf_token,
    is_logged_in,
    log_in,
    require_csrf,
)

RANGES = ("24h", "7d", "30d", "90d")
DEFAULT_RANGE = "7d"
Page = BaseResponse | tuple[str, int] | tuple[str, int, dict[str, str]]


def _bearer(token: str) -> TokenCheck | None:
    """The check of an `Authorization: Bearer` header, or None when there is none."""
    given = request.headers.get("Authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return check_staff_token(value.strip(), token)


def dashboard_blueprint(backend: Backend, settings: SkillSettings) -> Blueprint:
    dashboard = Blueprint(
        "dashboard",
        __name__,
        url_prefix="/dashboard",
        template_folder="templates",
        static_folder="static",
        static_url_path="/static",
    )
    dashboard.after_request(add_security_headers)

    @dashboard.after_request
    def no_store(response: BaseResponse) -> BaseResponse:
        response.headers["Cache-Control"] = "no-store"
        return response

    def login_page(status: int, error: str | None = None, retry_after: int = 0) -> Page:
        html = render_template(
            "dashboard/login.html",
            shop=settings.shop_name,
            csrf_token=csrf_token(),
            error=error,
            since=request.values.get("since", DEFAULT_RANGE),
        )
        if retry_after:
            return html, status, {"Retry-After": str(retry_after)}
        return html, status

    @dashboard.get("")
    def show() -> Page:
        token = configured_token()
        if token is None:
            return render_template(
                "dashboard/unconfigured.html", shop=settings.shop_name, env=STAFF_TOKEN_ENV
            ), 503
        if not is_logged_in(token):
            bearer = _bearer(token)
            if bearer is not None and bearer.locked:
                return login_page(429, bearer.message, bearer.retry_after)
            if bearer is None or not bearer.ok:
                return login_page(401)
        since = request.args.get("since", DEFAULT_RANGE)
        error = None
        try:
            window = parse_since(since, utcnow())
        except BadWindow as bad:
            error, since = bad.message, DEFAULT_RANGE
            window = parse_since(since, utcnow())
        report = conversation_report(backend.reader(), window)
        return render_template(
            "dashboard/dashboard.html",
            shop=settings.shop_name,
            report=report,
            funnel=funnel_chart(report.funnel),
            daily=daily_chart(report.daily),
            since=since,
            ranges=RANGES,
            error=error,
            percent=percent,
            number=number,
        ), 400 if error else 200

    @dashboard.post("/login")
    def login() -> Page:
        require_csrf()
        token = configured_token()
        if token is None:
            return redirect(url_for("dashboard.show"), code=303)
        check = check_staff_token(request.form.get("token", ""), token)
        if check.locked:
            return login_page(429, check.message, check.retry_after)
        if not check.ok:
            return login_page(403, error="That staff token is not right.")
        log_in(token)  # the same session as /staff: one sign-in opens both
        since = request.form.get("since", DEFAULT_RANGE)
        return redirect(url_for("dashboard.show", since=since), code=303)

    return dashboard
