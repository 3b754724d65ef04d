"""Whisper (CTranslate2) behind the SpeechToText interface, its decoding guided by the grammar.

Whisper reads a whole utterance at once, so a stream cannot decode word by word as it is fed.
It keeps the audio and, when the customer pauses (240 ms of non-speech after speech, by
webrtcvad), decodes what it has so far. The endpointer waits 600 ms of silence before it ends
an utterance, so a decode begun at the pause is usually done by then: finish() reuses it when
no speech came after it. The stream reports what a live customer would wait for, decoding
that was still running at the endpoint included, as its finish_s.

Bounded cost: an utterance is capped at MAX_UTTERANCE_S (the endpointer's own cap); audio
after it is not kept, and every decode is three CTranslate2 calls on at most that much audio.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from voice_local.audio.clip import SAMPLE_RATE, Audio
from voice_local.stt.speech_grammar import SpeechGrammar
from voice_local.stt.transcript import (
    DecodeClock,
    StreamFinished,
    SttError,
    Transcript,
    transcribe_whole,
)
from voice_local.stt.whisper_decoder import Decoded, WhisperDecoder
from voice_local.stt.whisper_model import resolve_whisper_dir

MAX_UTTERANCE_S = 15.0
THREADS_ENV = "VCOM_WHISPER_THREADS"
_VAD_FRAME = SAMPLE_RATE * 30 // 1000
PAUSE_FRAMES = 8  # 240 ms of non-speech after speech: decode what was said so far
MIN_SPEECH_FRAMES = 8  # a shorter burst is not worth an early decode
_VAD_AGGRESSIVENESS = 3
# A frame within this factor of the noise floor's energy is a pause even when webrtcvad hears
# speech in it (noise at 12 and 6 dB SNR).
PAUSE_ENERGY = 2.0  # strict: noise must not look like speech that keeps going


class WhisperEngine:
    name = "whisper"

    def __init__(
        self, grammar: SpeechGrammar | None, stt_model: Path | None = None, *,
        threads: int | None = None,
    ) -> None:
        if threads is None:  # one per core, at most 2 (the cores of the machines measured)
            threads = int(os.environ.get(THREADS_ENV, min(2, os.cpu_count() or 1)))
        self.model_dir = resolve_whisper_dir(stt_model)
        self.grammar = grammar
        self.decoder = WhisperDecoder(self.model_dir, grammar, threads=threads)
        self.decode_at_pauses = True
        self.last: Decoded | None = None  # the last utterance's decoding, for diagnostics

    def open_stream(self) -> WhisperStream:
        return WhisperStream(self)

    def transcribe(self, audio: Audio) -> Transcript:
        if audio.sample_rate != SAMPLE_RATE:
            raise SttError(f"Whisper takes {SAMPLE_RATE} Hz audio, not {audio.sample_rate}")
        return transcribe_whole(self, audio)


class WhisperStream:
    def __init__(self, engine: WhisperEngine) -> None:
        import webrtcvad

        self._engine = engine
        self._vad = webrtcvad.Vad(_VAD_AGGRESSIVENESS)
        self._chunks: list[npt.NDArray[np.int16]] = []
        self._kept = 0  # samples kept (at most MAX_UTTERANCE_S worth)
        self._received = 0  # samples fed, kept or not
        self._pending = np.zeros(0, dtype=np.int16)  # not yet a whole VAD frame
        self._speech_frames = 0  # since the last early decode
        self._quiet_frames = 0  # in a row, at the end
        self._energies: list[float] = []  # per VAD frame, for the noise floor
        self._early: tuple[int, Decoded, float, float] | None = None  # samples, result, at, took
        self._clock = DecodeClock()
        self.finished = False

    def feed(self, samples: npt.NDArray[np.int16]) -> None:
        if self.finished:
            raise StreamFinished("this utterance is finished: open a new stream")
        self._received += len(samples)
        room = int(MAX_UTTERANCE_S * SAMPLE_RATE) - self._kept
        if room <= 0:
            return
        samples = samples[:room]
        self._chunks.append(samples)
        self._kept += len(samples)
        if not self._engine.decode_at_pauses:
            return
        self._pending = np.concatenate([self._pending, samples])
        while len(self._pending) >= _VAD_FRAME:
            frame, self._pending = self._pending[:_VAD_FRAME], self._pending[_VAD_FRAME:]
            energy = float(np.mean(np.square(frame.astype(np.float64))))
            self._energies.append(energy)
            if self._vad.is_speech(frame.astype("<i2").tobytes(), SAMPLE_RATE) and (
                energy > PAUSE_ENERGY * self._noise_floor()
            ):
                self._speech_frames += 1
                self._quiet_frames = 0
            else:
                self._quiet_frames += 1
                if self._quiet_frames == PAUSE_FRAMES and self._speech_frames >= MIN_SPEECH_FRAMES:
                    self._decode_early()

    def _noise_floor(self) -> float:
        """The quieter frames' energy: in steady noise webrtcvad calls everything speech, but
        a pause still falls to the level of the noise alone."""
        if len(self._energies) < MIN_SPEECH_FRAMES:
            return 0.0
        return float(np.percentile(self._energies, 20))

    @property
    def decoded_at_pause(self) -> bool:
        return self._early is not None

    def _decode_early(self) -> None:
        with self._clock:
            started = time.perf_counter()
            decoded = self._engine.decoder.decode(self._audio())
            took = time.perf_counter() - started
        self._early = (self._kept, decoded, self._kept / SAMPLE_RATE, took)
        self._speech_frames = 0

    def _audio(self) -> npt.NDArray[np.int16]:
        return np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.int16)

    def finish(self) -> Transcript:
        if self.finished:
            raise StreamFinished("this utterance is already finished")
        self.finished = True
        end_s = self._kept / SAMPLE_RATE
        backlog_s = 0.0
        with self._clock:
            if self._early is not None and self._speech_frames == 0:
                # Only non-speech since the early decode: it stands. Live, the audio after it
                # arrived in real time while it ran; what it still had to do is the wait.
                _samples, decoded, at_s, took_s = self._early
                backlog_s = max(0.0, at_s + took_s - end_s)
            elif self._kept < _VAD_FRAME:
                decoded = Decoded("", (), "no speech", "", 1.0, 0.0, 0)
            else:
                decoded = self._engine.decoder.decode(self._audio())
        self._engine.last = decoded
        note = ""
        if self._received > self._kept:
            note = (f"the utterance ran past {MAX_UTTERANCE_S:g} s; only its first "
                    f"{MAX_UTTERANCE_S:g} s were heard")
        elif not decoded.text:
            note = "no speech heard"
        self._chunks = []
        return Transcript(
            text=decoded.text, words=decoded.words, engine=self._engine.name,
            elapsed_s=self._clock.wall_s, finish_s=self._clock.last_wall_s + backlog_s,
            cpu_s=self._clock.cpu_s, note=note,
        )

    def cancel(self) -> None:
        self.finished = True
        self._chunks = []
