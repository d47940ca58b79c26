"""Command line: `python -m observatoire build`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from observatoire import config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m observatoire", description="Observatoire : construction de la base DuckDB et paquet de données."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="construire la base depuis le miroir (ou les URL officielles)")
    b.add_argument(
        "--db",
        type=Path,
        default=None,
        help="chemin de la base (défaut : $OBSERVATOIRE_DB ou data/observatoire.duckdb)",
    )
    b.add_argument(
        "--mirror", type=Path, default=None, help="dossier miroir (défaut : $OPENDATA_MIRROR ou ../shared/opendata)"
    )
    b.add_argument(
        "--manifest", type=Path, default=None, help="manifeste des sources (défaut : observatoire/manifest.yaml)"
    )
    b.add_argument("--hors-ligne", dest="offline", action="store_true", help="ne jamais télécharger")
    b.add_argument(
        "--accepter-changements",
        dest="accept",
        action="store_true",
        help="accepter un fichier dont le sha256 diffère du manifeste (refusé sinon) ; la construction dit alors "
        "ce qui change dans les données par rapport à la base précédente",
    )
    b.add_argument("--strict", action="store_true", help=argparse.SUPPRESS)  # the default since December 2026
    bu = sub.add_parser(
        "bundle",
        help="exporter la base construite depuis les sources vers le paquet de données data/bundle/ (Parquet)",
    )
    bu.add_argument("--db", type=Path, default=None, help="base à exporter (défaut : $OBSERVATOIRE_DB)")
    bu.add_argument("--out", type=Path, default=None, help="dossier du paquet (défaut : data/bundle)")
    r = sub.add_parser("restore", help="faire la base depuis le paquet de données (sans miroir ni réseau)")
    r.add_argument("--db", type=Path, default=None, help="base à écrire (défaut : $OBSERVATOIRE_DB)")
    args = parser.parse_args(argv)
    if args.command == "bundle":
        return _bundle(args.db or config.db_path(), args.out)
    if args.command == "restore":
        return _restore(args.db or config.db_path())

    from observatoire.pipeline.build import build, print_summary
    from observatoire.pipeline.errors import BuildError

    db_path = args.db or config.db_path()
    started = time.perf_counter()
    try:
        results = build(db_path, args.mirror, args.manifest, offline=args.offline, accept_changes=args.accept)
    except BuildError as exc:
        print(
            f"\nÉchec de la construction. {exc}\nLa base précédente ({db_path}) n'a pas été modifiée.", file=sys.stderr
        )
        return 1
    print_summary(results, db_path, time.perf_counter() - started)
    return 0


def _bundle(db_path: Path, out: Path | None) -> int:
    from observatoire import bundle, fmt

    if not Path(db_path).is_file():
        print(f"La base {db_path} n'existe pas : lancez d'abord « python -m observatoire build ».", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        manifest = bundle.export(Path(db_path), out)
    except bundle.BundleError as exc:
        print(f"Paquet de données non écrit. {exc}", file=sys.stderr)
        return 1
    out_dir = Path(out or bundle.bundle_dir())
    size = sum(f.stat().st_size for f in out_dir.iterdir()) / 1e6
    rows = sum(t["rows"] for t in manifest["tables"])
    print(
        f"Paquet de données écrit : {out_dir} ({len(manifest['tables'])} tables, {fmt.integer(rows)} lignes, "
        f"{fmt.number(size, 1)} Mo) en {fmt.number(time.perf_counter() - started, 1)} s."
    )
    return 0


def _restore(db_path: Path) -> int:
    from observatoire import bundle

    started = time.perf_counter()

    def progress(i: int, total: int, table: str) -> None:
        print(f"[{i:>2}/{total}] {table}", file=sys.stderr)

    try:
        bundle.restore(Path(db_path), progress=progress)
    except bundle.BundleError as exc:
        print(f"Base non écrite. {exc}", file=sys.stderr)
        return 1
    print(f"Base faite depuis le paquet de données : {db_path} en {time.perf_counter() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
