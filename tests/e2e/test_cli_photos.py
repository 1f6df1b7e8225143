"""``examsite-cli photos`` end to end on a demo site."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

from cli_runner import run_cli

from examsite.services.demo import BLUE, RED, demo_photo


def test_photo_import_json_and_exit_codes(tmp_path: Path, demo_db_file) -> None:
    db = demo_db_file(20)  # what ``demo create --candidates 20`` makes
    listing = json.loads(run_cli("candidates", "list", "--json", db=db).stdout)
    ids = [c["id_number"] for c in listing][:4]
    rng = random.Random(3)
    source = tmp_path / "照片.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(f"{ids[0]}.jpg", demo_photo(rng, RED))
        archive.writestr(f"{ids[1]}.jpg", demo_photo(rng, BLUE))
        archive.writestr(f"{ids[2]}.jpg", demo_photo(rng, RED, (590, 826)))
        archive.writestr("__MACOSX/._x.jpg", b"\x00")
        archive.writestr("nobody.jpg", demo_photo(rng, RED))

    plain = run_cli("photos", "import", str(source), "--json", db=db)
    assert plain.returncode == 0, plain.stderr
    document = json.loads(plain.stdout)
    verdicts = {r["id_number"]: r["verdict"] for r in document["results"]}
    assert verdicts == {ids[0]: "pass", ids[1]: "rejected", ids[2]: "rejected"}
    assert document["unmatched"] == ["nobody.jpg"]
    assert document["ignored"] == ["__MACOSX/._x.jpg"]
    fixable = next(r for r in document["results"] if r["id_number"] == ids[2])
    assert "自动修复" in fixable["problems"][0]["message"]

    fixed = json.loads(run_cli("photos", "import", str(source), "--fix", "--json", db=db).stdout)
    assert {r["id_number"]: r["verdict"] for r in fixed["results"]}[ids[2]] == "fixed"

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{ids[3]}.jpg", b"\x00" * (60 * 1024 * 1024))
    refused = run_cli("photos", "import", str(bomb), "--json", db=db)
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "photos.zip_bomb"
    assert "压缩炸弹" in refused.stderr
    listing = json.loads(run_cli("candidates", "list", "--json", db=db).stdout)
    assert next(c for c in listing if c["id_number"] == ids[3])["photo"] != "fixed"
