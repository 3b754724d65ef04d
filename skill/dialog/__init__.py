"""The conversation: what the skill is waiting for, and who answers it."""
