"""The front page (links to the screens, the staff page and the dashboard) and the favicon."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from werkzeug.wrappers import Response

from skill.screens.views import add_security_headers
from skill.settings import SkillSettings

FAVICON = "favicon.svg"


def home_blueprint(settings: SkillSettings) -> Blueprint:
    home = Blueprint("home", __name__)
    home.after_request(add_security_headers)

    @home.get("/")
    def index() -> str:
        return render_template("home.html", shop=settings.shop_name)

    @home.get("/favicon.ico")
    def favicon() -> Response:
        # Browsers ask for /favicon.ico whatever the page says; an SVG answers them all.
        static = current_app.static_folder
        assert static is not None
        return send_from_directory(static, FAVICON, mimetype="image/svg+xml", max_age=86400)

    return home
