"""What the store keeps on disk: erased names really gone, owner-only files, no password shown, expiry.

After ``purge()`` and ``kick()``, with the store still open as a running
server's is (and another connection reading), no byte of a random player
name stays in the SQLite file, its WAL or its shared-memory file. The folder
the store creates is ``0700`` and its files ``0600`` whatever the URL and the
umask. Sessions are deleted ``keep_days`` after their last activity.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import pytest

from monnaies_en_jeu.game import GameStore, db

pytest_plugins = ("test_game_helpers",)
DAY = 86_400


def _files(path: Path) -> dict[str, bytes]:
    return {suffix: Path(f"{path}{suffix}").read_bytes() for suffix in ("", "-wal", "-shm")
            if Path(f"{path}{suffix}").exists()}


def _holding(path: Path, secret: bytes) -> list[str]:
    return [suffix or "db" for suffix, data in _files(path).items() if secret in data]


@pytest.fixture
def sqlite_store(tmp_path, clock):
    path = tmp_path / "jeu.db"
    store = GameStore(f"sqlite:///{path.as_posix()}", clock=clock)
    reader = GameStore(f"sqlite:///{path.as_posix()}", clock=clock)  # another kernel, reading
    yield store, reader, path
    store.engine.dispose()
    reader.engine.dispose()


def _played(store, names: list[str]):
    """A session with these players, its practice round and a real round played."""
    from test_game_helpers import PIN, next_round, small

    session = store.create_session(small(), 2, facilitator_pin=PIN, seed=5)
    players = [store.join(session.code, name) for name in names]
    store.start(session.code, PIN)
    for round_ in (0, 1):
        for p in players:
            form = store.decision_form(p.token)
            store.submit(p.token, {form[0].name: form[0].default}, round=round_)
        next_round(store, session.code)
    return session.code, players


def test_no_byte_of_a_name_stays_on_disk_after_a_purge(sqlite_store):
    from test_game_helpers import PIN

    store, reader, path = sqlite_store
    name = secrets.token_hex(8)  # 16 random bytes (hexadecimal characters)
    code, _players = _played(store, [name, "Autre joueur"])
    reader.state(code)
    assert _holding(path, name.encode()), "the name should be on disk before the purge"
    store.finish(code, PIN)
    store.purge(code, PIN)
    reader.sessions()
    assert _holding(path, name.encode()) == []
    assert _holding(path, code.encode()) == []
    assert [s.code for s in store.sessions()] == []


def test_no_byte_of_a_kicked_player_s_name_stays_on_disk(sqlite_store):
    from test_game_helpers import PIN

    store, reader, path = sqlite_store
    name, kept = secrets.token_hex(8), secrets.token_hex(8)
    code, players = _played(store, [name, kept])
    reader.state(code)
    assert _holding(path, name.encode())
    store.kick(code, PIN, players[0].seat, step=store.state(code)["step"])
    reader.state(code)
    assert _holding(path, name.encode()) == []
    assert _holding(path, kept.encode())  # the other player is still there
    assert [p["name"] for p in store.state(code)["players"]] == [kept]


def test_secure_delete_is_on_for_every_connection(sqlite_store):
    store, _reader, _path = sqlite_store
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("where", ["default", "chosen"])
def test_the_folder_is_0700_and_the_files_0600_whatever_the_url_and_umask(tmp_path, monkeypatch, where):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    if where == "default":
        monkeypatch.delenv("MONNAIES_DB_URL", raising=False)
        url = db.default_url()
    else:
        url = f"sqlite:///{(tmp_path / 'jeux' / 'atelier' / 'partie.db').as_posix()}"
    path = Path(url.removeprefix("sqlite:///"))
    old = os.umask(0o022)  # as a default shell's: files 0644 and folders 0755 unless chosen
    try:
        store = GameStore(url)
        from test_game_helpers import small

        store.create_session(small(), 2, facilitator_pin="2468")
        assert _mode(path.parent) == 0o700
        for suffix in ("", "-wal", "-shm", ".lock"):
            assert Path(f"{path}{suffix}").exists(), suffix
            assert _mode(Path(f"{path}{suffix}")) == 0o600, suffix
        store.engine.dispose()
    finally:
        os.umask(old)


def test_files_left_readable_by_an_older_version_are_made_owner_only(tmp_path):
    path = tmp_path / "jeu.db"
    GameStore(f"sqlite:///{path.as_posix()}").engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        target = Path(f"{path}{suffix}")
        target.touch()
        target.chmod(0o644)
    store = GameStore(f"sqlite:///{path.as_posix()}")
    assert [_mode(Path(f"{path}{s}")) for s in ("", "-wal", "-shm")] == [0o600] * 3
    store.engine.dispose()


def test_a_missing_folder_is_created_and_an_impossible_one_is_a_french_error(tmp_path):
    from monnaies_en_jeu.game import InvalidInput

    store = GameStore(f"sqlite:///{(tmp_path / 'a' / 'b' / 'jeu.db').as_posix()}")
    assert store.sessions() == []
    store.engine.dispose()
    (tmp_path / "fichier").write_text("pas un dossier")
    with pytest.raises(InvalidInput) as caught:
        GameStore(f"sqlite:///{(tmp_path / 'fichier' / 'jeu.db').as_posix()}")
    assert caught.value.code == "base_inaccessible"
    assert "MONNAIES_DB_URL" in caught.value.message() and "fichier" not in caught.value.message()
    assert caught.value.message("en") != caught.value.message()


def test_a_database_url_is_shown_without_its_password():
    assert db.shown_url("postgresql+psycopg://monnaies:s3cr3t@db.local:5432/jeu") == (
        "postgresql+psycopg://monnaies:***@db.local:5432/jeu")
    assert db.shown_url("sqlite:////home/anim/jeu.db") == "sqlite:////home/anim/jeu.db"
    assert "s3cr3t" not in db.shown_url("not a url s3cr3t")


def test_the_server_console_never_prints_the_password(monkeypatch, capsys):
    import socket

    from monnaies_en_jeu import serve

    monkeypatch.setenv("MONNAIES_DB_URL", "postgresql+psycopg://monnaies:s3cr3t@localhost/jeu")
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        serve._announce(listening.getsockname()[1], serve.GAMES_DIR, "fr", lan_check=False)
    printed = capsys.readouterr().out
    assert "monnaies:***@localhost/jeu" in printed
    assert "s3cr3t" not in printed


def test_sessions_are_deleted_after_their_keeping_period_and_say_when(store, clock):
    from test_game_helpers import PIN, small

    finished = store.create_session(small(), 2, facilitator_pin=PIN, keep_days=7).code
    store.finish(finished, PIN)
    abandoned = store.create_session(small(), 2, facilitator_pin=PIN).code  # 30 days by default
    active = store.create_session(small(), 2, facilitator_pin=PIN).code
    dates = {s.code: s.deletes_at for s in store.sessions()}
    assert dates == {finished: clock.now + 7 * DAY, abandoned: clock.now + 30 * DAY, active: clock.now + 30 * DAY}
    clock.advance(7 * DAY + 1)
    assert store.expire() == [finished]
    clock.advance(20 * DAY)
    player = store.join(active, "Joueur")  # activity: the period starts again
    assert {s.code: s.deletes_at for s in store.sessions()}[active] == clock.now + 30 * DAY
    clock.advance(3 * DAY)
    assert store.expire() == [abandoned]
    clock.advance(27 * DAY - 1)
    assert store.expire() == []
    assert store.player_view(player.token)["name"] == "Joueur"
    clock.advance(2)
    assert store.expire() == [active]
    assert store.sessions() == []


def test_expiry_erases_the_names_from_the_disk(sqlite_store, clock):
    store, _reader, path = sqlite_store
    name = secrets.token_hex(8)
    _played(store, [name])
    clock.advance(31 * DAY)
    assert len(store.expire()) == 1
    assert _holding(path, name.encode()) == []


def test_a_keeping_period_out_of_range_is_refused(store):
    from test_game_helpers import PIN, small

    from monnaies_en_jeu.game import InvalidInput

    for days in (0, 3651, 10**400, 2.5):
        with pytest.raises(InvalidInput) as caught:
            store.create_session(small(), 2, facilitator_pin=PIN, keep_days=days)
        assert caught.value.code == "reglage_invalide"
    assert store.sessions() == []


def test_the_server_deletes_expired_sessions_at_its_start_then_daily(store, clock, capsys):
    import threading

    from test_game_helpers import PIN, small

    from monnaies_en_jeu import serve

    first = store.create_session(small(), 2, facilitator_pin=PIN, keep_days=1).code
    second = store.create_session(small(), 2, facilitator_pin=PIN, keep_days=2).code
    clock.advance(DAY + 1)
    stop, runs = threading.Event(), []
    real_expire = store.expire

    def expire():  # the second run happens « a day later »; then the server stops
        runs.append(real_expire())
        clock.advance(DAY)
        if len(runs) == 2:
            stop.set()
        return runs[-1]

    store.expire = expire
    serve.expire_daily(store, "fr", stop, every=0)
    assert runs == [[first], [second]]
    out = capsys.readouterr().out
    assert first in out and second in out and "délai de conservation" in out


def test_the_command_line_lists_each_session_s_deletion_date(tmp_db_url, capsys):
    from datetime import datetime

    from monnaies_en_jeu.cli import main

    assert main(["game", "new", "--rounds", "2", "--pin", "1357", "--keep-days", "7"]) == 0
    assert main(["game", "list"]) == 0
    session = GameStore(tmp_db_url).sessions()[0]
    assert session.keep_days == 7
    deleted = datetime.fromtimestamp(session.deletes_at).strftime("%d/%m/%Y")
    assert f"effacée le {deleted}" in capsys.readouterr().out


def test_the_facilitator_lists_each_session_s_deletion_date(store):
    import time

    from test_game_helpers import PIN, small

    from monnaies_en_jeu.apps.facilitator import FacilitatorApp

    session = store.create_session(small(), 2, facilitator_pin=PIN, keep_days=90)
    app = FacilitatorApp(store, live=False)
    label = dict((v, k) for k, v in app.start_screen.sessions_pick.options)[session.code]
    assert f"effacée le {time.strftime('%d/%m/%Y', time.localtime(session.deletes_at))}" in label
    app.start_screen.sessions_pick.value = session.code
    assert f"sera effacée le {time.strftime('%d/%m/%Y', time.localtime(session.deletes_at))}" in (
        app.start_screen.session_deletion.value) and "90\u00a0jours" in app.start_screen.session_deletion.value
    app.start_screen.keep_days.value = 7
    app.start_screen.pin_input.value = PIN
    app.start_screen.create_button.click()
    assert next(s for s in store.sessions() if s.code == app.code).keep_days == 7


def test_on_postgresql_a_kick_vacuums_the_game_s_tables(pg_url):
    import sqlalchemy
    from sqlalchemy.engine import make_url
    from test_game_helpers import PIN, small

    schema = f"jeu_{secrets.token_hex(6)}"
    admin = sqlalchemy.create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
    url = make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    store = GameStore(url.render_as_string(hide_password=False))
    try:
        session = store.create_session(small(), 2, facilitator_pin=PIN)
        player = store.join(session.code, secrets.token_hex(8))
        store.kick(session.code, PIN, player.seat)
        with admin.connect() as conn:
            vacuumed = dict(conn.execute(sqlalchemy.text(
                "SELECT relname, last_vacuum FROM pg_stat_user_tables WHERE schemaname = :schema"),
                {"schema": schema}).all())
        assert vacuumed["mej_seats"] is not None and vacuumed["mej_log"] is not None
    finally:
        store.engine.dispose()
        with admin.begin() as conn:
            conn.execute(sqlalchemy.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_an_existing_folder_is_left_alone_but_the_kit_s_own_data_folder_is_made_owner_only(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    own = db.data_dir()
    mine = tmp_path / "monnaies-en-jeu"  # a user's folder of the same name (a clone of the kit, say)
    for folder in (own, mine):
        folder.mkdir(parents=True)
        folder.chmod(0o755)  # as an older version, or the user, made it
        GameStore(f"sqlite:///{(folder / 'jeu.db').as_posix()}").engine.dispose()
    assert (_mode(own), _mode(mine)) == (0o700, 0o755)
    assert _mode(mine / "jeu.db") == 0o600
