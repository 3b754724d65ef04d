"""Playing speech on the machine's loudspeaker through PortAudio (sounddevice), not `aplay`.

pyttsx3's espeak driver plays by running `aplay`, which a fresh machine may not have (and whose
failure it ignores), so the kiosk synthesizes to a WAV file and plays that itself.
"""

from __future__ import annotations

from pathlib import Path

import soundfile

from voice_local.tts.speaker import TtsError

NO_PORTAUDIO = (
    "cannot play sound: PortAudio is missing ({reason}). On Debian/Ubuntu: "
    "`apt-get install libportaudio2`; or write the answers as WAV files with --output DIR"
)
NO_OUTPUT = (
    "cannot play sound: no audio output device ({reason}). Connect a loudspeaker, or write the "
    "answers as WAV files with --output DIR"
)


class PlaybackError(TtsError):
    """Speech could not be played: the message says what is missing and the way around it."""


def _sounddevice():  # type: ignore[no-untyped-def]
    try:
        import sounddevice
    except OSError as exc:  # the wheel loads libportaudio at import
        raise PlaybackError(NO_PORTAUDIO.format(reason=exc)) from exc
    return sounddevice


def check_output_device() -> str:
    """The default output device's name; PlaybackError when there is none."""
    sounddevice = _sounddevice()
    try:
        device = sounddevice.query_devices(kind="output")
    except (sounddevice.PortAudioError, ValueError) as exc:
        raise PlaybackError(NO_OUTPUT.format(reason=exc)) from exc
    return str(device["name"])


def play_wav(path: Path) -> None:
    """Plays the file to its end on the default output device."""
    sounddevice = _sounddevice()
    data, rate = soundfile.read(path, dtype="float32")
    try:
        sounddevice.play(data, rate)
        sounddevice.wait()
    except (sounddevice.PortAudioError, ValueError) as exc:
        raise PlaybackError(NO_OUTPUT.format(reason=exc)) from exc
