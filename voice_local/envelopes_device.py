"""The kiosk as an Alexa device: its id, a screen, and an account id of its own."""

from skill.envelopes import Device


def kiosk_device(device_id: str, locale: str, *, has_screen: bool = True) -> Device:
    return Device(
        device_id=device_id, user_id=f"local:{device_id}", has_screen=has_screen, locale=locale
    )
