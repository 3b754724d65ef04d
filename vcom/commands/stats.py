"""`vcom stats`: conversation analytics from the turn log, as a table or as JSON."""

from __future__ import annotations

import json

import click

from backend.analytics.export import number, percent, report_json
from backend.analytics.metrics import ConversationReport, conversation_report
from backend.analytics.window import BadWindow, parse_since
from backend.clock import utcnow
from backend.runtime import open_backend


@click.command(
    help="Conversion, cart abandonment, goal completion, turns to order, response time and "
    "fallback rate, from the log of every conversation turn."
)
@click.option(
    "--since",
    default="7d",
    show_default=True,
    help="How far back: 7d, 24h, 90m, or a UTC date or time such as 2026-11-01.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def stats(since: str, as_json: bool) -> None:
    try:
        window = parse_since(since, utcnow())
    except BadWindow as error:
        raise click.BadParameter(error.message, param_hint="--since") from error
    report = conversation_report(open_backend().reader(), window)
    if as_json:
        click.echo(json.dumps(report_json(report), indent=2))
    else:
        click.echo(render(report))


def render(report: ConversationReport) -> str:
    w = report.window
    conversion, abandonment, fallback = report.conversion, report.cart_abandonment, report.fallback
    funnel = report.funnel
    response = number(report.average_response_ms, 0)
    lines = [
        f"Conversations {w.since:%Y-%m-%d %H:%M} – {w.until:%Y-%m-%d %H:%M} UTC",
        "",
        f"  {'Sessions':<28}{report.sessions:>8}   ({report.turns} turns)",
        f"  {'Conversion rate':<28}{percent(conversion):>8}   "
        f"({conversion.numerator} of {conversion.denominator} sessions placed an order)",
        f"  {'Cart abandonment':<28}{percent(abandonment):>8}   "
        f"({abandonment.numerator} of {abandonment.denominator} sessions that added to the cart "
        "ordered nothing)",
        f"  {'Average turns to an order':<28}{number(report.average_turns_to_order):>8}",
        f"  {'Average response time':<28}{response + ' ms':>8}",
        f"  {'Fallback rate':<28}{percent(fallback):>8}   "
        f"({fallback.numerator} of {fallback.denominator} turns not understood)",
        "",
        f"  Funnel: {funnel.sessions} sessions → {funnel.cart} with a cart → "
        f"{funnel.confirmation} asked to confirm → {funnel.order} ordered",
        "",
        "  Goal completion by intent",
    ]
    if not report.goal_completion:
        lines.append("    (no turns)")
    for goal in report.goal_completion:
        done = goal.completed
        lines.append(
            f"    {printable(goal.intent):<30}{percent(done):>8}   "
            f"({done.numerator} of {done.denominator})"
        )
    lines += ["", "  Day (UTC)       sessions  orders"]
    lines += [f"  {d.day:%Y-%m-%d}  {d.sessions:>10}  {d.orders:>6}" for d in report.daily]
    return "\n".join(lines)


def printable(text: str) -> str:
    """Intent names come from requests: control characters (terminal escapes, new lines, bidi
    overrides) are shown escaped, never sent to the terminal."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )
