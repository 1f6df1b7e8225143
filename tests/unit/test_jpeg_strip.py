"""Taking metadata out of a JPEG without touching its image data, and putting it back."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, ImageDraw

from examsite.formats.jpeg_strip import restore_original, strip_metadata


def picture() -> Image.Image:
    image = Image.new("RGB", (295, 413), (220, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((80, 60, 215, 250), fill=(230, 190, 160))
    draw.rectangle((30, 300, 265, 413), fill=(30, 30, 60))
    noise = Image.effect_noise(image.size, 40).convert("RGB")
    return Image.blend(image, noise, 0.2)  # noisy: plenty of 0xFF bytes in the data


def jpeg(image: Image.Image | None = None, **params) -> bytes:
    out = io.BytesIO()
    (image or picture()).save(out, "JPEG", quality=params.pop("quality", 90), **params)
    return out.getvalue()


def segment(marker: int, body: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(body) + 2) + body


def after_soi(data: bytes, *segments: bytes) -> bytes:
    return data[:2] + b"".join(segments) + data[2:]


def markers(data: bytes) -> list[int]:
    """The markers before the image data."""
    found = []
    pos = 2
    while data[pos] == 0xFF and data[pos + 1] != 0xDA:
        found.append(data[pos + 1])
        pos += 2 + struct.unpack_from(">H", data, pos + 2)[0]
    return found


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 0.0)}
    return exif.tobytes()


def test_a_plain_jpeg_is_kept_as_it_is():
    data = jpeg()
    stripped = strip_metadata(data)
    assert stripped is not None
    assert stripped.jpeg is data and stripped.patch == b"" and stripped.unchanged
    assert restore_original(stripped.jpeg, stripped.patch) == data


def test_metadata_goes_the_image_data_stays_and_the_original_comes_back():
    photoshop = segment(0xED, b"Photoshop 3.0\x008BIM" + b"\x04\x04" + b"iptc" * 50)
    data = (
        after_soi(
            jpeg(exif=gps_exif(), comment=b"studio", xmp=b"<x:xmpmeta>where</x:xmpmeta>"),
            photoshop,
        )
        + b"trailer after the end marker"
    )
    stripped = strip_metadata(data)
    assert stripped is not None and not stripped.unchanged
    assert markers(stripped.jpeg) == [0xE0, 0xDB, 0xDB, 0xC0, 0xC4, 0xC4, 0xC4, 0xC4]
    assert stripped.jpeg.endswith(b"\xff\xd9")
    for secret in (b"PhoneMaker", b"studio", b"where", b"8BIM", b"trailer"):
        assert secret not in stripped.jpeg
    with Image.open(io.BytesIO(stripped.jpeg)) as image:
        assert not image.getexif() and "comment" not in image.info
    assert pixels(stripped.jpeg) == pixels(data)
    assert restore_original(stripped.jpeg, stripped.patch) == data
    # the image data itself is the original's, byte for byte
    sos = data.index(b"\xff\xda")
    assert data[sos : data.index(b"\xff\xd9", sos) + 2] in stripped.jpeg


def test_colour_profile_and_adobe_marker_are_kept():
    profile = b"an RGB profile, as Pillow carries any bytes"
    data = after_soi(jpeg(icc_profile=profile), segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01"))
    stripped = strip_metadata(data)
    assert stripped is not None and stripped.jpeg is data
    with Image.open(io.BytesIO(stripped.jpeg)) as image:
        assert image.info["icc_profile"] == profile


def test_a_phones_second_picture_is_cut_off():
    first = jpeg(exif=gps_exif())
    mpf = segment(0xE2, b"MPF\x00" + b"\x00" * 40)
    data = after_soi(first, mpf) + jpeg(picture().resize((100, 140)))
    stripped = strip_metadata(data)
    assert stripped is not None
    assert stripped.jpeg.count(b"\xff\xd8") == 1 and b"MPF" not in stripped.jpeg
    assert pixels(stripped.jpeg) == pixels(first)
    assert restore_original(stripped.jpeg, stripped.patch) == data


def test_restart_markers_in_the_data_are_walked_over():
    data = jpeg(exif=gps_exif(), restart_marker_blocks=2)
    assert markers(data).count(0xDD) == 1
    stripped = strip_metadata(data)
    assert stripped is not None
    assert pixels(stripped.jpeg) == pixels(data)
    assert restore_original(stripped.jpeg, stripped.patch) == data


@pytest.mark.parametrize(
    "data",
    [
        jpeg(progressive=True),
        jpeg()[:-2],  # no end marker
        jpeg()[:3000],  # cut off inside the data
        b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
        b"\xff\xd8\xff\xd9",  # no frame at all
        after_soi(
            jpeg(), segment(0xE0, b"JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x02\x02" + b"\0" * 12)
        ),
    ],
    ids=["progressive", "no-eoi", "truncated", "png", "empty", "jfif-thumbnail"],
)
def test_what_it_cannot_vouch_for_is_left_to_a_re_encode(data):
    assert strip_metadata(data) is None


def test_a_damaged_patch_is_refused():
    with pytest.raises(ValueError):
        restore_original(b"\xff\xd8\xff\xd9", b"nonsense")
    with pytest.raises(ValueError):
        restore_original(b"\xff\xd8\xff\xd9", b"JPX1" + struct.pack(">II", 99, 1) + b"x")
