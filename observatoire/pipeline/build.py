"""Run every family, write a temporary database, check it, and rename it into place only if all passed."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from observatoire import config, files
from observatoire.manifest import load_manifest
from observatoire.pipeline import aides_covid, diff, france_relance, geo, insee, map_shapes, territoires_industrie
from observatoire.pipeline.context import Context
from observatoire.pipeline.errors import BuildError
from observatoire.pipeline.fetch import Fetcher

SCHEMA = (Path(__file__).parent / "schema.sql").read_text(encoding="utf-8")

# (label shown in progress, source id, loader). Order matters: geography first, others join to it.
STEPS = [
    ("Géographie (COG 2026)", "geo_decoupage_administratif_npm", geo.load),
    ("Territoires d'industrie", "territoires-industrie", territoires_industrie.load),
    ("Aides Covid", "aides_covid_etalab", aides_covid.load),
    ("Baromètre France Relance", "france-relance-barometre", france_relance.load_barometre),
    ("Projets industriels DGE", "plan-de-relance", france_relance.load_dge),
    ("Fonds friches", "cerema_fonds_friches", france_relance.load_friches),
    ("Emplois par fonction (RP)", insee.FONCTIONS, insee.load_fonctions),
    ("Chômage localisé", insee.CHOMAGE, insee.load_chomage),
    ("Estel zones d'emploi", insee.ESTEL, insee.load_estel),
    ("Emploi salarié privé URSSAF", insee.URSSAF, insee.load_urssaf),
    ("Établissements 2014", insee.ETAB, insee.load_etablissements),
    ("Parts sectorielles RP", insee.RP, insee.load_rp),
    ("URSSAF commune × APE (Rouen)", insee.ROUEN, insee.load_rouen),
    ("Nomenclature NAF", insee.NAF, insee.load_naf),
]
# Sources read by a step beside its own (counted in the progress bar and the sources table)
# Frames that later steps join to; every other frame is dropped once written, to keep peak memory low.
KEEP_FRAMES = {"geo_communes", "geo_departements", "geo_ept_communes", "geo_commune_codes"}
EXTRA_SOURCES = {
    "geo_decoupage_administratif_npm": [
        "geo_communes_epci_derived",
        "geo_contours_etalab_dashboard",
        "geo_insee_appartenance_2023",
    ]
}


@dataclass
class StepResult:
    label: str
    source_id: str
    rows: int
    seconds: float
    status: str


class Progress:
    """One bar per source on stderr; plain lines when not a terminal (CI logs)."""

    def __init__(self, label: str, total: int, stream=sys.stderr):
        self.label, self.total, self.done, self.stream = label, max(total, 1), 0, stream
        self.tty = stream.isatty()
        self.draw()

    def tick(self):
        self.done += 1
        if self.tty:
            self.draw()

    def draw(self, end: str = ""):
        width = 30
        filled = int(width * min(self.done, self.total) / self.total)
        bar = "█" * filled + "·" * (width - filled)
        text = f"{self.label[:32]:<32} [{bar}] {min(self.done, self.total)}/{self.total} fichiers"
        if self.tty:
            self.stream.write("\r" + text + end)
        elif end:
            self.stream.write(text + end)
        self.stream.flush()

    def finish(self, suffix: str):
        self.done = self.total
        self.draw(end=f"  {suffix}\n")


def build(
    db_path: Path | None = None,
    mirror: Path | None = None,
    manifest_path: Path | None = None,
    *,
    offline: bool = False,
    accept_changes: bool = False,
    cache: Path | None = None,
    quiet: bool = False,
) -> list[StepResult]:
    db_path = Path(db_path or config.db_path())
    sources = load_manifest(manifest_path)
    if mirror is None:
        mirror = config.mirror_path()
    if mirror is not None and not Path(mirror).is_dir():
        print(
            f"Attention : le dossier miroir {mirror} n'existe pas ; les fichiers seront téléchargés.", file=sys.stderr
        )
        mirror = None
    fetcher = Fetcher(
        mirror=Path(mirror) if mirror else None,
        cache=Path(cache or config.cache_path()),
        offline=offline,
        accept_changes=accept_changes,
    )
    ctx = Context(sources=sources, fetcher=fetcher)
    ctx.frames = {}
    results: list[StepResult] = []
    changes = None
    stream = open(os.devnull, "w") if quiet else sys.stderr
    try:
        with files.replaced_when_done(db_path) as tmp:
            con = duckdb.connect(str(tmp))
            try:
                con.execute(SCHEMA)
                for label, source_id, loader in STEPS:
                    ids = [source_id] + EXTRA_SOURCES.get(source_id, [])
                    bar = Progress(label, sum(len(sources[i].files) for i in ids), stream)
                    ctx.on_file = bar.tick
                    started = time.perf_counter()
                    try:
                        tables = loader(ctx)
                        status = "chargée"
                    except BuildError as exc:
                        if (
                            sources[source_id].optional
                            and exc.source_id == source_id
                            and not fetcher_has(fetcher, source_id)
                        ):
                            tables, status = {}, "absente (facultative)"
                        else:
                            bar.finish("ÉCHEC")
                            raise
                    except (KeyError, ValueError, TypeError, IndexError, OSError, ArithmeticError) as exc:
                        # a shape no check foresaw: still a French message naming the source and the last file read
                        bar.finish("ÉCHEC")
                        last = next((rec.path for rec in reversed(fetcher.records) if rec.source_id in ids), "?")
                        raise BuildError(
                            source_id,
                            last,
                            f"contenu inattendu, la lecture a échoué (dernier fichier lu ; {type(exc).__name__} : "
                            f"{str(exc)[:160]}).",
                        ) from None
                    rows = 0
                    for name, frame in tables.items():
                        if name.startswith("_"):
                            ctx.frames[name] = frame
                            continue
                        insert(con, name, frame)
                        if name in KEEP_FRAMES:
                            ctx.frames[name] = frame
                        rows += len(frame)
                    del tables
                    seconds = time.perf_counter() - started
                    bar.finish(f"{rows:>9,} lignes  {seconds:5.1f} s".replace(",", " "))
                    results.append(StepResult(label, source_id, rows, seconds, status))
                bar = Progress("Contours des cartes (dérivés)", 1, stream)
                started = time.perf_counter()
                shapes = map_shapes.frame(con)
                insert(con, "map_shapes", shapes)
                bar.tick()
                bar.finish(f"{len(shapes):>9,} lignes  {time.perf_counter() - started:5.1f} s".replace(",", " "))
                check_derived(ctx)
                check_database(con)
                write_sources(con, sources, fetcher, results)
                accepted = ", ".join(fetcher.changed) or None
                con.execute(
                    "INSERT INTO build_info VALUES ('sources', ?, ?)",
                    [
                        dt.datetime.now().replace(microsecond=0),
                        accepted and f"fichiers acceptés hors manifeste : {accepted}",
                    ],
                )
                if accept_changes and db_path.is_file():
                    changes = diff.compare(con, db_path)
                    diff.store(con, changes)
                con.execute("CHECKPOINT")
            finally:
                con.close()
    finally:
        if quiet:
            stream.close()
    for w in fetcher.warnings:
        print(f"Attention : {w}", file=sys.stderr)
    if changes is not None:
        print("\nChangements dans les données par rapport à la base précédente :", file=sys.stderr)
        for c in changes:
            print(f"- {c.text()}", file=sys.stderr)
        if not changes:
            print("- aucun", file=sys.stderr)
    return results


def fetcher_has(fetcher: Fetcher, source_id: str) -> bool:
    return any(r.source_id == source_id for r in fetcher.records)


def insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
    data = frame.reindex(columns=columns)
    con.register("_frame", data)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _frame")
    except duckdb.ConstraintException as exc:
        raise BuildError(
            str(frame["source_id"].iloc[0]) if "source_id" in frame and len(frame) else table,
            table,
            f"contrainte de la table non respectée ({exc}).",
        ) from None
    finally:
        con.unregister("_frame")


def check_derived(ctx: Context) -> None:
    """Where the mirror ships a .derived.csv beside its original, our derivation must equal it."""

    checks = [
        ("territoires-industrie", "phase2_183_anct_2024/ti_geom_groupements.derived.csv", "_derived_2024"),
        ("territoires-industrie", "phase1_149_anct_datagouv/polygone-4326_ti_groupements.derived.csv", "_derived_2022"),
        (insee.RP, "rp_emploi_secteurs_parts.derived.csv", "_derived_rp"),
    ]
    for source_id, rel, key in checks:
        if key not in ctx.frames or ctx.fetcher.mirror is None:
            continue
        path = ctx.fetcher.mirror / source_id / rel
        if not path.is_file():
            continue
        theirs = pd.read_csv(path, dtype=str, keep_default_na=False)
        ours = ctx.frames[key].astype(object).where(ctx.frames[key].notna(), "").astype(str)
        ours = ours[theirs.columns.tolist()] if set(theirs.columns) <= set(ours.columns) else ours
        if list(ours.columns) != list(theirs.columns) or len(ours) != len(theirs):
            raise BuildError(
                source_id,
                rel,
                f"notre dérivation diffère du fichier dérivé du miroir ({len(ours)} lignes contre {len(theirs)}).",
            )
        a = ours.apply(lambda c: c.map(_canon)).sort_values(list(ours.columns)).reset_index(drop=True)
        b = theirs.apply(lambda c: c.map(_canon)).sort_values(list(theirs.columns)).reset_index(drop=True)
        diff = (a != b).any(axis=1)
        if diff.any():
            raise BuildError(
                source_id, rel, f"notre dérivation diffère du fichier dérivé du miroir sur {int(diff.sum())} lignes."
            )


def _canon(v: str) -> str:
    """Compare numbers by value ('1.0' == '1'), text as is."""
    try:
        f = float(v)
        return repr(round(f, 6))
    except (TypeError, ValueError):
        return v


def check_database(con: duckdb.DuckDBPyConnection) -> None:
    """Invariants across tables, checked on the written database before it replaces the old one."""
    expected = {2024: 183, 2022: 149, 2020: 148}
    for version, n in expected.items():
        got = con.execute("SELECT count(*) FROM ti_territories WHERE version = ?", [version]).fetchone()[0]
        if got != n:
            raise BuildError(
                "territoires-industrie", "ti_territories", f"version {version} : {got} territoires, {n} attendus."
            )
    bad = con.execute(
        "SELECT count(*) FROM geo_departements WHERE NOT regexp_full_match(departement_code, '(0[1-9]|[1-9][0-9]|2A|2B|9[78][0-9])')"
    ).fetchone()[0]
    if bad:
        raise BuildError("geo_decoupage_administratif_npm", "geo_departements", f"{bad} codes département mal formés.")
    for table in [
        t
        for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='main'").fetchall()
    ]:
        if table.startswith(
            (
                "covid_",
                "relance_",
                "friches_",
                "emploi_",
                "chomage_",
                "estel_",
                "urssaf_",
                "etablissements_",
                "rp_",
                "ti_",
            )
        ):
            cols = {
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
                ).fetchall()
            }
            if "source_id" not in cols:
                raise BuildError("build", table, "la table de faits n'a pas de colonne source_id.")


def write_sources(con, sources, fetcher: Fetcher, results: list[StepResult]) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    status = {r.source_id: r.status for r in results}
    rows_by_source = {}
    for (table,) in con.execute(
        "SELECT table_name FROM information_schema.columns WHERE column_name = 'source_id' AND table_name <> 'source_files'"
    ).fetchall():
        for sid, n in con.execute(f"SELECT source_id, count(*) FROM {table} GROUP BY 1").fetchall():
            rows_by_source[sid] = rows_by_source.get(sid, 0) + n
    # Sources that only add columns to another source's rows: count the rows they filled.
    enriched = {
        "geo_communes_epci_derived": "SELECT (SELECT count(*) FROM geo_communes WHERE centroid_lon IS NOT NULL) + (SELECT count(*) FROM geo_epci WHERE boundary_geojson IS NOT NULL)",
        "geo_contours_etalab_dashboard": "SELECT (SELECT count(*) FROM geo_departements WHERE boundary_geojson IS NOT NULL) + (SELECT count(*) FROM geo_regions WHERE boundary_geojson IS NOT NULL)",
    }
    for sid, sql in enriched.items():
        rows_by_source[sid] = con.execute(sql).fetchone()[0]
    file_rows = []
    for rec in fetcher.records:
        file_rows.append(
            (rec.source_id, rec.path, rec.url, rec.origin, rec.sha256, rec.expected_sha256, rec.sha256_ok, rec.bytes)
        )
    seen = set()
    file_rows = [r for r in file_rows if not ((r[0], r[1]) in seen or seen.add((r[0], r[1])))]
    if file_rows:
        con.executemany("INSERT INTO source_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", file_rows)
    for sid, src in sources.items():
        recs = [r for r in file_rows if r[0] == sid]
        digest = (
            recs[0][4]
            if len(recs) == 1
            else (hashlib.sha256("".join(sorted(r[4] for r in recs)).encode()).hexdigest() if recs else None)
        )
        origins = sorted({r[3] for r in recs})
        st = status.get(sid) or ("chargée" if recs else "absente (facultative)" if src.optional else "non utilisée")
        url = src.files[0].url if len(src.files) == 1 and src.files[0].url else src.portal_url
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                sid,
                src.title,
                src.publisher,
                src.licence,
                src.licence_url,
                url,
                recs[0][1] if len(recs) == 1 else f"{len(recs)} fichiers",
                len(recs),
                digest,
                rows_by_source.get(sid, 0),
                src.data_date,
                now,
                st,
                ", ".join(origins) or None,
                src.note,
            ],
        )


def print_summary(results: list[StepResult], db_path: Path, seconds: float, stream=sys.stdout) -> None:
    print("\nRésumé de la construction", file=stream)
    print(f"{'source':<48} {'lignes':>10} {'temps (s)':>10}  état", file=stream)
    for r in results:
        print(f"{r.source_id:<48} {r.rows:>10,} {r.seconds:>10.1f}  {r.status}".replace(",", " "), file=stream)
    size = db_path.stat().st_size / 2**20
    print(f"{'TOTAL':<48} {sum(r.rows for r in results):>10,} {seconds:>10.1f}".replace(",", " "), file=stream)
    print(f"Base écrite : {db_path} ({size:.1f} Mo)", file=stream)
