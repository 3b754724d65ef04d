"""The devices a developer can pretend to speak to: what each one tells the skill about itself."""

from __future__ import annotations

from dataclasses import dataclass, replace

from skill.envelopes import Device

# One simulated Alexa account, so an Echo Show and an Echo Dot share a household, as they would
# in one home. The kiosk is the demo household's own device from `vcom db seed`.
SIMULATED_ACCOUNT = "amzn1.ask.account.vcom-simulator"


@dataclass(frozen=True)
class DevicePreset:
    name: str
    description: str
    device: Device


PRESETS: dict[str, DevicePreset] = {
    preset.name: preset
    for preset in (
        DevicePreset(
            "echo-show",
            "an Echo with a screen: APL documents are rendered",
            Device("sim-echo-show", SIMULATED_ACCOUNT, has_screen=True),
        ),
        DevicePreset(
            "echo-dot",
            "a headless Echo: no APL, cards only in the Alexa app",
            Device("sim-echo-dot", SIMULATED_ACCOUNT, has_screen=False),
        ),
        DevicePreset(
            "kiosk",
            "the shop's kiosk (device kiosk-1 of the demo household), with a screen",
            Device("kiosk-1", "local:kiosk-1", has_screen=True),
        ),
    )
}
DEFAULT_PRESET = "echo-show"


def simulated_device(
    preset: str, locale: str, device_id: str | None = None, application_id: str | None = None
) -> Device:
    """The preset's device speaking `locale`; `device_id` pretends to be another device.
    `application_id`: the skill id the skill checks requests against (VCOM_SKILL_ID), if any."""
    try:
        device = PRESETS[preset].device
    except KeyError:
        raise ValueError(f"unknown device {preset!r}; choose one of {', '.join(PRESETS)}") from None
    device = replace(device, locale=locale, device_id=device_id or device.device_id)
    return replace(device, application_id=application_id) if application_id else device
