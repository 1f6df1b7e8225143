"""a photo stored once: ``photo.original_patch``

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00

A photo that already meets the rules keeps its own image data: ``photo.image`` is then the
uploaded file without its metadata, ``photo.original`` is NULL and the new
``photo.original_patch`` holds the removed metadata and where it was (NULL when nothing
was removed), so the file as it came is rebuilt from the two. Thumbnails are only stored
for photos without an image; the others are made when the grid shows them.

Upgrade adds the column; every existing row keeps its ``original`` and stays valid.
Downgrade writes each rebuilt original back into ``original`` and a thumbnail for each
photo that has none, then drops the column.

The patch format and the thumbnail are written out here on purpose: a migration must not
change when the program's code does.
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

photo = sa.table(
    "photo",
    sa.column("id", sa.Integer),
    sa.column("original", sa.LargeBinary),
    sa.column("image", sa.LargeBinary),
    sa.column("thumbnail", sa.LargeBinary),
    sa.column("original_patch", sa.LargeBinary),
)

_PATCH_MAGIC = b"JPX1"
_SPAN = struct.Struct(">II")
_THUMBNAIL_SIZE = (148, 207)


def upgrade() -> None:
    with op.batch_alter_table("photo") as batch_op:
        batch_op.add_column(sa.Column("original_patch", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    ids = bind.execute(
        sa.select(photo.c.id).where(
            sa.or_(
                photo.c.original.is_(None),
                sa.and_(photo.c.thumbnail.is_(None), photo.c.image.is_not(None)),
            )
        )
    ).scalars()
    for photo_id in list(ids):  # one row at a time: photos are large
        row = bind.execute(
            sa.select(
                photo.c.original, photo.c.image, photo.c.thumbnail, photo.c.original_patch
            ).where(photo.c.id == photo_id)
        ).one()
        values: dict[str, bytes] = {}
        if row.original is None and row.image is not None:
            values["original"] = _restore(row.image, row.original_patch or b"")
        if row.thumbnail is None and row.image is not None:
            thumbnail = _thumbnail(row.image)
            if thumbnail is not None:
                values["thumbnail"] = thumbnail
        if values:
            bind.execute(photo.update().where(photo.c.id == photo_id).values(**values))
    with op.batch_alter_table("photo") as batch_op:
        batch_op.drop_column("original_patch")


def _restore(jpeg: bytes, patch: bytes) -> bytes:
    if not patch.startswith(_PATCH_MAGIC):
        return jpeg
    parts = []
    done = 0
    pos = len(_PATCH_MAGIC)
    while pos < len(patch):
        at, length = _SPAN.unpack_from(patch, pos)
        pos += _SPAN.size
        parts += [jpeg[done:at], patch[pos : pos + length]]
        pos += length
        done = at
    parts.append(jpeg[done:])
    return b"".join(parts)


def _thumbnail(jpeg: bytes) -> bytes | None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(jpeg)) as image:
            image.draft("RGB", _THUMBNAIL_SIZE)
            small = image.convert("RGB")
            small.thumbnail(_THUMBNAIL_SIZE)
            out = io.BytesIO()
            small.save(out, "JPEG", quality=80)
            return out.getvalue()
    except Exception:
        log.warning("cannot make a thumbnail of a stored photo", exc_info=True)
        return None
