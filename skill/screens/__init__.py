"""Companion screens: a household's cart and orders, live, on any browser."""

from skill.screens.views import screens_blueprint

__all__ = ["screens_blueprint"]
