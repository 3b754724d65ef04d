"""Errors about audio input, worded so the person at the kiosk or terminal can act on them."""


class AudioInputError(RuntimeError):
    """The audio could not be read or holds no speech; the message says what to do."""
