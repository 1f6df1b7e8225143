"""Eight processes writing to one database at once (imports, registrations, check-ins,
edits of the same candidates): every change a process committed is found afterwards, and
no edit is lost (the benchmark's workload, for a few seconds; both engines)."""

from __future__ import annotations

import writers_workload as workload
from examsite.storage.db import Database

PROCESSES = 8
SECONDS = 3.0


def test_eight_writers_lose_no_update(db: Database, demo_site) -> None:
    demo_site(db, 60)
    site = workload.prepare(db, 60)
    workload.warm_up(db, site)
    db.engine.dispose()  # no connection of this process shared with the forked ones
    tallies = workload.run(db.url, site, PROCESSES, SECONDS, method="fork")
    assert [e for t in tallies for e in t.errors] == []
    verdict = workload.verify(db, site, tallies)
    assert verdict.found == verdict.expected, verdict
    assert verdict.lost == 0
    figures = workload.summary(tallies, SECONDS)
    assert figures["all"]["committed"] >= PROCESSES  # every process wrote
    assert verdict.expected["edit"] > 0 and verdict.expected["checkin"] > 0
    # The edits that collided were refused, not written over one another: the counters
    # hold exactly the committed increments, refusals on top.
    assert figures["edit"]["committed"] == verdict.found["edit"]
    # The count can fail: an increment claimed but not in the database is a lost update.
    claimed = workload.Tally(PROCESSES)
    claimed.edits[site.hot[0]] += 1
    claimed.imported.append("150102200101010000")
    assert workload.verify(db, site, [*tallies, claimed]).lost == 3  # counter, audit, row
