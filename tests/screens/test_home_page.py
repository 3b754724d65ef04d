"""GET / links the screens, the staff page and the dashboard; every page has a favicon."""

from __future__ import annotations

import re

import pytest
from flask import Flask

PAGES = ["/", "/screens/", "/staff", "/dashboard"]


def test_the_front_page_links_the_screens_the_staff_page_and_the_dashboard(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 200
    links = re.findall(r'<a href="([^"]+)"', page.get_data(as_text=True))
    assert links == ["/screens/", "/staff", "/dashboard"]
    for link in links:
        assert client.get(link).status_code < 500


@pytest.mark.parametrize("path", PAGES)
def test_every_page_names_a_favicon_that_is_served(app: Flask, path: str) -> None:
    client = app.test_client()
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
    assert icon is not None, html[:300]
    served = client.get(icon.group(1))
    assert served.status_code == 200
    assert served.mimetype == "image/svg+xml"


def test_browsers_asking_for_favicon_ico_get_the_icon(app: Flask) -> None:
    served = app.test_client().get("/favicon.ico")
    assert served.status_code == 200
    assert served.mimetype == "image/svg+xml"
    assert served.get_data().startswith(b"<svg")
