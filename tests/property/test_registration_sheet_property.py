"""The registration sheets (按证书批量报考表, 003 and 001) against hostile files, onto the
demo site before anyone is registered: a report or a refusal, nothing changed by one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hostile import HostileFile, hostile_sheet, import_survives
from hypothesis import given, settings
from hypothesis import strategies as st
from profiles import examples
from valid_files import registration_rows

from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.registration_sheets import import_registration_sheet


@pytest.fixture
def demo(site_databases: Any) -> Any:
    return site_databases("demo-20")


@pytest.mark.parametrize("variant", ["003", "001"])
@settings(max_examples=examples(15))
@given(
    data=st.data(),
    dry_run=st.booleans(),
    as_social=st.booleans(),
    plan=st.sampled_from([None, DEMO_PLAN_CODE, DEMO_PLAN_CODE, "NO-SUCH-PLAN"]),
)
def test_a_hostile_registration_sheet_gets_a_report_or_a_refusal(
    demo: Any,
    db_templates: Any,
    tmp_path: Path,
    variant: str,
    data: st.DataObject,
    dry_run: bool,
    as_social: bool,
    plan: str | None,
) -> None:
    rows, header_at = registration_rows(db_templates.arranged(20), variant)
    file: HostileFile = data.draw(hostile_sheet(rows, header_at), label="file")
    path = file.write(tmp_path / "in", "报考")
    import_survives(
        demo,
        lambda db: import_registration_sheet(
            db, path, plan_code=plan, dry_run=dry_run, as_social=as_social
        ),
        writes=not dry_run,
    )
