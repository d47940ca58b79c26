"""The warm-up of a starting server (observatoire.ui.warmup): `streamlit run streamlit_app.py` serves the app as an
`st.App` whose start runs every page once, before the server answers its first request. Checked on real servers:
the pages ran without error by the time the health check answers; the warm-up is skipped, and the server starts,
when it is turned off or when there is no database yet. The entry point still runs the frame as a session's script."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.server import ROOT, streamlit_server
from observatoire.queries.pages import PAGES
from observatoire.ui import warmup


def test_streamlit_run_finds_the_app_in_the_entry_point():
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "streamlit_app.py")
    assert found.is_asgi_app and found.import_string == "streamlit_app:app", found


def test_every_page_ran_before_the_server_answered(built_db, tmp_path):
    log = tmp_path / "server.log"
    with streamlit_server(built_db, log):
        content = log.read_text(encoding="utf-8")  # read as soon as the health check answers
    line = next((ln for ln in content.splitlines() if warmup.DONE in ln), None)
    assert line is not None, content[-2000:]
    assert f"{len(PAGES)} page(s), 0 erreur(s)" in line, line


@pytest.mark.parametrize("case, reason", [("off", "désactivé"), ("no_database", "pas encore de base")])
def test_the_server_starts_without_warm_up_when_off_or_before_a_first_build(
    case, reason, built_db, tmp_path, monkeypatch
):
    db = built_db
    if case == "off":
        monkeypatch.setenv("OBSERVATOIRE_WARMUP", "0")
    else:  # no database, and no data bundle to make it from: the first visitor builds it from the sources
        db = tmp_path / "absente" / "observatoire.duckdb"
        monkeypatch.setenv("OBSERVATOIRE_BUNDLE", str(tmp_path / "pas-de-paquet"))
    log = tmp_path / "server.log"
    with streamlit_server(db, log):
        content = log.read_text(encoding="utf-8")
    assert f"Préchauffage des pages ignoré : {reason}" in content, content[-2000:]
    assert warmup.DONE not in content
    assert not Path(db).exists() or case == "off"  # no build started at the server's start


def _finished(code) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = code
    return msg


def test_outcome_reads_the_end_and_the_errors_of_a_run():
    assert warmup.outcome(_finished(ForwardMsg.FINISHED_SUCCESSFULLY)) == (True, None)
    assert warmup.outcome(_finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)) == (True, None)
    assert warmup.outcome(_finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR)) == (True, "erreur de compilation")
    assert warmup.outcome(_finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN)) == (False, None)  # st.rerun(): runs on
    exc = ForwardMsg()
    exc.delta.new_element.exception.message = "boom"
    assert warmup.outcome(exc) == (False, "exception : boom")
    missing = ForwardMsg()
    missing.page_not_found.page_name = "inconnue"
    assert warmup.outcome(missing) == (False, "page introuvable")
    other = ForwardMsg()
    other.delta.new_element.markdown.body = "texte"
    assert warmup.outcome(other) == (False, None)


def test_a_session_running_the_entry_point_gets_the_frame_and_the_first_page(built_db):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "Observatoire des aides publiques et des territoires d'industrie"  # the first page
    assert any("données publiques ouvertes" in c.value for c in at.caption), "the frame's footer"


def test_a_clone_without_database_makes_it_from_the_bundle_then_warms(tmp_path):
    """No database but the repository's bundle: the server makes the database before answering, then warms."""
    db = tmp_path / "neuve" / "observatoire.duckdb"
    log = tmp_path / "server.log"
    with streamlit_server(db, log):
        content = log.read_text(encoding="utf-8")
    assert "Base faite depuis le paquet de données" in content, content[-2000:]
    line = next((ln for ln in content.splitlines() if warmup.DONE in ln), None)
    assert line is not None and f"{len(PAGES)} page(s), 0 erreur(s)" in line, content[-2000:]
    assert db.is_file()
