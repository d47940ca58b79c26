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
    strict_checksums: bool = False
    records: list[FetchRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

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
        digest = sha256_of(found)
        if entry.sha256 and digest != entry.sha256:
            message = f"somme de contrôle différente du manifeste (attendu {entry.sha256[:12]}…, obtenu {digest[:12]}…)"
            if self.strict_checksums:
                raise BuildError(source.id, path, message)
            self.warnings.append(f"{source.id}/{path} : {message}")
        self.records.append(FetchRecord(source.id, path, entry.url, origin, digest, entry.sha256, found.stat().st_size))
        return found

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
