"""Reading photos out of zips and folders: names, debris, limits, hostile archives."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from examsite.domain.photo_spec import PhotoCode
from examsite.errors import Cancelled, InputError
from examsite.formats.photo_check import MAX_INPUT_BYTES, check_photo
from examsite.formats.photo_source import (
    IgnoreReason,
    SourceLimits,
    match_id_number,
    read_photo_source,
)
from examsite.messages.photos import MESSAGES
from examsite.progress import Progress

ID1 = "110105194912310021"
ID2 = "11010519491231002X"


@pytest.fixture(scope="module")
def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (295, 413), (220, 0, 0)).save(out, "JPEG")
    return out.getvalue()


def make_zip(path: Path, members: dict[str, bytes], **kwargs) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **kwargs) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


class GbkZipInfo(zipfile.ZipInfo):
    """Writes its name as GBK with the UTF-8 flag off, as Chinese Windows' zip does."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def central_directory(data: bytes) -> list[tuple[int, bytes, int]]:
    """(flag bits, raw name, local header offset) of every central directory record."""
    records = []
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        flags = struct.unpack_from("<H", data, at + 8)[0]
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        offset = struct.unpack_from("<L", data, at + 42)[0]
        records.append((flags, data[at + 46 : at + 46 + name_len], offset))
        at = data.find(b"PK\x01\x02", at + 46)
    return records


def raw_zip(
    members: list[tuple[bytes, bytes]],
    *,
    flags: int = 0,
    deflate: bool = False,
    extra_central: list[tuple[bytes, int]] = (),
) -> bytes:
    """A zip written byte by byte: local records, then the central directory.

    ``extra_central`` adds central records (new name, index of an existing member) that
    point at that member's local header: two entries sharing bytes.
    """
    out = bytearray()
    records = []
    for name, data in members:
        if deflate:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            body = packer.compress(data) + packer.flush()
        else:
            body = data
        method = 8 if deflate else 0
        crc = zlib.crc32(data)
        records.append((name, flags, method, crc, len(body), len(data), len(out)))
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0x21, crc,
            len(body), len(data), len(name), 0,
        )  # fmt: skip
        out += name + body
    for name, index in extra_central:
        records.append((name, *records[index][1:]))
    start = len(out)
    for name, flag, method, crc, csize, usize, offset in records:
        out += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flag, method, 0, 0x21, crc,
            csize, usize, len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        out += name
    n = len(records)
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(out) - start, start, 0)
    return bytes(out)


def read_all(path: Path, **kwargs):
    with read_photo_source(path, **kwargs) as source:
        return source, list(source)


# --- names ------------------------------------------------------------------------------


def test_gbk_names_without_utf8_flag(tmp_path, jpeg):
    names = [f"2023级/电商1班/张三_{ID1}.jpg", f"李四 {ID2.lower()}.JPG"]
    path = tmp_path / "照片.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            zf.writestr(GbkZipInfo(name), jpeg)
    raw = path.read_bytes()
    records = central_directory(raw)
    # really the bytes Chinese Windows writes: GBK, flag 0x800 off
    assert [(flags & 0x800, name) for flags, name, _ in records] == [
        (0, name.encode("gbk")) for name in names
    ]
    assert zipfile.ZipFile(path).namelist() != names  # plain zipfile shows mojibake

    source, photos = read_all(path)
    assert [entry.name for entry in source.entries] == names
    assert [name for name, _ in photos] == names
    assert all(data == jpeg for _, data in photos)
    assert [match_id_number(name) for name, _ in photos] == [ID1, ID2]
    assert source.kind == "zip"
    assert len(source) == 2


def test_utf8_names_with_and_without_flag(tmp_path, jpeg):
    flagged = make_zip(tmp_path / "a.zip", {f"王五/{ID1}.jpg": jpeg})
    assert central_directory(flagged.read_bytes())[0][0] & 0x800
    assert [e.name for e in read_photo_source(flagged).entries] == [f"王五/{ID1}.jpg"]

    # some tools write UTF-8 bytes but forget the flag
    unflagged = tmp_path / "b.zip"
    unflagged.write_bytes(raw_zip([(f"赵六/{ID2}.png".encode(), jpeg)]))
    assert central_directory(unflagged.read_bytes())[0][0] & 0x800 == 0
    assert [e.name for e in read_photo_source(unflagged).entries] == [f"赵六/{ID2}.png"]


def test_nested_folders_and_upper_case_extensions(tmp_path, jpeg):
    members = {
        f"a/b/c/{ID1}.JPG": jpeg,
        f"a/{ID2}.Jpeg": jpeg,
        "x/110105194912310048.PNG": jpeg,
        "y/110105194912310056.jpeg": jpeg,
    }
    source, photos = read_all(make_zip(tmp_path / "p.zip", members))
    assert [name for name, _ in photos] == list(members)
    assert source.ignored == ()


def test_debris_is_ignored_with_a_reason(tmp_path, jpeg):
    members = {
        "photos/": b"",
        f"photos/{ID1}.jpg": jpeg,
        f"__MACOSX/photos/._{ID1}.jpg": b"\0\5\26\7",
        f"photos/._{ID2}.jpg": b"\0\5\26\7",
        "photos/Thumbs.db": b"x",
        "photos/desktop.ini": b"x",
        "photos/.DS_Store": b"x",
        "photos/名单.xlsx": b"x",
        "photos/说明.txt": b"x",
        f"photos/{ID2}": jpeg,  # no extension
        "photos/110105194912310048.heic": b"x",  # a photo, wrong format: the check says so
    }
    source, photos = read_all(make_zip(tmp_path / "p.zip", members))
    assert [name for name, _ in photos] == [f"photos/{ID1}.jpg", "photos/110105194912310048.heic"]
    reasons = {entry.name: entry.reason for entry in source.ignored}
    assert reasons == {
        "photos/": IgnoreReason.DIRECTORY,
        f"__MACOSX/photos/._{ID1}.jpg": IgnoreReason.SYSTEM_FILE,
        f"photos/._{ID2}.jpg": IgnoreReason.SYSTEM_FILE,
        "photos/Thumbs.db": IgnoreReason.SYSTEM_FILE,
        "photos/desktop.ini": IgnoreReason.SYSTEM_FILE,
        "photos/.DS_Store": IgnoreReason.SYSTEM_FILE,
        "photos/名单.xlsx": IgnoreReason.NOT_IMAGE,
        "photos/说明.txt": IgnoreReason.NOT_IMAGE,
        f"photos/{ID2}": IgnoreReason.NOT_IMAGE,
    }


def test_every_ignore_reason_has_a_message():
    for reason in IgnoreReason:
        assert MESSAGES[reason.value].strip()


def test_path_traversal_names_write_nothing(tmp_path, jpeg, monkeypatch):
    def no_extract(*args, **kwargs):
        raise AssertionError("nothing may be extracted")

    monkeypatch.setattr(zipfile.ZipFile, "extract", no_extract)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", no_extract)
    names = [
        f"../../{ID1}.jpg",
        f"C:\\Windows\\{ID2}.jpg",
        "/etc/110105194912310048.jpg",
        "..\\..\\110105194912310056.jpg",
    ]
    zip_dir = tmp_path / "in"
    zip_dir.mkdir()
    path = zip_dir / "evil.zip"
    path.write_bytes(raw_zip([(name.encode(), jpeg) for name in names]))
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    before = sorted(tmp_path.rglob("*"))

    _, photos = read_all(path)

    assert sorted(tmp_path.rglob("*")) == before
    assert [name for name, _ in photos] == [
        f"../../{ID1}.jpg",
        f"C:/Windows/{ID2}.jpg",
        "/etc/110105194912310048.jpg",
        "../../110105194912310056.jpg",
    ]
    assert all(isinstance(name, str) and data == jpeg for name, data in photos)
    assert [match_id_number(n) for n, _ in photos] == [
        ID1,
        ID2,
        "110105194912310048",
        "110105194912310056",
    ]


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        (f"{ID1}.jpg", ID1),
        (f"{ID1} 张三.jpg", ID1),
        (f"张三_{ID2.lower()}.JPG", ID2),
        (f"张三-{ID2}.png", ID2),
        (f"2023级/电商1班/{ID1}.jpg", ID1),
        (f"D:\\照片\\{ID1}.jpeg", ID1),
        (f"{ID1}", ID1),
        ("１１０１０５１９４９１２３１００２１.jpg", ID1),  # full-width digits
        (f"{ID1}_{ID1}.jpg", ID1),  # the same number twice is still one number
        (f"{ID1}1.jpg", None),  # 19 digits
        (f"9{ID1}.jpg", None),
        (f"{ID2}1.jpg", None),
        (f"{ID1}x.jpg", None),
        ("11010519491231002.jpg", None),  # 17 digits
        (f"{ID1}_110105194912310048.jpg", None),  # two numbers: no guess
        (f"{ID1}/photo.jpg", None),  # the folder's name does not count
        ("photo.jpg", None),
        ("", None),
    ],
)
def test_match_id_number(file_name, expected):
    assert match_id_number(file_name) == expected


# --- refusing hostile or broken zips ----------------------------------------------------


def _no_inflating(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("refused zips must not be opened member by member")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


def test_zip_bomb_is_refused_before_inflating(tmp_path, monkeypatch):
    path = make_zip(tmp_path / "bomb.zip", {f"{ID1}.jpg": b"\0" * (20 * 1024 * 1024)})
    assert path.stat().st_size < 100_000
    _no_inflating(monkeypatch)
    with pytest.raises(InputError, match="压缩炸弹"):
        read_photo_source(path)


def test_total_size_is_capped(tmp_path, jpeg, monkeypatch):
    path = make_zip(tmp_path / "p.zip", {f"{i}.jpg": jpeg for i in range(5)})
    _no_inflating(monkeypatch)
    with pytest.raises(InputError, match="上限"):
        read_photo_source(path, limits=SourceLimits(max_total_bytes=4 * len(jpeg)))


def test_overlapping_entries_are_refused(tmp_path, jpeg, monkeypatch):
    data = raw_zip([(f"{ID1}.jpg".encode(), jpeg)], extra_central=[(f"{ID2}.jpg".encode(), 0)])
    records = central_directory(data)
    assert len(records) == 2 and records[0][2] == records[1][2]  # same local header
    path = tmp_path / "overlap.zip"
    path.write_bytes(data)
    _no_inflating(monkeypatch)
    with pytest.raises(InputError, match="重叠"):
        read_photo_source(path)


def test_entry_reaching_into_the_next_one_is_refused(tmp_path, jpeg):
    data = bytearray(raw_zip([(b"a.jpg", jpeg), (b"b.jpg", jpeg)]))
    first = data.find(b"PK\x01\x02")
    # let the first entry's compressed size claim the second entry's bytes too
    struct.pack_into("<L", data, first + 20, len(jpeg) + 100)
    path = tmp_path / "overlap.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="重叠"):
        read_photo_source(path)


def test_too_many_entries(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(20_001):
            zf.writestr(f"{i}.txt", b"")
    with pytest.raises(InputError, match="20001 个文件"):
        read_photo_source(path)


def test_entry_count_is_refused_before_zipfile_reads_the_directory(tmp_path, monkeypatch):
    path = make_zip(tmp_path / "many.zip", {f"{i}.jpg": b"" for i in range(30)})

    def refuse(*args, **kwargs):
        raise AssertionError("the count comes from the end record")

    monkeypatch.setattr(zipfile, "ZipFile", refuse)
    with pytest.raises(InputError, match="30 个文件"):
        read_photo_source(path, limits=SourceLimits(max_entries=29))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Rar!\x1a\x07\x01\x00" + b"\0" * 100, "RAR"),
        (b"7z\xbc\xaf\x27\x1c" + b"\0" * 100, "7z"),
        (b"just some text, renamed to .zip", "不是 zip"),
        (b"", "不是 zip"),
    ],
)
def test_not_a_zip(tmp_path, content, message):
    path = tmp_path / "photos.zip"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        read_photo_source(path)
    assert "zip" in caught.value.message


def test_cut_off_zip_is_refused(tmp_path, jpeg):
    data = make_zip(tmp_path / "p.zip", {f"{ID1}.jpg": jpeg}).read_bytes()
    path = tmp_path / "cut.zip"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError):
        read_photo_source(path)


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="找不到"):
        read_photo_source(tmp_path / "nothing.zip")


def test_empty_zip(tmp_path):
    source, photos = read_all(make_zip(tmp_path / "empty.zip", {}))
    assert source.entries == () and photos == []


# --- per-photo problems inside a good zip -----------------------------------------------


def test_oversized_member_is_a_per_photo_rejection(tmp_path, jpeg):
    big = os.urandom(MAX_INPUT_BYTES + 1000)  # incompressible: no bomb, just too big
    # Deflated at level 0 (stored blocks): the same member to the reader, written in 0.1 s
    # instead of 1.3 s of compressing random bytes in vain.
    path = make_zip(tmp_path / "p.zip", {"big.jpg": big, f"{ID1}.jpg": jpeg}, compresslevel=0)
    source, photos = read_all(path)
    assert [e.size for e in source.entries] == [len(big), len(jpeg)]
    (_, data), (_, small) = photos
    assert len(data) == MAX_INPUT_BYTES + 1  # read no further than the limit
    assert [p.code for p in check_photo(data, fix=True).problems] == [
        PhotoCode.TOO_LARGE_TO_PROCESS
    ]
    assert small == jpeg


def test_member_with_bad_crc_yields_empty_bytes(tmp_path, jpeg):
    data = bytearray(raw_zip([(b"bad.jpg", jpeg), (f"{ID1}.jpg".encode(), jpeg)]))
    data[30 + len(b"bad.jpg") + 100] ^= 0xFF  # flip a byte inside the first photo
    path = tmp_path / "p.zip"
    path.write_bytes(bytes(data))
    _, photos = read_all(path)
    assert photos == [("bad.jpg", b""), (f"{ID1}.jpg", jpeg)]
    assert [p.code for p in check_photo(b"", fix=True).problems] == [PhotoCode.EMPTY]


def test_encrypted_member_is_ignored(tmp_path, jpeg):
    path = tmp_path / "p.zip"
    path.write_bytes(raw_zip([(f"{ID1}.jpg".encode(), jpeg), (f"{ID2}.jpg".encode(), jpeg)]))
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag of the first member, in its local and its central record
    data[6] |= 0x1
    data[data.find(b"PK\x01\x02") + 8] |= 0x1
    path.write_bytes(bytes(data))
    assert [flags & 1 for flags, _, _ in central_directory(bytes(data))] == [1, 0]
    source, photos = read_all(path)
    assert [name for name, _ in photos] == [f"{ID2}.jpg"]
    assert [(e.name, e.reason) for e in source.ignored] == [(f"{ID1}.jpg", IgnoreReason.ENCRYPTED)]


def test_a_zip_with_every_photo_encrypted_is_refused_saying_so(tmp_path, jpeg):
    path = tmp_path / "locked.zip"
    path.write_bytes(
        raw_zip([(f"{ID1}.jpg".encode(), jpeg), (f"{ID2}.jpg".encode(), jpeg)], flags=0x1)
    )
    with pytest.raises(InputError) as caught:
        read_photo_source(path)
    assert caught.value.code == "photos.zip_encrypted"
    assert dict(caught.value.params) == {"file": "locked.zip", "count": 2}
    assert "密码" in caught.value.message and "不设密码重新打包" in caught.value.message


def test_only_the_wanted_photos_are_read(tmp_path, jpeg, monkeypatch):
    path = make_zip(tmp_path / "p.zip", {f"{i}.jpg": jpeg for i in range(5)})
    opened = []
    original = zipfile.ZipFile.open

    def spy(self, member, *args, **kwargs):
        opened.append(member.filename)
        return original(self, member, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    with read_photo_source(path) as source:
        photos = list(source.photos(only={"1.jpg", "3.jpg"}))
    assert [name for name, _ in photos] == ["1.jpg", "3.jpg"]
    assert opened == ["1.jpg", "3.jpg"]


def test_cancel_while_reading(tmp_path, jpeg):
    path = make_zip(tmp_path / "p.zip", {f"{i}.jpg": jpeg for i in range(10)})
    progress = Progress()
    with read_photo_source(path, progress=progress) as source:
        iterator = iter(source)
        next(iterator)
        progress.cancel()
        with pytest.raises(Cancelled):
            next(iterator)


# --- folders ----------------------------------------------------------------------------


def test_folder_walk(tmp_path, jpeg):
    root = tmp_path / "照片"
    (root / "一班" / "子目录").mkdir(parents=True)
    (root / "__MACOSX").mkdir()
    (root / f"{ID1}.JPG").write_bytes(jpeg)
    (root / "一班" / f"张三 {ID2}.png").write_bytes(jpeg)
    (root / "一班" / "子目录" / "110105194912310048.Jpeg").write_bytes(jpeg)
    (root / "一班" / "Thumbs.db").write_bytes(b"x")
    (root / "一班" / "名单.xlsx").write_bytes(b"x")
    (root / "__MACOSX" / f"._{ID1}.JPG").write_bytes(b"x")

    source, photos = read_all(root)
    assert source.kind == "folder"
    assert [name for name, _ in photos] == [
        f"{ID1}.JPG",
        f"一班/张三 {ID2}.png",
        "一班/子目录/110105194912310048.Jpeg",
    ]
    assert all(data == jpeg for _, data in photos)
    assert {(e.name, e.reason) for e in source.ignored} == {
        ("__MACOSX/", IgnoreReason.SYSTEM_FILE),
        ("一班/Thumbs.db", IgnoreReason.SYSTEM_FILE),
        ("一班/名单.xlsx", IgnoreReason.NOT_IMAGE),
    }


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_folder_links(tmp_path, jpeg):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / f"{ID2}.jpg").write_bytes(jpeg)
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / f"{ID1}.jpg").write_bytes(jpeg)
    (root / "secret.jpg").symlink_to(outside / f"{ID2}.jpg")
    (root / "inside.jpg").symlink_to(root / "sub" / f"{ID1}.jpg")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "away").symlink_to(outside, target_is_directory=True)

    source, photos = read_all(root)
    assert [name for name, _ in photos] == ["inside.jpg", f"sub/{ID1}.jpg"]
    assert {(e.name, e.reason) for e in source.ignored} == {
        ("secret.jpg", IgnoreReason.LINK_OUTSIDE),
        ("loop", IgnoreReason.LINK_FOLDER),
        ("away", IgnoreReason.LINK_FOLDER),
    }


def test_folder_read_limit(tmp_path):
    (tmp_path / "big.jpg").write_bytes(b"\xff" * 1000)
    _, photos = read_all(tmp_path, limits=SourceLimits(max_read_bytes=100))
    assert [len(data) for _, data in photos] == [101]
