"""The Alexa interaction model: generated catalog slot types (build) and a linter (check)."""

from skill.interaction_model.build import InteractionModelJSON, build_model, write_model
from skill.interaction_model.check import check_model

__all__ = ["InteractionModelJSON", "build_model", "check_model", "write_model"]
