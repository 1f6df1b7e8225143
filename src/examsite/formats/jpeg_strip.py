"""Take the metadata out of a JPEG without touching its image data, and put it back.

A photo that already meets the platform's rules (a baseline JPEG of 295 × 413) is stored
as it came, minus what identifies the camera and the place: EXIF (with GPS), XMP,
Photoshop/IPTC blocks, comments, embedded thumbnails and any bytes after the end marker
(a phone's second picture). The compressed image data is copied byte for byte, so the
picture is exactly the one the check decoded, and nothing is lost to a re-encode.

What is kept: the segments a decoder needs (quantisation and Huffman tables, the frame
and scan headers, restart interval), the JFIF header, an ICC colour profile and Adobe's
colour-transform marker (both change how the pixels are read).

``strip_metadata`` also returns a *patch*: the removed bytes and where they were, so the
original file can be rebuilt exactly (``restore_original``) without storing it twice.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

_SOI = b"\xff\xd8"
_PATCH_MAGIC = b"JPX1"
_SPAN = struct.Struct(">II")  # position in the stripped file, length of the removed bytes

# Markers (the byte after 0xFF).
_SOF0 = 0xC0  # baseline DCT, Huffman: the only frame kind kept as it is
_DHT = 0xC4
_DQT = 0xDB
_DRI = 0xDD
_SOS = 0xDA
_EOI = 0xD9
_APP0 = 0xE0
_APP2 = 0xE2
_APP14 = 0xEE
_COM = 0xFE
_KEPT_TABLES = frozenset({_DHT, _DQT, _DRI})
_JFIF_LENGTH = 16  # an APP0 "JFIF" segment without a thumbnail


@dataclass(frozen=True)
class Stripped:
    """A JPEG without its metadata, and what it takes to rebuild the original.

    ``patch`` is empty when nothing was removed (``jpeg`` is then the original itself).
    """

    jpeg: bytes
    patch: bytes

    @property
    def unchanged(self) -> bool:
        return not self.patch


def strip_metadata(data: bytes) -> Stripped | None:
    """``data`` as a baseline JPEG without metadata, or None when it is not one this can
    vouch for (progressive, arithmetic-coded, 12-bit, a JFIF thumbnail, odd structure):
    the caller re-encodes those instead.

    Only the file's structure is read here; the caller has decoded it in full already.
    """
    if not data.startswith(_SOI):
        return None
    kept: list[bytes] = [_SOI]
    removed: list[tuple[int, bytes]] = []  # (position in the stripped file, bytes)
    out_size = 2
    pos = 2
    end = len(data)
    frames = 0
    scans = 0
    while True:
        if pos + 2 > end or data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == _EOI:
            if frames != 1 or scans == 0:
                return None
            kept.append(data[pos : pos + 2])
            if pos + 2 < end:  # bytes after the end: a second picture, padding, a trailer
                removed.append((out_size + 2, data[pos + 2 :]))
            break
        if pos + 4 > end:
            return None
        length = (data[pos + 2] << 8) | data[pos + 3]
        segment_end = pos + 2 + length
        if length < 2 or segment_end > end:
            return None
        segment = data[pos:segment_end]
        if marker == _SOS:
            if frames != 1:
                return None
            scans += 1
            segment_end = _entropy_end(data, segment_end)
            if segment_end < 0:
                return None
            segment = data[pos:segment_end]
        elif marker == _SOF0:
            frames += 1
        elif marker in _KEPT_TABLES:
            pass
        elif marker == _APP0:
            if segment[4:9] == b"JFIF\0":
                if length != _JFIF_LENGTH:
                    return None  # a JFIF thumbnail is metadata inside a needed header
            else:
                segment = b""  # JFXX (thumbnails) and other APP0 blocks
        elif marker == _APP2:
            if segment[4:16] != b"ICC_PROFILE\0":
                segment = b""  # MPF (a phone's index of its extra pictures), FlashPix …
        elif marker == _APP14:
            if segment[4:9] != b"Adobe":
                segment = b""
        elif 0xE1 <= marker <= 0xEF or marker == _COM:
            segment = b""  # EXIF, XMP, Photoshop/IPTC, other APPn, comments
        else:
            return None  # another frame kind (progressive, lossless, arithmetic …) or junk
        if segment:
            kept.append(segment)
            out_size += len(segment)
        elif removed and removed[-1][0] == out_size:
            at, previous = removed[-1]
            removed[-1] = (at, previous + data[pos:segment_end])
        else:
            removed.append((out_size, data[pos:segment_end]))
        pos = segment_end
    if not removed:
        return Stripped(data, b"")
    jpeg = b"".join(kept)
    patch = _PATCH_MAGIC + b"".join(_SPAN.pack(at, len(chunk)) + chunk for at, chunk in removed)
    if restore_original(jpeg, patch) != data:  # cheap, and the original must come back
        return None
    return Stripped(jpeg, patch)


# A marker inside compressed data: 0xFF followed by anything but a stuffed 0x00, a restart
# marker (0xD0–D7) or another 0xFF (fill bytes before the marker).
_MARKER_AFTER_DATA = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _entropy_end(data: bytes, pos: int) -> int:
    """Where the compressed data starting at ``pos`` ends: at the next marker. -1 when the
    file ends first."""
    found = _MARKER_AFTER_DATA.search(data, pos)
    return -1 if found is None else found.start()


def restore_original(jpeg: bytes, patch: bytes) -> bytes:
    """The original file from the stripped JPEG and its patch (``strip_metadata``)."""
    if not patch:
        return jpeg
    if not patch.startswith(_PATCH_MAGIC):
        raise ValueError("not a JPEG metadata patch")
    parts: list[bytes] = []
    done = 0
    pos = len(_PATCH_MAGIC)
    while pos < len(patch):
        at, length = _SPAN.unpack_from(patch, pos)
        pos += _SPAN.size
        if at < done or at > len(jpeg) or pos + length > len(patch):
            raise ValueError("damaged JPEG metadata patch")
        parts.append(jpeg[done:at])
        parts.append(patch[pos : pos + length])
        pos += length
        done = at
    parts.append(jpeg[done:])
    return b"".join(parts)
