"""The source manifest (manifest.yaml): one entry per dataset, one slug everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from observatoire.config import MANIFEST

REQUIRED_KEYS = ("id", "title", "publisher", "licence", "licence_url", "portal_url", "files")


@dataclass(frozen=True)
class SourceFile:
    path: str
    url: str | None
    sha256: str | None = None
    bytes: int | None = None


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    licence: str
    licence_url: str
    portal_url: str
    files: tuple[SourceFile, ...]
    optional: bool = False
    data_date: str | None = None
    note: str | None = None
    by_path: dict = field(default_factory=dict, compare=False, repr=False)

    def file(self, path: str) -> SourceFile:
        try:
            return self.by_path[path]
        except KeyError:
            raise KeyError(f"{path} n'est pas déclaré dans le manifeste pour {self.id}") from None


def load_manifest(path: Path | str | None = None) -> dict[str, Source]:
    raw = yaml.safe_load(Path(path or MANIFEST).read_text(encoding="utf-8"))
    sources: dict[str, Source] = {}
    for entry in raw["sources"]:
        missing = [k for k in REQUIRED_KEYS if k not in entry]
        if missing:
            raise ValueError(f"Manifeste : l'entrée {entry.get('id', '?')} n'a pas {', '.join(missing)}")
        files = tuple(SourceFile(f["path"], f.get("url"), f.get("sha256"), f.get("bytes")) for f in entry["files"])
        src = Source(
            id=entry["id"],
            title=entry["title"],
            publisher=entry["publisher"],
            licence=entry["licence"],
            licence_url=entry["licence_url"],
            portal_url=entry["portal_url"],
            files=files,
            optional=bool(entry.get("optional", False)),
            data_date=entry.get("data_date"),
            note=entry.get("note"),
            by_path={f.path: f for f in files},
        )
        if src.id in sources:
            raise ValueError(f"Manifeste : identifiant en double {src.id}")
        sources[src.id] = src
    return sources
