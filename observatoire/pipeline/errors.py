"""Build errors, worded in French for the person running the build."""

from __future__ import annotations


class BuildError(Exception):
    """A check failed: names the source, the file and the problem."""

    def __init__(self, source_id: str, file: str, problem: str):
        self.source_id = source_id
        self.file = file
        self.problem = problem
        super().__init__(f"Source « {source_id} », fichier « {file} » : {problem}")
