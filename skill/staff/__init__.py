"""The staff view: open orders and the buttons that move them on, behind a staff token."""

from skill.staff.views import staff_blueprint

__all__ = ["staff_blueprint"]
