"""Conversation analytics: a log of every turn and the numbers shops judge voice commerce by.

The backend knows turns only as facts (when, which session, what kind of request, how it ended);
the skill decides what those facts are. See `metrics` for the exact definitions.
"""
