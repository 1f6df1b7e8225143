"""Transfer bundles (换机传输包) against hostile files: bytes and zip entries spoilt,
manifests with wrong types, well-signed bundles of a stranger whose data are spoilt (wrong
types deep in the records), another site's bundle — into an empty database (which pairs
with the first key it sees) and into the demo site (with and without --pair). The result
is a merge report or a clear refusal, and a refusal changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bundle_making import exported, resigned, spoiled_json
from hostile import import_survives, spoiled_bytes, spoiled_zip, zip_entries, zip_of
from hypothesis import given, settings
from hypothesis import strategies as st
from profiles import examples

from examsite.formats.bundle import MANIFEST
from examsite.services.transfer import import_bundle
from examsite.services.transfer_records import DATA_FILE

TARGETS = ("empty", "demo-20")


@pytest.fixture
def targets(site_databases: Any) -> dict[str, Any]:
    return {name: site_databases(name) for name in TARGETS}


def _run(
    targets: dict[str, Any], target: str, path: Path, dry_run: bool, pair: bool, keys: Path
) -> None:
    import_survives(
        targets[target],
        lambda db: import_bundle(db, path, dry_run=dry_run, pair=pair, key_folder=keys),
        writes=not dry_run,
    )


@settings(max_examples=examples(20))
@given(
    data=st.data(),
    target=st.sampled_from(TARGETS),
    dry_run=st.booleans(),
    pair=st.booleans(),
)
def test_a_damaged_bundle_is_refused_or_reported(
    targets: dict[str, Any],
    db_templates: Any,
    tmp_path: Path,
    data: st.DataObject,
    target: str,
    dry_run: bool,
    pair: bool,
) -> None:
    good, _bundle = exported(db_templates.arranged(20))
    how = data.draw(st.sampled_from(["bytes", "zip", "manifest"]), label="how")
    if how == "bytes":
        bad = data.draw(spoiled_bytes(good), label="bytes")
    elif how == "zip":
        bad = data.draw(spoiled_zip(good), label="zip")
    else:
        entries = zip_entries(good)
        manifest = json.loads(entries[MANIFEST])
        entries[MANIFEST] = json.dumps(data.draw(spoiled_json(manifest), label="manifest")).encode()
        bad = zip_of(list(entries.items()))
    path = tmp_path / "in" / "传输包.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bad)
    _run(targets, target, path, dry_run, pair, tmp_path / "keys")


@settings(max_examples=examples(25))
@given(
    data=st.data(),
    target=st.sampled_from(TARGETS),
    dry_run=st.booleans(),
    pair=st.booleans(),
    site=st.sampled_from([None, None, None, "另一个考点", ""]),
    sequence=st.sampled_from([7, 7, 0, -1, 2**63, "7"]),
)
def test_a_well_signed_bundle_with_spoilt_data_is_refused_or_reported(
    targets: dict[str, Any],
    db_templates: Any,
    tmp_path: Path,
    data: st.DataObject,
    target: str,
    dry_run: bool,
    pair: bool,
    site: str | None,
    sequence: Any,
) -> None:
    _good, bundle = exported(db_templates.arranged(20))
    files = dict(bundle.files)
    plain = json.loads(files[DATA_FILE])
    what = data.draw(st.sampled_from(["records", "records", "tombstones", "photos", "none"]))
    if what == "records":
        plain["records"] = data.draw(spoiled_json(plain["records"]), label="records")
    elif what == "tombstones":
        plain["tombstones"] = data.draw(spoiled_json(plain.get("tombstones") or {}), label="stones")
    elif what == "photos":
        name = data.draw(st.sampled_from(sorted(n for n in files if n != DATA_FILE)))
        files[name] = data.draw(spoiled_bytes(files[name]), label="photo")
    files[DATA_FILE] = json.dumps(plain, ensure_ascii=False).encode("utf-8")
    path = resigned(
        tmp_path / "in" / "传输包.zip", files, bundle.manifest, site=site, sequence=sequence
    )
    _run(targets, target, path, dry_run, pair, tmp_path / "keys")
