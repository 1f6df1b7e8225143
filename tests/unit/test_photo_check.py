"""check_photo and check_many on photos the tests draw themselves."""

from __future__ import annotations

import io
import struct
import zlib
from types import MappingProxyType

import photo_makers as mk
import pytest
from photo_makers import flat, person, radial, vertical
from PIL import Image, ImageDraw, ImageFile

from examsite.domain.photo_spec import BACKGROUND_REJECTIONS, Background, PhotoCode, Verdict
from examsite.errors import Cancelled
from examsite.formats import photo_check
from examsite.formats.jpeg_strip import restore_original
from examsite.formats.photo_check import (
    INLINE_BELOW,
    MAX_INPUT_BYTES,
    PhotoResult,
    check_many,
    check_photo,
)
from examsite.messages import render
from examsite.progress import Progress

RED = (220, 0, 0)
DARK_RED = (140, 20, 25)
ORANGE_RED = (230, 60, 20)
PINK = (255, 180, 190)
GREY = (128, 128, 128)
BLUE = (67, 142, 219)
WHITE = (250, 250, 250)
SHIRT = (30, 30, 60)


def portrait(size=(295, 413), bg=RED) -> Image.Image:
    """A face-ish ID photo: a coloured canvas, an oval head and dark shoulders at the bottom."""
    w, h = size
    im = Image.new("RGB", size, bg)
    draw = ImageDraw.Draw(im)
    draw.ellipse((w * 0.3, h * 0.15, w * 0.7, h * 0.6), fill=(230, 190, 160))
    draw.ellipse((w * 0.4, h * 0.3, w * 0.45, h * 0.34), fill=(40, 30, 30))
    draw.ellipse((w * 0.55, h * 0.3, w * 0.6, h * 0.34), fill=(40, 30, 30))
    draw.rectangle((w * 0.1, h * 0.72, w * 0.9, h), fill=SHIRT)
    return im


def encode(im: Image.Image, fmt="JPEG", **params) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **params)
    return out.getvalue()


def photo(size=(295, 413), bg=RED, fmt="JPEG", **params) -> bytes:
    return encode(portrait(size, bg), fmt, **params)


def codes(result: PhotoResult) -> list[str]:
    return [p.code for p in result.problems]


def decoded(result: PhotoResult) -> Image.Image:
    assert result.fixed_jpeg is not None
    im = Image.open(io.BytesIO(result.fixed_jpeg))
    assert im.format == "JPEG"
    im.load()
    return im


def assert_red_top_dark_bottom(im: Image.Image) -> None:
    """Upright: the red background at the top, the shirt at the bottom."""
    r, g, b = im.convert("RGB").getpixel((im.width // 2, 5))
    assert r > 150 and g < 80 and b < 80
    r, g, b = im.convert("RGB").getpixel((im.width // 2, im.height - 5))
    assert r < 80 and g < 80 and b < 100


# --- photos that pass -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_exact_red_photo_passes(fmt):
    data = photo(fmt=fmt)
    result = check_photo(data, fix=False)
    assert result.verdict is Verdict.PASS
    assert result.problems == ()
    assert (result.width, result.height, result.format) == (295, 413, fmt)
    assert result.background is Background.RED
    assert result.original_size == len(data)
    assert result.fixable is False
    assert result.accepted
    stored = decoded(result)
    assert stored.size == (295, 413)
    assert_red_top_dark_bottom(stored)
    assert len(result.fixed_jpeg) < 200_000


def test_fix_on_a_good_photo_changes_nothing_and_says_pass():
    result = check_photo(photo(), fix=True)
    assert result.verdict is Verdict.PASS
    assert result.problems == ()


def test_stored_copy_has_no_exif_metadata():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2024:05:01 10:00:00"  # DateTime
    data = photo(exif=exif.tobytes(), comment=b"secret")
    assert Image.open(io.BytesIO(data)).getexif()
    result = check_photo(data, fix=False)
    stored = decoded(result)
    assert not stored.getexif()
    assert "comment" not in stored.info


# --- backgrounds ------------------------------------------------------------------------


@pytest.mark.parametrize("bg", [RED, ORANGE_RED], ids=["red", "orange-red"])
def test_red_shades_pass(bg):
    result = check_photo(photo(bg=bg), fix=True)
    assert result.verdict is Verdict.PASS
    assert result.background is Background.RED


@pytest.mark.parametrize(
    ("bg", "background", "code"),
    [
        (BLUE, Background.BLUE, PhotoCode.BACKGROUND_BLUE),
        (WHITE, Background.WHITE, PhotoCode.BACKGROUND_WHITE),
    ],
)
def test_blue_and_white_are_rejected_even_with_fix(bg, background, code):
    for fix in (False, True):
        result = check_photo(photo(bg=bg), fix=fix)
        assert result.verdict is Verdict.REJECTED
        assert result.background is background
        assert codes(result) == [code]
        assert result.fixable is False
        assert result.fixed_jpeg is None


def test_pink_is_held_for_review_and_grey_is_rejected_as_grey():
    pink = check_photo(photo(bg=PINK), fix=False)
    assert pink.background is Background.UNCLEAR
    assert codes(pink) == [PhotoCode.BACKGROUND_UNCLEAR]
    assert pink.problems[0].level.value == "warning"
    # a warning does not keep the photo out, but a person must look at it (需复核)
    assert pink.verdict is Verdict.REVIEW
    assert pink.fixed_jpeg is not None
    grey = check_photo(photo(bg=GREY), fix=True)
    assert grey.verdict is Verdict.REJECTED
    assert grey.background is Background.GREY
    assert codes(grey) == [PhotoCode.BACKGROUND_GREY]


def test_hair_to_the_top_edge_does_not_hide_a_red_background():
    im = portrait()
    ImageDraw.Draw(im).rectangle((100, 0, 195, 60), fill=(20, 15, 15))  # tall dark hair
    result = check_photo(encode(im), fix=False)
    assert result.background is Background.RED


# Generated ID photos of each kind (photo_makers), as ID-photo generators and studios make
# them: the background the check must name, and the verdict.
BACKGROUND_CASES = {
    "red": (person(flat(mk.RED)), Background.RED),
    "generator red": (person(flat(mk.GENERATOR_RED)), Background.RED),
    "studio red": (person(flat(mk.STUDIO_RED)), Background.RED),
    "dark red": (person(flat(mk.DARK_RED)), Background.UNCLEAR),
    "orange-red": (person(flat(mk.ORANGE_RED)), Background.RED),
    "red, hair to the top edge": (person(flat(mk.RED), hair_to_top=True), Background.RED),
    "red, big head and hair to the top": (
        person(flat(mk.RED), hair_to_top=True, big_head=True),
        Background.RED,
    ),
    "red, brown hair to the top edge": (
        person(flat(mk.RED), hair_to_top=True, big_head=True, hair=mk.BROWN_HAIR),
        Background.RED,
    ),
    "red, white shirt": (person(flat(mk.RED), clothes=mk.WHITE_SHIRT), Background.RED),
    "red fading to light red": (person(radial(mk.RED, (255, 120, 120))), Background.RED),
    "maroon": (person(flat(mk.MAROON)), Background.UNCLEAR),
    "orange": (person(flat(mk.ORANGE)), Background.UNCLEAR),
    "pink": (person(flat(mk.PINK)), Background.UNCLEAR),
    "light blue": (person(flat(mk.LIGHT_BLUE)), Background.BLUE),
    "ID blue": (person(flat(mk.ID_BLUE)), Background.BLUE),
    "ID blue, hair to the top edge": (
        person(flat(mk.ID_BLUE), hair_to_top=True, big_head=True),
        Background.BLUE,
    ),
    "sky blue to white": (person(vertical(mk.SKY_BLUE, mk.NEAR_WHITE, until=0.6)), Background.BLUE),
    "blue to white, hair to the top edge": (
        person(vertical(mk.ID_BLUE, mk.NEAR_WHITE, until=0.5), hair_to_top=True),
        Background.BLUE,
    ),
    "blue to white, fast": (
        person(vertical(mk.ID_BLUE, mk.NEAR_WHITE, until=0.2)),
        Background.BLUE_WHITE,
    ),
    "radial blue": (person(radial(mk.ID_BLUE, mk.NEAR_WHITE)), Background.BLUE),
    "white, brown hair to the top edge": (
        person(flat(mk.WHITE), hair_to_top=True, big_head=True, hair=mk.BROWN_HAIR),
        Background.WHITE,
    ),
    "white": (person(flat(mk.WHITE)), Background.WHITE),
    "grey": (person(flat(mk.GREY)), Background.GREY),
    "light grey": (person(flat(mk.LIGHT_GREY)), Background.GREY),
    "black": (person(flat(mk.BLACK)), Background.DARK),
    "green": (person(flat(mk.GREEN)), Background.GREEN),
}


@pytest.mark.parametrize(("image", "expected"), BACKGROUND_CASES.values(), ids=BACKGROUND_CASES)
def test_generated_backgrounds(image, expected):
    for data in (mk.jpeg(image), mk.jpeg(image, quality=70, subsampling=2)):
        result = check_photo(data, fix=True)
        assert result.background is expected
        if result.background is Background.RED:
            assert result.verdict is Verdict.PASS and result.problems == ()
        elif result.background is Background.UNCLEAR:
            assert result.verdict is Verdict.REVIEW
            assert codes(result) == [PhotoCode.BACKGROUND_UNCLEAR]
        else:
            # no red in the border: rejected, the colour named, retake on red
            assert result.verdict is Verdict.REJECTED
            assert codes(result) == [BACKGROUND_REJECTIONS[result.background]]
            assert "红色背景前" in render(result.problems[0])
            assert result.fixed_jpeg is None and not result.fixable


def test_a_grey_png_is_called_grey_not_white():
    result = check_photo(mk.png(person(flat(mk.GREY))), fix=True)
    assert result.background is Background.GREY
    assert codes(result) == [PhotoCode.BACKGROUND_GREY]
    assert "白" not in render(result.problems[0])


def test_the_border_samples_leave_the_face_and_the_shirt_out():
    image = person(flat(mk.RED), clothes=mk.WHITE_SHIRT)
    samples = photo_check.border_samples(image)
    assert len(samples) == 84
    assert all(r > 150 and g < 60 and b < 60 for r, g, b in samples)


# --- sideways phone photo ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sideways_phone_jpeg() -> bytes:
    """A 2950 × 4130 portrait stored as 4130 × 2950 with EXIF Orientation=6 (turn right)."""
    upright = portrait((2950, 4130))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # what the sensor wrote
    assert stored.size == (4130, 2950)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {2: (39.0, 54.0, 0.0)}  # GPS, which must not survive
    return encode(stored, quality=85, exif=exif.tobytes())


def test_sideways_phone_photo_is_rejected_without_fix(sideways_phone_jpeg):
    result = check_photo(sideways_phone_jpeg, fix=False)
    assert result.verdict is Verdict.REJECTED
    assert result.fixable is True
    assert (result.width, result.height) == (4130, 2950)  # as stored
    assert codes(result) == [PhotoCode.EXIF_ROTATED, PhotoCode.WRONG_PIXELS]
    assert all(p.params["fixable"] is True for p in result.problems)
    # judged upright: the right shape and a red background, not a landscape picture
    assert result.problems[1].params["width"] == 2950
    assert result.background is Background.RED
    assert result.fixed_jpeg is None


def test_sideways_phone_photo_is_turned_and_scaled_with_fix(sideways_phone_jpeg):
    result = check_photo(sideways_phone_jpeg, fix=True)
    assert result.verdict is Verdict.FIXED
    assert codes(result) == [PhotoCode.FIXED_ROTATED, PhotoCode.FIXED_RESIZED]
    assert all(p.level.value == "notice" for p in result.problems)
    stored = decoded(result)
    assert stored.size == (295, 413)
    assert_red_top_dark_bottom(stored)
    assert not stored.getexif()


def test_large_jpeg_is_decoded_at_reduced_scale(sideways_phone_jpeg, monkeypatch):
    sizes = []
    original = photo_check.Image.Image.resize

    def spy(self, size, *args, **kwargs):
        sizes.append(self.size)
        return original(self, size, *args, **kwargs)

    monkeypatch.setattr(photo_check.Image.Image, "resize", spy)
    check_photo(sideways_phone_jpeg, fix=True)
    # draft() decoded at 1/8 scale (369 × 517 upright), never the full 2950 × 4130
    assert max(w * h for w, h in sizes) < 2950 * 4130 // 16


# --- fixable problems -------------------------------------------------------------------


def test_cmyk_jpeg_is_converted_with_fix():
    data = encode(portrait().convert("CMYK"))
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    rejected = check_photo(data, fix=False)
    assert rejected.verdict is Verdict.REJECTED
    assert codes(rejected) == [PhotoCode.CMYK]
    assert rejected.fixable
    fixed = check_photo(data, fix=True)
    assert fixed.verdict is Verdict.FIXED
    assert codes(fixed) == [PhotoCode.FIXED_CMYK]
    stored = decoded(fixed)
    assert stored.mode == "RGB"
    assert_red_top_dark_bottom(stored)


def test_colour_profile_kept_for_rgb_dropped_for_cmyk():
    profile = b"not really a profile, but Pillow carries any bytes"
    rgb = check_photo(encode(portrait(), icc_profile=profile), fix=False)
    assert decoded(rgb).info.get("icc_profile") == profile
    cmyk = check_photo(encode(portrait().convert("CMYK"), icc_profile=profile), fix=True)
    assert cmyk.verdict is Verdict.FIXED
    assert "icc_profile" not in decoded(cmyk).info


def test_portrait_of_the_right_shape_is_scaled_down():
    data = photo((590, 826))
    rejected = check_photo(data, fix=False)
    assert rejected.verdict is Verdict.REJECTED
    assert rejected.fixable
    assert codes(rejected) == [PhotoCode.WRONG_PIXELS]
    assert dict(rejected.problems[0].params) == {"fixable": True, "width": 590, "height": 826}
    fixed = check_photo(data, fix=True)
    assert fixed.verdict is Verdict.FIXED
    assert dict(fixed.problems[0].params) == {"width": 590, "height": 826}
    assert decoded(fixed).size == (295, 413)


def test_slightly_small_photo_is_scaled_up_but_a_tiny_one_is_not():
    assert check_photo(photo((280, 392)), fix=True).verdict is Verdict.FIXED
    tiny = check_photo(photo((148, 207)), fix=True)
    assert tiny.verdict is Verdict.REJECTED
    assert codes(tiny) == [PhotoCode.TOO_SMALL]


def test_file_over_5_mb_is_recompressed_with_fix():
    # A right-sized photo carrying 6 MB after its end marker (as some phones append).
    data = photo() + b"\0" * (6 * 1024 * 1024)
    rejected = check_photo(data, fix=False)
    assert rejected.verdict is Verdict.REJECTED
    assert codes(rejected) == [PhotoCode.TOO_LARGE]
    assert rejected.problems[0].params["size_mb"] == 6.0
    assert rejected.fixable
    fixed = check_photo(data, fix=True)
    assert fixed.verdict is Verdict.FIXED
    assert codes(fixed) == [PhotoCode.FIXED_RECOMPRESSED]
    assert fixed.problems[0].params["new_kb"] * 1024 == pytest.approx(len(fixed.fixed_jpeg), 512)
    assert len(fixed.fixed_jpeg) < 5 * 1024 * 1024


def test_file_over_the_processing_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", _must_not_load)
    data = photo() + b"\0" * MAX_INPUT_BYTES
    result = check_photo(data, fix=True)
    assert result.verdict is Verdict.REJECTED
    assert codes(result) == [PhotoCode.TOO_LARGE_TO_PROCESS]
    assert result.format == "JPEG"
    assert not result.fixable


def _rgba_portrait(transparent_background: bool) -> Image.Image:
    im = portrait().convert("RGBA")
    if transparent_background:
        alpha = Image.new("L", im.size, 0)
        ImageDraw.Draw(alpha).ellipse((88, 61, 207, 248), fill=255)
        ImageDraw.Draw(alpha).rectangle((29, 297, 265, 413), fill=255)
    else:  # rounded corners only, as some editors export
        alpha = Image.new("L", im.size, 255)
        ImageDraw.Draw(alpha).rectangle((0, 0, 10, 10), fill=0)
    im.putalpha(alpha)
    return im


def test_opaque_png_with_alpha_channel_passes_as_it_is():
    im = portrait().convert("RGBA")
    assert im.getchannel("A").getextrema() == (255, 255)
    result = check_photo(encode(im, "PNG"), fix=False)
    assert result.verdict is Verdict.PASS
    assert result.problems == ()


def test_png_with_transparent_corner_is_flattened_onto_white():
    data = encode(_rgba_portrait(transparent_background=False), "PNG")
    rejected = check_photo(data, fix=False)
    assert codes(rejected) == [PhotoCode.TRANSPARENT]
    assert rejected.fixable
    fixed = check_photo(data, fix=True)
    assert fixed.verdict is Verdict.FIXED
    assert codes(fixed) == [PhotoCode.FIXED_TRANSPARENT]
    r, g, b = decoded(fixed).getpixel((2, 2))
    assert min(r, g, b) > 230  # white, not black and not an invented red


def test_png_with_transparent_background_is_not_painted_red():
    data = encode(_rgba_portrait(transparent_background=True), "PNG")
    result = check_photo(data, fix=True)
    assert result.verdict is Verdict.REJECTED
    assert result.background is Background.WHITE
    assert PhotoCode.BACKGROUND_WHITE in codes(result)
    assert PhotoCode.TRANSPARENT in codes(result)
    assert result.fixed_jpeg is None


def test_palette_png_passes():
    result = check_photo(encode(portrait().quantize(64), "PNG"), fix=False)
    assert result.verdict is Verdict.PASS


# --- rejected whatever the fix ----------------------------------------------------------


@pytest.mark.parametrize("size", [(413, 295), (826, 590)])
def test_landscape_is_rejected_not_turned(size):
    result = check_photo(photo(size), fix=True)
    assert result.verdict is Verdict.REJECTED
    assert codes(result) == [PhotoCode.LANDSCAPE]
    assert not result.fixable
    assert result.fixed_jpeg is None


def test_phone_shaped_portrait_is_not_cropped():
    result = check_photo(photo((600, 800)), fix=True)
    assert result.verdict is Verdict.REJECTED
    assert codes(result) == [PhotoCode.WRONG_SHAPE]


def test_unfixable_problem_lists_the_fixable_ones_too():
    result = check_photo(encode(portrait((826, 590), BLUE).convert("CMYK")), fix=True)
    assert result.verdict is Verdict.REJECTED
    assert set(codes(result)) == {PhotoCode.LANDSCAPE, PhotoCode.BACKGROUND_BLUE, PhotoCode.CMYK}
    assert not result.fixable


@pytest.mark.parametrize(
    "image",
    [
        portrait().convert("L"),
        portrait(bg=GREY).convert("L"),
        portrait().convert("L").convert("RGB"),
    ],
    ids=["grey-mode", "grey-mode-grey-background", "black-and-white-saved-as-colour"],
)
def test_grayscale_is_rejected_with_one_consistent_message(image):
    result = check_photo(encode(image), fix=True)
    assert result.verdict is Verdict.REJECTED
    assert codes(result) == [PhotoCode.GRAYSCALE]
    assert result.background is None
    assert not any("已接受" in render(p) for p in result.problems)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file_is_damaged(fmt):
    data = photo(fmt=fmt)
    result = check_photo(data[: len(data) // 2], fix=True)
    assert result.verdict is Verdict.REJECTED
    assert codes(result) == [PhotoCode.DAMAGED]
    assert result.format == fmt


def test_broken_header_is_damaged():
    result = check_photo(b"\xff\xd8\xff\xe0" + b"\0" * 50, fix=False)
    assert codes(result) == [PhotoCode.DAMAGED]


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("GIF", "GIF"), ("WEBP", "WebP"), ("BMP", "BMP"), ("TIFF", "TIFF")],
)
def test_other_formats_renamed_jpg_are_named(fmt, name):
    result = check_photo(photo(fmt=fmt), fix=True)
    assert result.verdict is Verdict.REJECTED
    assert codes(result) == [PhotoCode.WRONG_FORMAT]
    assert result.problems[0].params["actual"] == name
    assert result.format == name


def test_heic_is_named_although_pillow_cannot_read_it():
    data = struct.pack(">I", 24) + b"ftypheic" + b"\0\0\0\0mif1heic" + b"\0" * 100
    result = check_photo(data, fix=False)
    assert codes(result) == [PhotoCode.WRONG_FORMAT]
    assert result.problems[0].params["actual"] == "HEIC"


def test_random_bytes_and_empty_file():
    assert codes(check_photo(bytes(range(256)) * 40, fix=True)) == [PhotoCode.NOT_IMAGE]
    assert codes(check_photo(b"<html>not found</html>", fix=True)) == [PhotoCode.NOT_IMAGE]
    assert codes(check_photo(b"", fix=True)) == [PhotoCode.EMPTY]


# --- decompression bombs ----------------------------------------------------------------


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width × height`` pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _must_not_load(self):
    raise AssertionError("a bomb must be refused before load()")


@pytest.mark.parametrize(
    "size",
    [(30000, 30000), (12000, 10000), (8000, 7000)],
    ids=["over-pillow-error", "pillow-warning-zone", "over-our-cap"],
)
def test_pixel_bomb_is_refused_from_the_header(size, monkeypatch, recwarn):
    monkeypatch.setattr(ImageFile.ImageFile, "load", _must_not_load)
    data = png_header_only(*size)
    assert len(data) < 2000
    result = check_photo(data, fix=True)
    assert result.verdict is Verdict.REJECTED
    assert codes(result) == [PhotoCode.TOO_MANY_PIXELS]
    assert result.problems[0].params["max_megapixels"] == 50


def test_pixel_bomb_warning_raised_as_error_is_refused(monkeypatch):
    # In the worker processes Pillow's warning is an error; it must land as a rejection.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        result = check_photo(png_header_only(12000, 10000), fix=False)
    assert codes(result) == [PhotoCode.TOO_MANY_PIXELS]


def test_phone_resolution_is_under_the_cap():
    assert 8160 * 6120 <= photo_check.MAX_PIXELS < Image.MAX_IMAGE_PIXELS


# --- many photos ------------------------------------------------------------------------


def _mixed_items(count: int) -> list[tuple[str, bytes]]:
    kinds = [photo(), photo(bg=BLUE), photo((590, 826)), b"junk", photo(fmt="PNG")]
    return [(f"{i:03d}.jpg", kinds[i % len(kinds)]) for i in range(count)]


def _summary(result: PhotoResult):
    return result.verdict, result.problems, result.fixed_jpeg is not None, result.background


def test_check_many_on_threads_keeps_order_and_matches_check_photo():
    items = _mixed_items(INLINE_BELOW + 11)
    steps = []
    progress = Progress(lambda done, total, label: steps.append((done, total, label)))
    out = list(check_many(items, fix=True, workers=2, progress=progress))
    assert [name for name, _ in out] == [name for name, _ in items]
    for (_, data), (_, result) in zip(items, out, strict=True):
        assert result == check_photo(data, fix=True)
        for problem in result.problems:
            assert isinstance(problem.params, MappingProxyType)
    assert steps[-1] == (len(items), len(items), items[-1][0])
    assert [s[0] for s in steps] == list(range(1, len(items) + 1))


def test_check_many_starts_no_process(monkeypatch):
    import multiprocessing

    def no_process(*_args, **_kwargs):
        raise AssertionError("the photo check runs in this process")

    monkeypatch.setattr(multiprocessing.Process, "start", no_process)
    out = list(check_many(_mixed_items(INLINE_BELOW + 3), fix=False, workers=2))
    assert len(out) == INLINE_BELOW + 3


def test_default_workers_follow_the_free_cores(monkeypatch):
    monkeypatch.setattr(photo_check.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setattr(photo_check.os, "getloadavg", lambda: (0.2, 0.0, 0.0), raising=False)
    assert photo_check.default_workers() == 2
    monkeypatch.setattr(photo_check.os, "getloadavg", lambda: (1.4, 0.0, 0.0), raising=False)
    assert photo_check.default_workers() == 1  # one free core: checked in this thread
    monkeypatch.setattr(photo_check.os, "getloadavg", lambda: (6.0, 0.0, 0.0), raising=False)
    assert photo_check.default_workers() == 1


def test_check_many_inline_for_a_few_photos():
    items = _mixed_items(7)
    out = list(check_many(iter(items), fix=False, workers=2))
    assert [name for name, _ in out] == [name for name, _ in items]
    assert [r.verdict for _, r in out][:3] == [Verdict.PASS, Verdict.REJECTED, Verdict.REJECTED]


@pytest.mark.parametrize("count", [10, INLINE_BELOW + 40])
def test_check_many_stops_on_cancel(count):
    progress = Progress()
    seen = []
    with pytest.raises(Cancelled):
        for name, _result in check_many(
            _mixed_items(count), fix=False, workers=2, progress=progress
        ):
            seen.append(name)
            if len(seen) == 3:
                progress.cancel()
    assert len(seen) == 3


def test_thumbnails_come_from_the_check_for_rejected_photos_and_later_for_the_others():
    from examsite.formats.photo_check import THUMBNAIL_SIZE, make_thumbnail

    accepted = check_photo(_jpeg_of(Image.new("RGB", (295, 413), (200, 20, 30))), fix=False)
    assert accepted.verdict is Verdict.PASS and accepted.thumbnail is None
    thumbnail = make_thumbnail(accepted.fixed_jpeg)
    assert thumbnail is not None
    with Image.open(io.BytesIO(thumbnail)) as thumb:
        assert thumb.size == THUMBNAIL_SIZE
    rejected = check_photo(_jpeg_of(Image.new("RGB", (295, 413), (67, 142, 219))), fix=False)
    assert rejected.verdict is Verdict.REJECTED and rejected.thumbnail is not None
    assert check_photo(b"not an image at all", fix=False).thumbnail is None
    assert make_thumbnail(b"not an image at all") is None


def _jpeg_of(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


# --- stored once: the image data of a photo that meets the rules is kept -------------------


def test_a_photo_that_meets_the_rules_keeps_its_own_bytes():
    data = photo()
    result = check_photo(data, fix=True)
    assert result.verdict is Verdict.PASS
    assert result.fixed_jpeg is data and result.original_patch == b""


def test_its_metadata_is_taken_out_losslessly_and_the_original_can_be_rebuilt():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 0.0)}  # GPS
    data = photo(exif=exif.tobytes(), comment=b"secret") + b"trailing bytes"
    result = check_photo(data, fix=False)
    assert result.verdict is Verdict.PASS
    stored = result.fixed_jpeg
    assert stored is not None and result.original_patch
    assert b"PhoneMaker" not in stored and b"secret" not in stored and b"trailing" not in stored
    with Image.open(io.BytesIO(stored)) as image, Image.open(io.BytesIO(data)) as original:
        assert image.tobytes() == original.tobytes()  # not re-encoded: the same pixels
    assert restore_original(stored, result.original_patch) == data


def test_a_photo_held_for_review_keeps_its_bytes_too():
    result = check_photo(photo(bg=PINK), fix=False)
    assert result.verdict is Verdict.REVIEW and result.original_patch == b""


@pytest.mark.parametrize(
    "data",
    [
        photo(progressive=True),
        photo(fmt="PNG"),
        photo((590, 826)),
        encode(portrait().convert("CMYK")),
    ],
    ids=["progressive", "png", "to-scale", "cmyk"],
)
def test_anything_else_is_re_encoded_once_as_a_baseline_jpeg(data):
    result = check_photo(data, fix=True)
    assert result.accepted and result.original_patch is None
    with Image.open(io.BytesIO(result.fixed_jpeg)) as image:
        assert image.format == "JPEG" and not image.info.get("progressive")
        assert image.size == (295, 413) and image.mode == "RGB"


def test_a_sideways_photo_of_the_right_size_is_turned_not_kept():
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = portrait().transpose(Image.Transpose.ROTATE_90).resize((413, 295))
    result = check_photo(encode(stored, exif=exif.tobytes()), fix=True)
    assert result.verdict is Verdict.FIXED and result.original_patch is None
