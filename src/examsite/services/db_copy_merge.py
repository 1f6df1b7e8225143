"""``db copy --merge``: a target that already holds site data takes the source's site
through the transfer bundle's merge rules instead of being overwritten.

The source is exported to a signed transfer bundle in a temporary folder
(``services.transfer.export_transfer``) and the target imports it
(``services.transfer.import_bundle``): new records are added, records both hold are
merged field by field, conflicts wait for the coordinator's choice (``resolutions``), and
the whole merge is one transaction of the target.

The target only merges a bundle signed by a key it trusts. A target that has never
received this site's data has not paired its key: that is refused (db_copy.merge_untrusted)
with the key's fingerprint, and ``pair`` (``--pair``) is the coordinator's "yes, this is
our site's data" — the same choice ``import bundle --pair`` asks for.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from examsite.formats.bundle import BundleError
from examsite.progress import Progress
from examsite.services.bundle_encryption import one_time_passphrase
from examsite.services.catalog import ensure_catalog
from examsite.services.transfer import export_transfer, import_bundle
from examsite.services.transfer_records import MergeReport
from examsite.storage.db import Database, shown_location

#: The bundle file's name in the temporary folder.
BUNDLE_NAME = "db-copy-merge.zip"


def merge_into(
    source: Database,
    url: str,
    *,
    label: str = "",
    pair: bool = False,
    resolutions: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge the site in ``source`` into the database at ``url`` (see the module);
    ``label`` names the target in messages."""
    progress = progress or Progress()
    with tempfile.TemporaryDirectory(prefix="examsite-db-copy-") as folder:
        bundle = Path(folder) / BUNDLE_NAME
        progress.step(0, 3, "导出来源的数据")
        secret = one_time_passphrase(source)  # an encrypted site's bundle is sealed too
        exported = export_transfer(source, bundle, passphrase=secret)
        progress.check_cancelled()
        progress.step(1, 3, "合并到目标数据库")
        target = Database.open(url)
        try:
            ensure_catalog(target)
            try:
                report = import_bundle(
                    target, bundle, resolutions=resolutions, pair=pair, passphrase=secret
                )
            except BundleError as error:
                if error.code == "bundle.transfer_untrusted":
                    raise BundleError(
                        "db_copy.merge_untrusted",
                        target=label or shown_location(url),
                        site=exported.site,
                        fingerprint=exported.fingerprint,
                    ) from error
                raise
        finally:
            target.close()
        progress.step(3, 3, "合并完成")
        return report
