"""Find each source file: in the mirror, else in the download cache, else download it."""

from __future__ import annotations

import hashlib
import http.client
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from observatoire.manifest import Source
from observatoire.pipeline.errors import BuildError

MAX_BYTES = 200 * 1024 * 1024  # no official file we use is near this; a bigger answer is not ours
# A file may grow with new data, not by this much: past it, it is refused before it is read.
GROWTH_FACTOR, GROWTH_BYTES = 4, 10 * 2**20
MAX_LINE_BYTES = 1 * 2**20  # the longest line of our CSV files is 11 kB (a Fonds friches description)
RETRIES = 3
TIMEOUT_S = 30


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class FetchRecord:
    source_id: str
    path: str
    url: str | None
    origin: str  # miroir, cache, téléchargement
    sha256: str
    expected_sha256: str | None
    bytes: int

    @property
    def sha256_ok(self) -> bool | None:
        return None if not self.expected_sha256 else self.sha256 == self.expected_sha256


@dataclass
class Fetcher:
    mirror: Path | None
    cache: Path
    offline: bool = False
    accept_changes: bool = False  # accept files whose sha256 differs from the manifest (the build then diffs)
    records: list[FetchRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # files accepted with another checksum than the manifest's

    def get(self, source: Source, path: str) -> Path:
        entry = source.file(path)
        found, origin = None, None
        if self.mirror is not None:
            candidate = self.mirror / source.id / path
            if candidate.is_file():
                found, origin = candidate, "miroir"
        if found is None:
            cached = self.cache / source.id / path
            if cached.is_file() and (not entry.sha256 or sha256_of(cached) == entry.sha256):
                found, origin = cached, "cache"
        if found is None:
            where = (
                f"absent du miroir ({self.mirror / source.id / path})"
                if self.mirror
                else "aucun dossier miroir (OPENDATA_MIRROR)"
            )
            if not entry.url:
                raise BuildError(
                    source.id, path, f"{where}, et aucune URL de téléchargement n'est connue pour ce fichier."
                )
            if self.offline:
                raise BuildError(source.id, path, f"{where}, et le téléchargement est désactivé (--hors-ligne).")
            found, origin = self._download(source.id, path, entry.url, where), "téléchargement"
        self.check_size(source.id, path, found, entry.bytes)
        digest = sha256_of(found)
        if entry.sha256 and digest != entry.sha256:
            if not self.accept_changes:
                raise BuildError(
                    source.id,
                    path,
                    f"somme de contrôle différente du manifeste : attendue {entry.sha256}, obtenue {digest}. "
                    "Fichier refusé. S'il s'agit d'une mise à jour voulue de la source, relancez avec "
                    "« --accepter-changements » : la construction dira alors ce qui change dans les données.",
                )
            self.changed.append(f"{source.id}/{path}")
            self.warnings.append(
                f"{source.id}/{path} : somme de contrôle différente du manifeste (attendue {entry.sha256}, "
                f"obtenue {digest}), acceptée (--accepter-changements)"
            )
        self.records.append(FetchRecord(source.id, path, entry.url, origin, digest, entry.sha256, found.stat().st_size))
        return found

    @staticmethod
    def check_size(source_id: str, path: str, found: Path, expected: int | None) -> None:
        """Caps before any parsing: the file's size against the manifest's, and for a CSV its longest line."""
        size = found.stat().st_size
        cap = max(expected * GROWTH_FACTOR, expected + GROWTH_BYTES) if expected else MAX_BYTES
        if size > cap:
            raise BuildError(
                source_id,
                path,
                f"fichier de {size / 2**20:.1f} Mo, quand le manifeste en annonce {(expected or 0) / 2**20:.1f} : "
                f"refusé avant lecture (au plus {cap / 2**20:.0f} Mo).",
            )
        if path.lower().endswith(".csv"):
            with open(found, "rb") as f:
                for number, line in enumerate(iter(lambda: f.readline(MAX_LINE_BYTES + 1), b""), start=1):
                    if len(line) > MAX_LINE_BYTES:
                        raise BuildError(
                            source_id,
                            path,
                            f"ligne {number} de plus de {MAX_LINE_BYTES // 2**20} Mo : refusée avant lecture "
                            "(fichier altéré ?).",
                        )

    def _download(self, source_id: str, path: str, url: str, where: str) -> Path:
        target = self.cache / source_id / path
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        last_error = ""
        for attempt in range(RETRIES):
            try:
                request = urllib.request.Request(url, headers={"User-Agent": "observatoire-build"})
                with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response, open(partial, "wb") as out:
                    size = 0
                    while chunk := response.read(1 << 16):
                        size += len(chunk)
                        if size > MAX_BYTES:
                            raise BuildError(
                                source_id,
                                path,
                                f"le téléchargement depuis {url} dépasse {MAX_BYTES // 2**20} Mo : arrêté.",
                            )
                        out.write(chunk)
                os.replace(partial, target)
                return target
            except BuildError:
                partial.unlink(missing_ok=True)
                raise
            except (urllib.error.URLError, http.client.HTTPException, ValueError, OSError, TimeoutError) as exc:
                partial.unlink(missing_ok=True)
                last_error = str(getattr(exc, "reason", exc))
                if isinstance(exc, (ValueError, http.client.InvalidURL)) or (
                    isinstance(exc, urllib.error.HTTPError) and 400 <= exc.code < 500
                ):
                    break  # a bad URL or a 404 will not heal by retrying
                time.sleep(0.5 * 2**attempt)
        raise BuildError(source_id, path, f"{where}, et le téléchargement depuis {url} a échoué ({last_error}).")
