"""Read commands on the plain sqlite3 path (qa_tui/store/lite.py, issue 20).

What a ``list``, ``show``, ``history`` or ``verify`` process imports is checked in a real
process (the module list, never a time); and the plain reader must hand out exactly the records
the ORM unit of work does, on the same database.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qa_tui.config import Paths
from qa_tui.services import build_services
from qa_tui.services.demo import create_demo
from qa_tui.services.reading import open_assessments
from qa_tui.store import LiteStore, Store, open_reader
from qa_tui.store.lite import open_lite

HEAVY = ("sqlalchemy", "sqlmodel", "textual", "openpyxl", "xlsxwriter", "psycopg")

_PROBE = """
import json, sys
from qa_tui.cli.main import main
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(json.loads(sys.argv[1])))
sys.stderr.write('\\n@@' + json.dumps({'code': code, 'heavy': heavy}) + '\\n')
"""


def _modules_of(*args: str) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(HEAVY), *args],
                          capture_output=True, text=True, timeout=120)
    last = proc.stderr.rstrip().rsplit("\n", 1)[-1]
    assert last.startswith("@@"), proc.stderr[-2000:]
    return json.loads(last[2:])


@pytest.fixture
def filled(paths: Paths) -> list[str]:
    services = build_services(paths, actor="tester")
    try:
        create_demo(services, count=6, seed=3)
        ids = [s.id for s in services.assessments.list()]
        services.assessments.delete(ids[-1])
    finally:
        services.close()
    return ids


def test_read_commands_never_import_the_orm_ui_or_excel_writers(filled: list[str],
                                                                 paths: Paths,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "returns"
    services = build_services(paths, actor="tester")
    try:
        exported = services.returns.export(filled[0], out).path
    finally:
        services.close()
    aid = filled[0][:8]
    for args in (["list"], ["list", "--json"], ["list", "--bin"], ["show", aid],
                 ["show", aid, "--json"], ["history", aid], ["verify", str(exported)],
                 ["verify", str(out)]):
        seen = _modules_of(*args)
        assert seen == {"code": 0, "heavy": []}, args


def test_a_write_command_still_gets_the_orm(filled: list[str]) -> None:
    seen = _modules_of("note", filled[0][:8], "WL1", "seen")
    assert "sqlalchemy" in seen["heavy"]


def test_plain_reader_hands_out_the_records_the_orm_does(filled: list[str],
                                                         paths: Paths) -> None:
    orm = build_services(paths, actor="tester")
    lite = open_lite(paths.database)
    assert isinstance(lite, LiteStore)
    try:
        with orm.store.read() as a, lite.read() as b:
            for deleted in (False, True):
                assert a.list_assessments(deleted=deleted) == b.list_assessments(deleted=deleted)
                listed = list(a.listing(deleted=deleted))  # with the stored summaries
                assert listed == list(b.listing(deleted=deleted)) and listed
            for deleted in (None, False, True):
                assert (a.find_assessment_ids(filled[0][:2], deleted=deleted)
                        == b.find_assessment_ids(filled[0][:2], deleted=deleted))
            assert a.find_assessment_ids("%") == b.find_assessment_ids("%") == []
            for aid in [*filled, "missing"]:
                assert a.get_assessment(aid) == b.get_assessment(aid)
                assert a.get_answers(aid) == b.get_answers(aid)
                assert a.get_actions(aid) == b.get_actions(aid)
                assert a.followers(aid) == b.followers(aid)
                assert a.action_updates(aid) == b.action_updates(aid)
                assert a.events(aid) == b.events(aid)
    finally:
        lite.close()
        orm.close()
    reader = open_assessments(paths)
    services = build_services(paths, actor="tester")
    try:
        assert ([s.to_json() for s in reader.list()]
                == [s.to_json() for s in services.assessments.list()])
        for aid in filled:
            assert reader.get(aid).to_json() == services.assessments.get(aid).to_json()
        with pytest.raises(RuntimeError, match="reading only"):
            reader.answer(filled[0], "WL1", "3")
    finally:
        reader.store.close()
        services.close()


def test_what_the_plain_reader_cannot_open_goes_to_the_full_store(paths: Paths,
                                                                  tmp_path: Path) -> None:
    fresh = tmp_path / "new.sqlite3"
    assert open_lite(fresh) is None and not fresh.exists()
    store = open_reader(fresh)  # created and migrated by the ORM store, as before
    try:
        assert isinstance(store, Store) and fresh.is_file()
    finally:
        store.close()
    assert open_lite("postgresql://someone@localhost/qa") is None
    rollback = tmp_path / "rollback.sqlite3"
    store = open_reader(rollback)
    store.close()
    conn = sqlite3.connect(rollback, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    assert open_lite(rollback) is None  # not WAL: the full store switches it on opening
    lite = open_lite(f"sqlite:///{fresh}")
    assert isinstance(lite, LiteStore)
    lite.close()


def test_bundled_template_check_reads_one_file_and_agrees_with_the_library() -> None:
    from qa_tui.returns import recompute
    from qa_tui.templates import TemplateLibrary

    library = TemplateLibrary.load()
    for entry in library.all():  # the fast path relies on each file being named by its id
        assert entry.path.stem == entry.template.id
    everything = recompute._bundled()
    for (template_id, version), digest in everything.items():
        assert recompute._bundled_hash(template_id, version) == digest
        assert recompute._bundled_hash(template_id, version + ".9") is None
    assert recompute._bundled_hash("no-such-template", "1.0") is None
    assert recompute._bundled_hash("../qa-visit", "1.2") is None


def test_the_return_service_loads_no_orm_until_it_writes() -> None:
    """Verifying a return through the service layer must not cost the ORM's import."""
    code = ("import json, sys\n"
            "import qa_tui.services.returns, qa_tui.services.reading\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(json.loads(sys.argv[1])))))\n")
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(HEAVY)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []
