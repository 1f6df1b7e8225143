"""Check candidate photos against the platform's rules and fix what can be fixed safely.

``check_photo`` judges one photo from its bytes: the format by content, whether it decodes,
file size, pixel count, pixel size and shape, colour mode, transparency, EXIF orientation
and the background colour. Asked to fix, it turns sideways phone photos upright, converts
CMYK to RGB, flattens transparency onto white and scales a photo of the right shape to
295 × 413; it never crops, never turns a landscape picture and never touches a background.

Every accepted photo comes back as a metadata-free JPEG, ready to store. A photo that
already meets the rules as a baseline JPEG keeps its image data: once a full decode has
shown it sound, only its metadata (EXIF with GPS, XMP, comments, trailers) is taken out,
losslessly, with a patch that rebuilds the original (``jpeg_strip``). Anything else is
re-encoded once.

``check_many`` runs ``check_photo`` over thousands of photos, in order, in this process.
No Qt, no database: the caller stores the results.
"""

from __future__ import annotations

import io
import logging
import os
import warnings
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sized
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, count, islice
from typing import Any

from PIL import Image, ImageOps

from examsite.domain.photo_spec import (
    ACCEPTED_FORMATS,
    BACKGROUND_REJECTIONS,
    FIXABLE,
    HEIGHT,
    MAX_FILE_BYTES,
    VALUE_BOUNDS,
    WIDTH,
    Background,
    HueBand,
    PhotoCode,
    Tone,
    Verdict,
    aspect_matches,
    decide_background,
    hue_band,
    saturation_band,
    tone_of_bands,
    value_band,
)
from examsite.domain.problems import Level, Problem, error, notice, warning
from examsite.formats.jpeg_strip import Stripped, strip_metadata
from examsite.progress import Progress

log = logging.getLogger(__name__)

#: Largest picture we decode, in pixels. Full-resolution 50 MP phone photos (8160 × 6120 =
#: 49.9 MP) still fit, so a coordinator can drop raw phone pictures; an RGBA PNG at the cap
#: takes 200 MB to decode, which two threads can afford on a 4 GB lab PC. Anything larger is
#: no ID photo but a decompression bomb. It sits below Pillow's own limits (a warning at
#: 89 MP, an error at 179 MP), so our header check always speaks first.
MAX_PIXELS = 50_000_000

# Pillow only warns between its limit (89 MP) and twice that; our own header check refuses
# from 50 MP, and a warning must not slip through as a printed line (DEPENDENCIES.md).
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)

#: Largest file we try to read at all. A 50 MP phone JPEG is 10–25 MB; such a file is "too
#: large" for the platform but fixable by scaling down. Above this it is refused unread.
MAX_INPUT_BYTES = 32 * 1024 * 1024

#: Size of the grid's thumbnails: half of 295 × 413, sharp on a 150 % screen.
THUMBNAIL_SIZE = (148, 207)

#: JPEG quality of the stored photo: no visible loss; 295 × 413 comes to 20–60 KB, so the
#: result is always far below the 5 MB limit (even quality 100 of pure noise stays under 1 MB).
JPEG_QUALITY = 90

#: Smallest picture, as a share of 295 × 413, we scale up: a few per cent stays sharp,
#: a real enlargement would hand the platform a blurred face.
MIN_UPSCALE_SOURCE = 0.9

#: Where the background is sampled: the top 7 % of the picture (above the head, 20 × 2
#: cells) and the outer 10 % on each side from there down to 45 % of the height (beside
#: the head, above the shoulders; 2 × 11 cells each): 84 box-averaged samples.
_TOP_SHARE = 0.07
_SIDE_SHARE = 0.10
_SIDE_DOWN_TO = 0.45
_TOP_CELLS = (20, 2)
_SIDE_CELLS = (2, 11)


def _band_codes() -> tuple[list[int], list[int], list[int], list[Tone]]:
    """Lookup tables from Pillow's 0–255 H, S and V to the domain's bands, as parts of one
    code (hue band × 20 + saturation band × 5 + value band), and the tone of each code.

    Pillow's hue is ``floor(hue × 255)``: a value stands for a 1.4° range, read at its
    middle.
    """
    hues = [20 * hue_band((h + 0.5) * 360 / 255) for h in range(256)]
    sats = [5 * saturation_band(s / 255) for s in range(256)]
    values = [value_band(v / 255) for v in range(256)]
    tones = [Tone.DARK] * (20 * len(HueBand))
    for band in HueBand:
        for s in range(4):
            for v in range(len(VALUE_BOUNDS) + 1):
                tones[20 * band + 5 * s + v] = tone_of_bands(band, s, v)
    return hues, sats, values, tones


_HUE_CODES, _SAT_CODES, _VALUE_CODES, _TONE_OF_CODE = _band_codes()

_RGB_MODES = frozenset({"RGB", "RGBA", "RGBX", "P", "PA"})
_GRAY_MODES = frozenset({"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"})
# EXIF orientations that swap width and height (the picture is stored lying on its side).
_SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})

_MB = 1024 * 1024


@dataclass(frozen=True)
class PhotoResult:
    """What the check found out about one photo.

    ``width``/``height`` are the pixels as stored in the file (before any EXIF turn);
    ``format`` is what the content really is ("JPEG", "PNG", or e.g. "HEIC" for a refused
    one), None when unknown; ``background`` is None when the picture could not be decoded
    (or is grey all over, where no colour can be judged).
    ``fixed_jpeg`` holds the bytes to store and export for every accepted photo (pass,
    fixed or review): 295 × 413, JPEG, no metadata. ``original_patch`` is not None when
    those bytes are the original's own image data with the metadata taken out:
    ``jpeg_strip.restore_original(fixed_jpeg, original_patch)`` gives the file back as it
    came (an empty patch: it is the very same file), so it need not be stored twice.
    ``fixable`` is True for a rejected photo that ``check_photo(..., fix=True)`` would
    accept. ``thumbnail`` is a small JPEG for the grid, made only for a decodable photo
    that has no stored 295 × 413 JPEG (a rejected one); the others get theirs from
    ``make_thumbnail`` when the grid shows them.
    """

    verdict: Verdict
    problems: tuple[Problem, ...]
    width: int | None
    height: int | None
    format: str | None
    background: Background | None
    original_size: int
    fixed_jpeg: bytes | None = None
    fixable: bool = False
    thumbnail: bytes | None = None  # a small JPEG for the page's grid (rejected photos)
    original_patch: bytes | None = None

    @property
    def accepted(self) -> bool:
        """True when the photo can be stored (it passed or was fixed)."""
        return self.verdict is not Verdict.REJECTED


def check_photo(data: bytes, *, fix: bool) -> PhotoResult:
    """Check one photo given as the file's bytes; with ``fix`` mend what can be mended.

    Never raises for bad input: an unreadable or hostile file is a rejected result.
    """
    size = len(data)
    if size == 0:
        return _refused(PhotoCode.EMPTY, size, None)
    if size > MAX_INPUT_BYTES:
        return _refused(
            PhotoCode.TOO_LARGE_TO_PROCESS,
            size,
            _sniff(data),
            max_mb=MAX_INPUT_BYTES // _MB,
        )
    try:
        image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses (or, in our worker processes, warns-as-error) from the header.
        return _refused(
            PhotoCode.TOO_MANY_PIXELS, size, _sniff(data), max_megapixels=MAX_PIXELS // 10**6
        )
    except Exception:  # any header Pillow cannot parse is the file's fault
        kind = _sniff(data)
        if kind in ("JPEG", "PNG"):
            return _refused(PhotoCode.DAMAGED, size, kind)
        if kind is not None:
            return _refused(PhotoCode.WRONG_FORMAT, size, kind, actual=kind)
        return _refused(PhotoCode.NOT_IMAGE, size, None)
    with image:
        return _check_image(image, data, fix=fix)


def _check_image(image: Image.Image, data: bytes, *, fix: bool) -> PhotoResult:
    size = len(data)
    fmt = "PNG" if image.format == "PNG" else "JPEG"  # MPO (phone JPEG + depth map) is JPEG
    width, height = image.size
    result = _Findings(data=data, format=fmt, width=width, height=height)
    if width * height > MAX_PIXELS:
        # Checked from the header, before load(): nothing big has been allocated yet.
        result.unfixable(
            PhotoCode.TOO_MANY_PIXELS,
            width=width,
            height=height,
            max_megapixels=MAX_PIXELS // 10**6,
        )
        return result.finish(None, fix=fix)

    orientation = _orientation(image)
    upright = (height, width) if orientation in _SWAPPING_ORIENTATIONS else (width, height)
    if fmt == "JPEG" and upright != (WIDTH, HEIGHT):
        # Decode a large JPEG at 1/2–1/8 scale (still at least 295 × 413): half the time.
        # draft() works in stored orientation, so a sideways photo asks for 413 × 295.
        stored_target = (
            (HEIGHT, WIDTH) if orientation in _SWAPPING_ORIENTATIONS else (WIDTH, HEIGHT)
        )
        image.draft(None, stored_target)
    try:
        image.load()
    except Exception:  # truncated or corrupt data: the C decoders raise many kinds
        log.debug("photo does not decode", exc_info=True)
        result.unfixable(PhotoCode.DAMAGED)
        return result.finish(None, fix=fix)

    # A colour profile describes the pixels it came with: keep an RGB one, drop a CMYK one.
    icc_profile = image.info.get("icc_profile") if image.mode in _RGB_MODES else None
    result.untouched = image.mode == "RGB" and orientation == 1
    if orientation != 1:
        result.fixable(PhotoCode.EXIF_ROTATED, orientation=orientation)
        image = ImageOps.exif_transpose(image)
    grey = image.mode in _GRAY_MODES
    rgb = _to_rgb(image, result)
    _check_shape(upright, result)
    if size > MAX_FILE_BYTES:
        result.fixable(PhotoCode.TOO_LARGE, size_mb=_megabytes(size), max_mb=MAX_FILE_BYTES // _MB)
    if not grey:  # a grey picture has no background colour to judge: one reason is enough
        background = decide_background(_border_tones(rgb))
        if background in _NEUTRAL and _colourless(rgb):
            # Black and white saved as colour: the same answer as a grey-mode file.
            result.unfixable(PhotoCode.GRAYSCALE)
        else:
            result.background = background
            rejection = BACKGROUND_REJECTIONS.get(background)
            if rejection is not None:
                result.unfixable(rejection)
            elif background is Background.UNCLEAR:
                result.add(warning(PhotoCode.BACKGROUND_UNCLEAR.value))
    return result.finish(rgb, fix=fix, icc_profile=icc_profile)


_NEUTRAL = frozenset({Background.WHITE, Background.GREY, Background.DARK})
#: Highest saturation (0–255) a black-and-white picture saved as colour shows once averaged
#: (JPEG's colour noise); a face is far above (skin ≈ 0.3, i.e. 75).
_COLOURLESS_SATURATION = 20


def _colourless(rgb: Image.Image) -> bool:
    """True when the whole picture has no colour (only checked for a neutral border)."""
    factor = max(1, min(rgb.size) // 24)
    saturation = rgb.reduce(factor).convert("HSV").getchannel("S")
    return bool(saturation.getextrema()[1] <= _COLOURLESS_SATURATION)


class _Findings:
    """Problems collected while checking one photo, turned into a ``PhotoResult`` at the end."""

    def __init__(self, *, data: bytes, format: str, width: int, height: int) -> None:
        self.data = data
        self.size = len(data)
        self.format = format
        self.width = width
        self.height = height
        self.background: Background | None = None
        self.problems: list[Problem] = []
        self.fixes: list[Problem] = []  # fixable errors, reported as notices once fixed
        # The decoded picture is the file's own RGB pixels, upright: nothing converted.
        self.untouched = False

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def unfixable(self, code: PhotoCode, **params: Any) -> None:
        self.problems.append(error(code.value, **params))

    def fixable(self, code: PhotoCode, **params: Any) -> None:
        self.fixes.append(error(code.value, fixable=True, **params))

    def finish(
        self, rgb: Image.Image | None, *, fix: bool, icc_profile: bytes | None = None
    ) -> PhotoResult:
        errors = [p for p in self.problems if p.is_error]
        others = [p for p in self.problems if not p.is_error]
        if rgb is None:
            return self._result(Verdict.REJECTED, [*errors, *self.fixes, *others])
        if errors:
            return self._result(
                Verdict.REJECTED, [*errors, *self.fixes, *others], thumbnail=_thumbnail(rgb)
            )
        if self.fixes and not fix:
            return self._result(
                Verdict.REJECTED, [*self.fixes, *others], fixable=True, thumbnail=_thumbnail(rgb)
            )
        stripped = self._kept_as_it_is(rgb)
        if stripped is not None:
            jpeg, patch = stripped.jpeg, stripped.patch
        else:
            if rgb.size != (WIDTH, HEIGHT):
                rgb = rgb.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS, reducing_gap=3.0)
            jpeg, patch = _encode_jpeg(rgb, icc_profile), None
        done = [self._fixed_notice(p, len(jpeg)) for p in self.fixes]
        if any(p.level is Level.WARNING for p in others):
            verdict = Verdict.REVIEW  # usable only once a person has looked (需复核)
        else:
            verdict = Verdict.FIXED if done else Verdict.PASS
        return self._result(verdict, [*done, *others], fixed_jpeg=jpeg, original_patch=patch)

    def _kept_as_it_is(self, rgb: Image.Image) -> Stripped | None:
        """The file itself, metadata taken out, when it already is what would be stored:
        a baseline JPEG of 295 × 413 RGB pixels, upright, that needed no fix."""
        if self.fixes or not self.untouched or self.format != "JPEG":
            return None
        if rgb.size != (WIDTH, HEIGHT) or (self.width, self.height) != (WIDTH, HEIGHT):
            return None
        return strip_metadata(self.data)

    def _fixed_notice(self, problem: Problem, new_size: int) -> Problem:
        code = FIXABLE[PhotoCode(problem.code)]
        params = {k: v for k, v in problem.params.items() if k != "fixable"}
        if code is PhotoCode.FIXED_RECOMPRESSED:
            params["new_kb"] = max(1, round(new_size / 1024))
        return notice(code.value, **params)

    def _result(
        self,
        verdict: Verdict,
        problems: list[Problem],
        *,
        fixable: bool = False,
        fixed_jpeg: bytes | None = None,
        thumbnail: bytes | None = None,
        original_patch: bytes | None = None,
    ) -> PhotoResult:
        return PhotoResult(
            verdict=verdict,
            problems=tuple(problems),
            width=self.width,
            height=self.height,
            format=self.format,
            background=self.background,
            original_size=self.size,
            fixed_jpeg=fixed_jpeg,
            fixable=fixable,
            thumbnail=thumbnail,
            original_patch=original_patch,
        )


def make_thumbnail(jpeg: bytes) -> bytes | None:
    """The grid's thumbnail of a stored 295 × 413 JPEG, made when the grid shows it.

    ``draft`` decodes at half scale straight out of the DCT (148 × 207): a fraction of a
    full decode. None when the bytes do not decode.
    """
    try:
        with Image.open(io.BytesIO(jpeg), formats=["JPEG"]) as image:
            image.draft("RGB", THUMBNAIL_SIZE)
            image.load()
            return _thumbnail(image if image.mode == "RGB" else image.convert("RGB"))
    except Exception:
        log.warning("cannot make a thumbnail", exc_info=True)
        return None


def _thumbnail(rgb: Image.Image) -> bytes:
    """The grid's thumbnail, made from an already decoded picture (no second decode).

    ``reduce`` (a box average by a whole factor) costs a fifth of ``resize`` here and gives
    295 × 413 exactly half; a few pixels more or less do not matter in a grid that scales.
    """
    width, height = rgb.size
    factor = max(1, round(min(width / THUMBNAIL_SIZE[0], height / THUMBNAIL_SIZE[1])))
    small = rgb.reduce(factor) if factor > 1 else rgb
    if small.width > THUMBNAIL_SIZE[0] * 1.25 or small.height > THUMBNAIL_SIZE[1] * 1.25:
        small = small.resize(_thumbnail_size(small.size), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def _thumbnail_size(size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    scale = min(THUMBNAIL_SIZE[0] / width, THUMBNAIL_SIZE[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _refused(code: PhotoCode, size: int, fmt: str | None, **params: Any) -> PhotoResult:
    """A photo rejected before (or instead of) decoding."""
    return PhotoResult(
        Verdict.REJECTED, (error(code.value, **params),), None, None, fmt, None, size
    )


def _to_rgb(image: Image.Image, result: _Findings) -> Image.Image:
    """The picture as RGB, noting CMYK, grey and real transparency on the way."""
    mode = image.mode
    if mode in _GRAY_MODES:
        # The platform wants a colour photo, and no fix can bring colour back.
        result.unfixable(PhotoCode.GRAYSCALE)
        if mode in ("I", "F") or mode.startswith("I;16"):
            image = image.convert("L")  # 16/32-bit grey has no direct way to RGB
    if mode == "CMYK":
        result.fixable(PhotoCode.CMYK)
        return image.convert("RGB")
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        alpha = rgba.getchannel("A")
        low, _high = alpha.getextrema()
        if low == 255:  # an alpha channel that is opaque everywhere is no transparency
            return rgba.convert("RGB")
        result.fixable(PhotoCode.TRANSPARENT)
        # Onto white, not red: painting a red background would be a guess about what the
        # photo should look like; on white the background check judges what is really there.
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=alpha)
        return flat
    return image if mode == "RGB" else image.convert("RGB")


def _check_shape(upright: tuple[int, int], result: _Findings) -> None:
    width, height = upright
    if (width, height) == (WIDTH, HEIGHT):
        return
    if width >= height:
        result.unfixable(PhotoCode.LANDSCAPE, width=width, height=height)
    elif not aspect_matches(width, height):
        result.unfixable(PhotoCode.WRONG_SHAPE, width=width, height=height)
    elif width < WIDTH * MIN_UPSCALE_SOURCE:
        result.unfixable(PhotoCode.TOO_SMALL, width=width, height=height)
    else:
        result.fixable(PhotoCode.WRONG_PIXELS, width=width, height=height)


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1–8) read from the header; 1 when absent or nonsense."""
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block must not reject a good photo
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


@lru_cache(maxsize=16)
def _border_boxes(
    size: tuple[int, int],
) -> tuple[tuple[tuple[int, int, int, int], tuple[int, int]], ...]:
    """The three border strips of a picture of ``size`` and the factor that averages each
    into cells: the top 7 % into 20 × 2, the outer 10 % of each side, from there down to
    45 % of the height, into 2 × 11."""
    width, height = size
    top = max(1, round(height * _TOP_SHARE))
    side = max(1, round(width * _SIDE_SHARE))
    low = min(height, max(top + 1, round(height * _SIDE_DOWN_TO)))
    strips = [((0, 0, width, top), _TOP_CELLS)]
    if low > top:
        strips.append(((0, top, side, low), _SIDE_CELLS))
        strips.append(((width - side, top, width, low), _SIDE_CELLS))
    return tuple(
        (box, (-(-(box[2] - box[0]) // cols), -(-(box[3] - box[1]) // rows)))
        for box, (cols, rows) in strips
    )


def _border_cells(rgb: Image.Image) -> list[Image.Image]:
    """The border strips averaged into cells: ``reduce`` (a box average by whole factors,
    over just that strip) is the cheapest way Pillow has."""
    return [rgb.reduce(factor, box=box) for box, factor in _border_boxes(rgb.size)]


def _border_tones(rgb: Image.Image) -> Counter[Tone]:
    """How many border cells have each tone, with Pillow's own HSV conversion and lookup
    tables from the domain's bands: no colour arithmetic in Python."""
    tones: Counter[Tone] = Counter()
    hues, sats, values, tone_of = _HUE_CODES, _SAT_CODES, _VALUE_CODES, _TONE_OF_CODE
    for cells in _border_cells(rgb):
        colours = cells.convert("HSV").getcolors(cells.width * cells.height)
        for n, (h, s, v) in colours or ():
            tones[tone_of[hues[h] + sats[s] + values[v]]] += n
    return tones


def border_samples(rgb: Image.Image) -> list[tuple[int, int, int]]:
    """The averaged (r, g, b) border cells the background is judged by."""
    samples: list[tuple[int, int, int]] = []
    for cells in _border_cells(rgb):
        raw = cells.tobytes()
        samples += [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]
    return samples


def _encode_jpeg(rgb: Image.Image, icc_profile: bytes | None) -> bytes:
    """The picture as a baseline JPEG without EXIF, XMP, comments or thumbnails.

    The ICC profile stays (it is colour data, not personal data): a phone's Display P3
    photo would otherwise shift colour. EXIF (GPS, device, time) is dropped.
    """
    out = io.BytesIO()
    # An empty comment, or Pillow copies the source's JPEG comment (COM) into the output.
    params: dict[str, Any] = {"quality": JPEG_QUALITY, "comment": b""}
    if icc_profile and rgb.mode == "RGB":
        params["icc_profile"] = icc_profile
    rgb.save(out, "JPEG", **params)
    return out.getvalue()


def _megabytes(size: int) -> float:
    return round(size / _MB, 1)


# Magic numbers of the picture formats people mistake for jpg/png, to say what a refused
# file really is. Pillow cannot name HEIC at all, and trying every Pillow plugin on a
# refused file would parse formats we never accept.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "JPEG"),
    (0, b"\x89PNG\r\n\x1a\n", "PNG"),
    (0, b"GIF87a", "GIF"),
    (0, b"GIF89a", "GIF"),
    (0, b"BM", "BMP"),
    (0, b"II*\x00", "TIFF"),
    (0, b"MM\x00*", "TIFF"),
    (0, b"%PDF", "PDF"),
    (0, b"8BPS", "PSD"),
    (0, b"\x00\x00\x01\x00", "ICO"),
    (0, b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (0, b"\xff\x4f\xff\x51", "JPEG 2000"),
    (0, b"\xff\x0a", "JPEG XL"),
    (0, b"\x00\x00\x00\x0cJXL \r\n\x87\n", "JPEG XL"),
)
_HEIF_BRANDS = {
    b"heic": "HEIC",
    b"heix": "HEIC",
    b"hevc": "HEIC",
    b"hevx": "HEIC",
    b"heim": "HEIC",
    b"heis": "HEIC",
    b"mif1": "HEIC",
    b"msf1": "HEIC",
    b"avif": "AVIF",
    b"avis": "AVIF",
}


def _sniff(data: bytes) -> str | None:
    """The picture format ``data`` starts like, or None when it looks like no picture."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(data[8:12])
    for offset, magic, name in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return name
    return None


# --- many photos ----------------------------------------------------------------------

#: Below this many photos a second thread is not worth starting.
INLINE_BELOW = 64
#: Photos handed to a thread at once: fewer hand-offs between the threads.
BATCH_PHOTOS = 8
BATCH_BYTES = 8 * 1024 * 1024


def default_workers() -> int:
    """Threads for ``check_many``: one per core that is free right now, 1 to 4.

    Threads, not processes: Pillow releases the GIL while it decodes, encodes, resizes and
    converts, which is most of a check. Worker processes were measured slower (each photo
    crossed the process boundary twice), outlived a killed import (and on Windows held its
    files) and printed tracebacks on Ctrl-C; threads die with the process. A second thread
    only pays when a second core is free: on a busy machine the threads wait for each
    other's turn with the GIL, so the load average decides where there is one (Windows
    has none: a lab PC running the program is mostly idle otherwise).
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        busy = 0.0
    return max(1, min(4, int(cores - busy + 0.5)))


def check_many(
    items: Iterable[tuple[str, bytes]],
    *,
    fix: bool,
    workers: int | None = None,
    progress: Progress | None = None,
    total: int | None = None,
) -> Iterator[tuple[str, PhotoResult]]:
    """Check ``(name, bytes)`` items; yield ``(name, result)`` in input order.

    Lazy: items are read and results handed back as the caller iterates, with only a few
    photos per thread in flight, so 10,000 photos never sit in memory at once. ``total``
    (or ``len(items)``) is only for the progress bar. ``progress.check_cancelled()`` is
    honoured between photos; on cancel (or when the caller stops iterating) no further
    photo is started.

    Runs in this process: inline for a few photos or one free core, else on ``workers``
    threads (``default_workers``). Measured with benchmarks/bench_photo_check.py.
    """
    progress = progress or Progress()
    if total is None:
        total = len(items) if isinstance(items, Sized) else 0
    n_workers = workers if workers is not None else default_workers()
    iterator = iter(items)
    head = list(islice(iterator, INLINE_BELOW))
    if n_workers <= 1 or len(head) < INLINE_BELOW:
        yield from _check_inline(chain(head, iterator), fix, progress, total)
        return
    pool = ThreadPoolExecutor(n_workers, thread_name_prefix="photo-check")
    try:
        yield from check_pooled(chain(head, iterator), fix, pool, progress, total, n_workers * 2)
    finally:
        # Not waiting on an interrupt: the few photos in flight finish on their own.
        pool.shutdown(wait=False, cancel_futures=True)


def _check_inline(
    items: Iterable[tuple[str, bytes]], fix: bool, progress: Progress, total: int
) -> Iterator[tuple[str, PhotoResult]]:
    for done, (name, data) in enumerate(items, start=1):
        progress.check_cancelled()
        result = check_photo(data, fix=fix)
        progress.step(done, total, name)
        yield name, result


def _check_batch(datas: list[bytes], fix: bool) -> list[PhotoResult]:
    return [check_photo(data, fix=fix) for data in datas]


def check_pooled(
    items: Iterable[tuple[str, bytes]],
    fix: bool,
    executor: Executor,
    progress: Progress,
    total: int,
    window: int,
) -> Iterator[tuple[str, PhotoResult]]:
    """``check_many`` on a given executor, with at most ``window`` batches in flight.

    Public for the benchmark, which compares pools.
    """
    pending: deque[tuple[list[str], Future[list[PhotoResult]]]] = deque()
    done = count(1)
    try:
        for names, datas in _batches(items):
            progress.check_cancelled()
            pending.append((names, executor.submit(_check_batch, datas, fix)))
            if len(pending) >= window:
                yield from _unpack(*pending.popleft(), done, total, progress)
        while pending:
            yield from _unpack(*pending.popleft(), done, total, progress)
    finally:
        for _names, future in pending:
            future.cancel()


def _unpack(
    names: list[str],
    future: Future[list[PhotoResult]],
    done: Iterator[int],
    total: int,
    progress: Progress,
) -> Iterator[tuple[str, PhotoResult]]:
    for name, result in zip(names, future.result(), strict=True):
        progress.check_cancelled()
        progress.step(next(done), total, name)
        yield name, result


def _batches(items: Iterable[tuple[str, bytes]]) -> Iterator[tuple[list[str], list[bytes]]]:
    """Items grouped by ``BATCH_PHOTOS`` (fewer once ``BATCH_BYTES`` are reached)."""
    names: list[str] = []
    datas: list[bytes] = []
    size = 0
    for name, data in items:
        names.append(name)
        datas.append(data)
        size += len(data)
        if len(names) >= BATCH_PHOTOS or size >= BATCH_BYTES:
            yield names, datas
            names, datas, size = [], [], 0
    if names:
        yield names, datas
