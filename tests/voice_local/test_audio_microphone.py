import pytest

from voice_local.audio import AudioInputError, MicrophoneListener


def test_machine_without_an_input_device_gets_a_hint_to_use_a_file() -> None:
    import sounddevice

    if any(device["max_input_channels"] > 0 for device in sounddevice.query_devices()):
        pytest.skip("this machine has a microphone")
    with pytest.raises(AudioInputError, match=r"No microphone found.*--input file\.wav"):
        MicrophoneListener()
