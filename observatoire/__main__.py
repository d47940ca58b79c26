"""Command line: `python -m observatoire build`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from observatoire import config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m observatoire", description="Observatoire : construction de la base DuckDB."
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
        "--strict", dest="strict", action="store_true", help="refuser un fichier dont le sha256 diffère du manifeste"
    )
    args = parser.parse_args(argv)

    from observatoire.pipeline.build import build, print_summary
    from observatoire.pipeline.errors import BuildError

    db_path = args.db or config.db_path()
    started = time.perf_counter()
    try:
        results = build(db_path, args.mirror, args.manifest, offline=args.offline, strict_checksums=args.strict)
    except BuildError as exc:
        print(
            f"\nÉchec de la construction. {exc}\nLa base précédente ({db_path}) n'a pas été modifiée.", file=sys.stderr
        )
        return 1
    print_summary(results, db_path, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
