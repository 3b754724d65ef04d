"""`vcom simulate`: type or speak as a customer, see what the skill understood, said and showed;
replay dialog scripts as regression tests."""

from voice_local.simulator.devices import DEFAULT_PRESET, PRESETS, DevicePreset, simulated_device
from voice_local.simulator.endpoint import EndpointError, endpoint_url, http_transport
from voice_local.simulator.replay import (
    Expectation,
    Mismatch,
    ReplayFileError,
    ReplayScript,
    check_turn,
    load_replay,
)
from voice_local.simulator.runner import ReplayOutcome, run_interactive, run_replay
from voice_local.simulator.session import SimulatorSession, is_launch_phrase
from voice_local.simulator.turns import ScreenSummary, SimulatedTurn, StageTimings

__all__ = [
    "DEFAULT_PRESET",
    "PRESETS",
    "DevicePreset",
    "EndpointError",
    "Expectation",
    "Mismatch",
    "ReplayFileError",
    "ReplayOutcome",
    "ReplayScript",
    "ScreenSummary",
    "SimulatedTurn",
    "SimulatorSession",
    "StageTimings",
    "check_turn",
    "endpoint_url",
    "http_transport",
    "is_launch_phrase",
    "load_replay",
    "run_interactive",
    "run_replay",
    "simulated_device",
]
