"""What every family loader receives: the manifest, the fetcher and helpers to read declared files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from observatoire.manifest import Source
from observatoire.pipeline.fetch import Fetcher


@dataclass
class Context:
    sources: dict[str, Source]
    fetcher: Fetcher
    on_file: callable = lambda: None  # progress tick

    def path(self, source_id: str, path: str) -> Path:
        found = self.fetcher.get(self.sources[source_id], path)
        self.on_file()
        return found

    def paths(self, source_id: str, predicate) -> list[tuple[str, Path]]:
        """Every declared file of a source whose mirror path satisfies predicate, in path order."""
        return [(f.path, self.path(source_id, f.path)) for f in self.sources[source_id].files if predicate(f.path)]

    def count(self, source_id: str, predicate=lambda p: True) -> int:
        return sum(1 for f in self.sources[source_id].files if predicate(f.path))
