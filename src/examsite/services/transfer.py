"""Transfer between PCs: the ``site-transfer`` bundle (DESIGN.md, "Sync bundles").

``export_transfer`` writes the whole site (or one plan) into a signed bundle: one JSON
(``site.json``) with every record under a stable key (``uid`` columns, ID numbers, names
and codes; never row ids) and the photos' bytes under ``photos/<sha256>``, each stored
once. ``import_bundle`` verifies it (format, checksums, the site's signature, the paired
key, the sequence number) and merges it in one transaction:

- a record new to this PC is added; a record matched by its key (or, for a record made on
  both PCs apart, by its natural key: the room's name, the session's subject and time …)
  is merged field by field;
- with a sync baseline for the sending site (the hash of each field as last imported from
  it, kept in ``Setting``): a field only they changed is taken, one only we changed is
  kept, one both changed is a conflict for the coordinator (``resolutions`` {record key:
  "mine" | "theirs"} on a second call); without a baseline the newer change
  (``updated_at``) wins;
- a record missing from the bundle stays; a record deleted there travels as a tombstone
  (``services.transfer_deletions``): deleted here unless it changed here since (then a
  conflict), and a record deleted here is not brought back by an older bundle; nothing
  is duplicated;
- a registration added or changed outside its plan's registration window is refused and
  reported, not written;
- while a conflict is unresolved nothing is written (the report lists it); a dry run
  reports the same and writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from examsite import __version__, clock
from examsite.errors import InputError
from examsite.formats.bundle import BundleError, BundleFile, Manifest, read_bundle, sha256_of
from examsite.formats.bundle import write_bundle as write_bundle_file
from examsite.services import bundle_encryption, bundle_log, tombstones, transfer_keys
from examsite.services.backup import auto_backup
from examsite.services.disclosure import record_full_ids_in, remove_written
from examsite.services.transfer_merge import Merge
from examsite.services.transfer_records import (
    BASELINE_SETTING,
    DATA_FILE,
    KIND,
    PHOTO_FOLDER,
    SEQUENCE_SETTING,
    TRUSTED_SETTING,
    MergeReport,
    SiteRecords,
    TransferResult,
    put_json,
    settings_json,
)
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    Setting,
    Site,
)

# --- export ----------------------------------------------------------------------------


@bundle_log.logged(bundle_log.EXPORT_TRANSFER)
def export_transfer(
    db: Database,
    out: Path,
    plan_code: str | None = None,
    *,
    key_folder: Path | None = None,
    passphrase: str | None = None,
) -> TransferResult:
    """Write the site (or ``plan_code``'s part of it) to a signed transfer bundle; sealed
    under ``passphrase`` (required on an encrypted site: ``services.bundle_encryption``)."""
    with db.read() as session:
        site = session.scalars(select(Site).order_by(Site.id)).first()
        if site is None:
            raise InputError("bundle.transfer_no_site")
        site_name = site.name
        dump = SiteRecords(session, plan_code, blobs=True)
        buried = tombstones.to_export(session)
        setting = session.get(Setting, SEQUENCE_SETTING)
        last = int(setting.value) if setting is not None else 0
    key = transfer_keys.site_key(site_name, key_folder)
    public = transfer_keys.public_text(key.public_key())
    sequence = transfer_keys.next_sequence(site_name, last, key_folder)
    # Compact: an indent sends json to its pure-Python encoder, five times slower.
    data = json.dumps(
        {"records": dump.records, "tombstones": buried},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")
    files = {DATA_FILE: data, **{PHOTO_FOLDER + h: b for h, b in sorted(dump.blobs.items())}}
    files, sealed = bundle_encryption.seal_for_export(db, files, passphrase)
    counts = {entity: len(records) for entity, records in dump.records.items()}
    counts["photo_files"] = len(dump.blobs)
    counts["tombstones"] = sum(len(stones) for stones in buried.values())
    created = clock.now().isoformat(timespec="seconds")
    extra: dict[str, Any] = {
        transfer_keys.PUBLIC_KEY: public,
        transfer_keys.SEQUENCE: sequence,
    }
    if sealed is not None:
        extra[bundle_encryption.ENCRYPTION] = sealed
    # The manifest write_bundle will write, signed before it is written.
    entries = tuple(BundleFile(p, len(b), sha256_of(b)) for p, b in sorted(files.items()))
    unsigned = Manifest(KIND, site_name, plan_code or "", created, __version__, counts, entries)
    plain = {**unsigned.to_plain(), "extra": extra}
    extra[transfer_keys.SIGNATURE] = transfer_keys.sign(key, plain)
    write_bundle_file(
        out,
        files,
        kind=KIND,
        site=site_name,
        plan=plan_code or "",
        created=created,
        program=__version__,
        counts=counts,
        extra=extra,
    )
    try:
        with db.unit_of_work() as session:
            session.merge(Setting(key=SEQUENCE_SETTING, value=str(sequence)))
            people = len(dump.records.get("candidate", {}))
            record_full_ids_in(session, "export", "transfer_bundle", out, people)
    except BaseException:
        remove_written(out)  # its sequence not kept, not logged: not left behind
        raise
    return TransferResult(
        file=str(out),
        site=site_name,
        plan=plan_code or "",
        sequence=sequence,
        fingerprint=transfer_keys.fingerprint(public),
        counts=counts,
        photos=len(dump.blobs),
        size_bytes=out.stat().st_size,
    )


# --- import ----------------------------------------------------------------------------


@bundle_log.logged(bundle_log.IMPORT_TRANSFER)
def import_bundle(
    db: Database,
    path: Path,
    *,
    dry_run: bool = False,
    resolutions: Mapping[str, str] | None = None,
    pair: bool = False,
    key_folder: Path | None = None,
    passphrase: str | None = None,
) -> MergeReport:
    """Verify the transfer bundle at ``path`` and merge it (see the module's docstring);
    an encrypted bundle is opened with ``passphrase``."""
    resolutions = dict(resolutions or {})
    for key, choice in resolutions.items():
        if choice not in ("mine", "theirs"):
            raise InputError("bundle.transfer_bad_resolution", key=key)
    bundle = read_bundle(path)  # copied to local disk and verified first
    manifest = bundle.manifest
    name = path.name
    if manifest.kind != KIND:
        raise BundleError("bundle.transfer_wrong_kind", file=name, kind=manifest.kind)
    extra = dict(manifest.extra)
    public = extra.get(transfer_keys.PUBLIC_KEY)
    sequence = extra.get(transfer_keys.SEQUENCE)
    if not isinstance(public, str) or not isinstance(sequence, int):
        raise BundleError("bundle.transfer_unsigned", file=name)
    if transfer_keys.SIGNATURE not in extra:
        raise BundleError("bundle.transfer_unsigned", file=name)
    if not transfer_keys.verify(manifest.to_plain()):
        raise BundleError("bundle.transfer_bad_signature", file=name)
    files = bundle_encryption.open_for_import(bundle.files, extra, name, passphrase)
    try:
        data = json.loads(files[DATA_FILE].decode("utf-8"))
        theirs = data["records"]
        if not isinstance(theirs, dict):
            raise TypeError("records")
        buried = tombstones.parse(data.get("tombstones"))
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError("bundle.transfer_bad_data", file=name, detail=str(exc)) from exc
    fingerprint = transfer_keys.fingerprint(public)
    if not dry_run:
        auto_backup(db, "merge")  # a merge can be taken back by restoring this copy
    context = db.read() if dry_run else db.unit_of_work()
    with context as session:
        paired = _check_trust(
            session, manifest, name, public, fingerprint, sequence, pair, key_folder
        )
        merge = Merge(session, name, theirs, files, fingerprint, resolutions, buried)
        merge.plan_changes()
        conflicts = tuple(merge.conflicts)
        applied = False
        if not dry_run and not any(c.resolution is None for c in conflicts):
            try:
                merge.apply()
            except IntegrityError as exc:  # e.g. two seats given the same number apart
                raise BundleError("bundle.transfer_clash", file=name, detail=str(exc.orig)) from exc
            trusted = settings_json(session, TRUSTED_SETTING)
            entry = trusted.get(fingerprint) or {
                "site": manifest.site,
                "public_key": public,
                "paired_at": clock.now().isoformat(timespec="seconds"),
            }
            entry["last_sequence"] = sequence
            trusted[fingerprint] = entry
            put_json(session, TRUSTED_SETTING, trusted)
            put_json(session, BASELINE_SETTING + fingerprint, merge.new_baseline())
            applied = True
        elif not dry_run:
            session.rollback()  # nothing written while a conflict waits for a choice
    return MergeReport(
        file=str(path),
        site=manifest.site,
        fingerprint=fingerprint,
        sequence=sequence,
        paired=paired,
        dry_run=dry_run,
        applied=applied,
        added=dict(merge.added),
        updated=dict(merge.updated),
        unchanged=merge.unchanged,
        photos_added=merge.photos_added,
        conflicts=conflicts,
        refused=tuple(merge.refused),
        changes=tuple(merge.changes),
        deleted=dict(merge.deletions.deleted),
    )


def _check_trust(
    session: Session,
    manifest: Manifest,
    name: str,
    public: str,
    fingerprint: str,
    sequence: int,
    pair: bool,
    key_folder: Path | None,
) -> bool:
    """Whether this import pairs the key (raises when the bundle is not to be trusted)."""
    sites = list(session.scalars(select(Site.name)))
    empty = not sites and session.scalars(select(Candidate.id).limit(1)).first() is None
    if sites and manifest.site not in sites:
        raise BundleError(
            "bundle.transfer_other_site", file=name, site=manifest.site, mine=sites[0]
        )
    trusted = settings_json(session, TRUSTED_SETTING)
    entry = trusted.get(fingerprint)
    if entry is not None:
        last = int(entry.get("last_sequence", 0))
        if sequence <= last:
            raise BundleError("bundle.transfer_replayed", file=name, sequence=sequence, last=last)
        return False
    if empty or pair:
        return True
    raise BundleError(
        "bundle.transfer_untrusted", file=name, site=manifest.site, fingerprint=fingerprint
    )
