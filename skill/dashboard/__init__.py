"""GET /dashboard: conversation analytics, a funnel and a daily chart, behind the staff token."""

from skill.dashboard.views import dashboard_blueprint

__all__ = ["dashboard_blueprint"]
