"""Transfer bundles for the property tests: the arranged demo's own export, and a bundle
re-signed with a key of its own after its data were spoilt — the manifest's signature
only proves that the bundle is whole, so a stranger's well-signed bundle reaches the
merge on an empty database (which pairs with the first key it sees) or with --pair."""

from __future__ import annotations

import functools
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import strategies as st

from examsite.formats.bundle import Bundle, BundleFile, Manifest, read_bundle, sha256_of
from examsite.formats.bundle import write_bundle as write_bundle_file
from examsite.services import transfer_keys
from examsite.services.transfer import export_transfer
from examsite.services.transfer_records import KIND
from examsite.storage.db import Database

#: A key of the test's own (a stranger's, as far as any database knows).
STRANGER = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


@functools.cache
def exported(arranged: Path) -> tuple[bytes, Bundle]:
    """The arranged demo exported as a transfer bundle: its bytes and what it holds."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        copy.write_bytes(Path(arranged).read_bytes())
        database = Database.open(copy)
        try:
            export_transfer(database, Path(folder) / "b.zip", key_folder=Path(folder) / "keys")
        finally:
            database.close()
        data = (Path(folder) / "b.zip").read_bytes()
        return data, read_bundle(Path(folder) / "b.zip")


def resigned(
    target: Path,
    files: Mapping[str, bytes],
    manifest: Manifest,
    *,
    site: str | None = None,
    sequence: Any = 7,
    key: Ed25519PrivateKey = STRANGER,
) -> Path:
    """``files`` written as a transfer bundle signed by ``key``, as export_transfer does."""
    public = transfer_keys.public_text(key.public_key())
    site = manifest.site if site is None else site
    extra: dict[str, Any] = {transfer_keys.PUBLIC_KEY: public, transfer_keys.SEQUENCE: sequence}
    entries = tuple(BundleFile(p, len(b), sha256_of(b)) for p, b in sorted(files.items()))
    unsigned = Manifest(
        KIND, site, manifest.plan, manifest.created, manifest.program, manifest.counts, entries
    )
    extra[transfer_keys.SIGNATURE] = transfer_keys.sign(
        key, {**unsigned.to_plain(), "extra": extra}
    )
    write_bundle_file(
        target,
        files,
        kind=KIND,
        site=site,
        plan=manifest.plan,
        created=manifest.created,
        program=manifest.program,
        counts=manifest.counts,
        extra=extra,
    )
    return target


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "2027-13-45T99:99:99", "1999-01-01", "../x", "NaN"])
    | st.integers(1, 5).map(lambda n: "长" * 2000 * n),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def spoiled_json(draw: st.DrawFn, value: Any, *, max_edits: int = 3) -> Any:
    """``value`` (parsed JSON) with a few values deep inside replaced by values of the
    wrong type, keys deleted, or records copied under another key."""
    root = json.loads(json.dumps(value))
    for _ in range(draw(st.integers(1, max_edits))):
        parent: Any = None
        key: Any = None
        node = root
        for _depth in range(draw(st.integers(0, 5))):
            if isinstance(node, dict) and node:
                k = draw(st.sampled_from(sorted(node)))
            elif isinstance(node, list) and node:
                k = draw(st.integers(0, len(node) - 1))
            else:
                break
            parent, key, node = node, k, node[k]
        if parent is None:
            root = draw(json_values) if draw(st.integers(0, 9)) == 0 else root
            continue
        edit = draw(st.sampled_from(["replace", "replace", "delete", "copy"]))
        if edit == "replace":
            parent[key] = draw(json_values)
        elif edit == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = json.loads(json.dumps(node))
        else:
            parent.append(json.loads(json.dumps(node)))
    return root
