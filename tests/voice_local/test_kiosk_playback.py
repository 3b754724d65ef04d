"""Spoken answers are played through PortAudio (sounddevice), with no `aplay` involved.

ALSA's `file` plugin stands in for a loudspeaker: the default output device writes what it plays
to a file, so the test hears (counts) what the kiosk played. A machine without any output device
gets a clear error and a non-zero exit instead of a silent kiosk.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

FILE_SPEAKER = """pcm.!default {{
    type file
    slave.pcm "null"
    file "{played}"
    format "raw"
}}
"""
NO_SPEAKER = """pcm.!default {
    type hw
    card 99
}
"""


def kiosk_with_alsa(home: Path, store_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    # ALSA reads ~/.asoundrc; PATH without /usr/bin's aplay proves it is not needed.
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "HOME": str(home), "VCOM_DATABASE_URL": store_url, "PATH": str(bin_dir)}
    return subprocess.run(
        [sys.executable, "-m", "vcom", "kiosk", "--no-announce", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_answers_are_played_on_the_default_output_device(tmp_path, say, seeded_sqlite_url):
    played = tmp_path / "played.raw"
    (tmp_path / ".asoundrc").write_text(FILE_SPEAKER.format(played=played))
    result = kiosk_with_alsa(
        tmp_path, seeded_sqlite_url, "--input", str(say("what is in my cart"))
    )
    assert result.returncode == 0, result.stderr
    assert "aplay" not in result.stderr
    # "Your cart is empty. You can say, for example: add two oat milks." is over 2 s of audio;
    # ALSA's default plug converts it to 16-bit stereo at 44.1 or 48 kHz (> 100 kB a second).
    assert played.stat().st_size > 2 * 100_000


def test_without_an_output_device_the_kiosk_says_so_and_fails(tmp_path, say, seeded_sqlite_url):
    (tmp_path / ".asoundrc").write_text(NO_SPEAKER)
    result = kiosk_with_alsa(
        tmp_path, seeded_sqlite_url, "--input", str(say("what is in my cart"))
    )
    assert result.returncode == 1
    assert "cannot play sound" in result.stderr and "--output DIR" in result.stderr
    assert "Traceback" not in result.stderr
