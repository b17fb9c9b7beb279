#!/usr/bin/env python
"""Benchmark: what chaining the journal of decisions costs an act, in one run.

    .venv/bin/python bench/journal_record.py [--database-url URL] [--acts 400] [--per-act 1]

One process, the app built on the database ($BENCH_DATABASE_URL or --database-url, default
``postgresql://postgres@127.0.0.1:5432/convergence_journal_bench``, created when missing;
``sqlite:///PATH`` works too), upgraded and emptied of journal entries. Each act is one
transaction: ``--per-act`` calls of ``audit.record()`` and the commit. Timed (wall clock
and CPU, median of batches of 50 acts), alternating batches:

- unchained: the commit's chaining step taken off (``before_commit`` listener removed), so
  the entry is inserted as before the chain existed (its own commune, left unchained);
- chained: as the application runs (lock, head read, seals, hash, update).

Then ``audit.verify()`` over the chained commune (time per entry). Prints a SUMMARY line
with the ratio chained / unchained.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/convergence_journal_bench"


def ensure_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    import sqlalchemy as sa

    base, name = url.rsplit("/", 1)
    engine = sa.create_engine(f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/postgres",
                              isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--acts", type=int, default=400, help="acts of each kind")
    parser.add_argument("--per-act", type=int, default=1, help="entries recorded per act")
    args = parser.parse_args()
    ensure_database(args.database_url)
    os.environ.update(DATABASE_URL=args.database_url, SECRET_KEY="bench", CONVERGENCE_PLUGINS="",
                      LIVE_BACKEND="memory")
    from flask_migrate import upgrade
    from sqlalchemy import event
    from sqlalchemy.orm import Session as OrmSession

    from convergence import audit
    from convergence.app import create_app
    from convergence.extensions import db
    from convergence.models import AuditEntry, Commune

    app = create_app()
    with app.app_context():
        upgrade(revision="heads")
        db.session.execute(db.delete(AuditEntry))
        communes = []
        for slug in ("bench-unchained", "bench-chained"):
            commune = db.session.scalar(db.select(Commune).where(Commune.slug == slug))
            if commune is None:
                commune = Commune(slug=slug, name=slug)
                db.session.add(commune)
            communes.append(commune)
        db.session.commit()
        unchained_id, chained_id = (c.id for c in communes)

    def batch(commune_id: int, acts: int) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        for number in range(acts):
            for index in range(args.per_act):
                audit.record("bench.act", commune_id=commune_id, target=f"Acte {number}", index=index,
                             person="Camille Martin", person_id=number)
            db.session.commit()
        return (time.perf_counter() - wall) / acts, (time.process_time() - cpu) / acts

    results = {"unchained": [], "chained": []}
    with app.test_request_context():
        batch(chained_id, 10)  # warm up (first queries, compiled statements)
        for _round in range(args.acts // 50):
            event.remove(OrmSession, "before_commit", audit._chain_new_entries)
            try:
                results["unchained"].append(batch(unchained_id, 50))
            finally:
                event.listen(OrmSession, "before_commit", audit._chain_new_entries)
            results["chained"].append(batch(chained_id, 50))
        started = time.perf_counter()
        verdict = audit.verify(chained_id)
        verify_time = time.perf_counter() - started
        assert verdict.intact, verdict
    figures = {kind: (statistics.median(w for w, _c in rows) * 1000, statistics.median(c for _w, c in rows) * 1000)
               for kind, rows in results.items()}
    for kind, (wall, cpu) in figures.items():
        print(f"{kind:10s} wall {wall:.3f} ms/act  cpu {cpu:.3f} ms/act")
    print(f"verify: {verdict.count} entries in {verify_time * 1000:.1f} ms "
          f"({verify_time / verdict.count * 1e6:.1f} µs per entry)")
    backend = args.database_url.split(":", 1)[0]
    print(f"SUMMARY journal_record backend={backend} per_act={args.per_act} "
          f"wall_ratio={figures['chained'][0] / figures['unchained'][0]:.2f} "
          f"cpu_ratio={figures['chained'][1] / figures['unchained'][1]:.2f} "
          f"verify_us_per_entry={verify_time / verdict.count * 1e6:.1f}")


if __name__ == "__main__":
    main()
