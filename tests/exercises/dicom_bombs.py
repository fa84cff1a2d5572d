"""Hostile DICOM files in miniature, built as a stream so that building one costs no more
memory than the file itself: the attacks on the inspector, at sizes a test can afford."""

import io
import struct
import zlib
from collections.abc import Iterable

from pydicom.dataset import FileMetaDataset
from pydicom.filewriter import write_file_meta_info
from pydicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

MB = 1024 * 1024


def _head(syntax: str) -> bytes:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.99"
    meta.TransferSyntaxUID = syntax
    meta.ImplementationClassUID = "1.2.826.0.1.3680043.8.498.1"
    out = io.BytesIO(b"\0" * 128 + b"DICM")
    out.seek(132)
    write_file_meta_info(out, meta)
    return out.getvalue()


def _deflate(chunks: Iterable[bytes]) -> bytes:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return b"".join(deflater.compress(chunk) for chunk in chunks) + deflater.flush()


def deflated_ob_bomb(inflated_bytes: int) -> bytes:
    """The reported bomb: one private OB element of zeros, deflated (1 GB fits in 1 MB)."""
    header = struct.pack("<HH2sHL", 0x0009, 0x1010, b"OB", 0, inflated_bytes)
    zeros = b"\0" * MB
    chunks = [zeros] * (inflated_bytes // MB) + [b"\0" * (inflated_bytes % MB)]
    return _head(DeflatedExplicitVRLittleEndian) + _deflate([header, *chunks])


def _empty_elements(count: int) -> Iterable[bytes]:
    element = struct.pack("<HH2sH", 0x0009, 0x1010, b"LO", 0)  # 8 bytes, no value
    block = 100_000
    for _ in range(count // block):
        yield element * block
    yield element * (count % block)


def empty_elements(count: int, *, deflated: bool) -> bytes:
    """The reported flood: millions of empty elements (40 million deflate to 932 KB)."""
    if deflated:
        return _head(DeflatedExplicitVRLittleEndian) + _deflate(_empty_elements(count))
    return _head(ExplicitVRLittleEndian) + b"".join(_empty_elements(count))


def as_a_sequence(tag: int, count: int) -> bytes:
    """An attribute the inspector keeps (Rows, PixelData) forged as a defined-length
    sequence of one item holding `count` empty elements: reading its value parses them all."""
    item = b"".join(_empty_elements(count))
    item = struct.pack("<HHL", 0xFFFE, 0xE000, len(item)) + item
    forged = struct.pack("<HH2sHL", tag >> 16, tag & 0xFFFF, b"SQ", 0, len(item)) + item
    return _head(ExplicitVRLittleEndian) + forged


def long_window_centre(values: int) -> bytes:
    """WindowCenter (0028,1050) holding `values` numbers: each becomes a Python object."""
    value = b"\\".join([b"40"] * values)
    value += b" " * (len(value) % 2)
    # Implicit VR: a 4-byte length, and the dictionary's VR (DS), so pydicom converts it.
    centre = struct.pack("<HHL", 0x0028, 0x1050, len(value)) + value
    return _head(ImplicitVRLittleEndian) + centre


def long_character_set(terms: int) -> bytes:
    """SpecificCharacterSet (0008,0005) with `terms` unknown terms: pydicom converts it while
    reading, and logs a warning for each term."""
    value = b"\\".join([b"XX"] * terms)
    value += b" " * (len(value) % 2)
    charset = struct.pack("<HHL", 0x0008, 0x0005, len(value)) + value
    return _head(ImplicitVRLittleEndian) + charset
