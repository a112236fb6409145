"""The apps' models without widgets: the player's seat and the facilitator's session control."""

from __future__ import annotations

import pytest

from monnaies_en_jeu.apps.facilitator_model import SessionControl
from monnaies_en_jeu.apps.player_model import Seat, needs_redraw, new_round

PIN = "1357"


@pytest.fixture
def store(tmp_db_url):
    from monnaies_en_jeu.game import GameStore

    return GameStore(tmp_db_url)


@pytest.fixture
def control(store):
    control = SessionControl(store, "fr")
    control.create("monnaie_adossee", 2, PIN, 300, auto_close=False, practice=False, rehearsal=False,
                   keep_days=30)
    return control


def _defaults(seat: Seat) -> dict:
    return {f.name: f.default for f in seat.decision_fields()}


def test_a_seat_joins_submits_once_and_follows_the_round(store, control):
    seat = Seat(store, "fr", control.code.lower())
    view = seat.join(control.code.lower(), "Alice", "menage")
    assert seat.token and seat.code == control.code and view["status"] == "lobby"
    assert control.start().startswith("C'est parti")
    old, view = seat.poll()
    assert needs_redraw(old, view) and new_round(old, view) and view["round"] == 1
    assert seat.deadline is not None and seat.round_text() == "la manche 1"
    values = _defaults(seat)
    assert seat.submit(values) is True
    assert seat.submit(values) is False  # the same values again: a double click, sent once
    old, view = seat.poll()
    assert view["submitted"] and not needs_redraw(old, view)
    control.close_round()
    old, view = seat.poll()
    assert view["status"] == "results" and needs_redraw(old, view) and len(view["results"]) == 1


def test_a_seat_left_is_given_back_to_its_robot(store, control):
    from monnaies_en_jeu.game import GameError

    seat = Seat(store, "fr")
    seat.join(control.code, "Bob", None)
    token = seat.token
    seat.leave()
    seat.leave()  # a second click does nothing more
    assert seat.token == "" and seat.view is None
    with pytest.raises(GameError):
        Seat(store, "fr").restore(token)


def test_the_control_binds_a_question_to_the_step_it_showed(store, control):
    from monnaies_en_jeu.game import GameError

    control.start()
    question, yes, close = control.close_question()
    assert question.startswith("Clore la manche 1") and "0 joueur(s) sur 0" in question
    assert yes == "Oui, clore la manche"
    other = SessionControl(store, "fr")
    other.open(control.code, PIN)
    other.toggle_pause()  # meanwhile, another dashboard moves the session
    with pytest.raises(GameError):
        close()
    assert store.state(control.code)["closed_rounds"] == 0


def test_the_control_plays_a_rehearsal_to_the_end_and_reports_progress(store):
    control = SessionControl(store, "fr")
    control.create("monnaie_adossee", 2, PIN, None, auto_close=False, practice=False, rehearsal=True,
                   keep_days=1)
    control.start()
    seen = []
    text = control.play_to_end(lambda done, todo: seen.append((done, todo)))
    assert control.state["status"] == "finished" and "Répétition terminée" in text
    assert seen == [(0, 2), (1, 2), (2, 2)]
    assert control.debrief_url().endswith(f"debrief.ipynb?code={control.code}")
    assert control.export()[:2] == b"PK"  # a zip file
    code = control.code
    assert control.purge().startswith(f"La partie {code}") and control.code is None
    assert code not in [s.code for s in store.sessions()]


def test_the_control_announces_a_card_and_hands_a_seat_back(store, control):
    seat = Seat(store, "fr")
    seat.join(control.code, "Chloé", "menage")
    control.start()
    question, _yes, announce = control.event_question("Festival", "festival", None)
    assert "Festival" in question and "manche 1" in question
    assert "Festival" in announce() and [e["id"] for e in control.state["events"]] == ["festival"]
    control.poll()
    question, _yes, kick = control.kick_question(1)
    assert "Chloé" in question
    assert kick().startswith("Le siège n°")
    assert control.state["players"] == []
    assert "token=" in control.player_url("abc") and control.projector_url().startswith("/")


def test_a_seat_sees_the_session_move_by_its_step_alone(store, control):
    seat = Seat(store, "fr")
    seat.join(control.code, "Dora", "menage")
    assert seat.moved() and not seat.moved()  # the first look, then nothing new
    control.start()
    assert seat.moved() and not seat.moved()
    seat.poll()
    seat.submit(_defaults(seat))  # a seat's own sending does not move the session
    assert not seat.moved()
    control.close_round()
    assert store.step(control.code) == control.state["step"] and seat.moved()
    control.finish()
    assert seat.moved()
    control.purge()
    assert seat.moved()  # the session is gone: the next full read says so


def test_steps_run_between_the_page_s_clicks_and_stop_at_once():
    """The close computed ahead runs piece by piece in the kernel's loop; an answer drops what is left."""
    import asyncio

    from monnaies_en_jeu.apps.live import Steps

    done: list[str] = []

    def work(n: int):
        try:
            for i in range(n):
                done.append(f"piece {i}")
                yield
        finally:
            done.append("closed")

    Steps().run(work(2))  # no event loop: all at once
    assert done == ["piece 0", "piece 1", "closed"]

    async def a_click_after_two_pieces() -> None:
        steps = Steps()
        steps.run(work(100))
        await asyncio.sleep(0)
        await asyncio.sleep(0)  # the kernel handles a click between two pieces: the answer stops the work
        steps.stop()
        await asyncio.sleep(0)

    done.clear()
    asyncio.run(a_click_after_two_pieces())
    assert done[-1] == "closed" and 1 <= len(done) - 1 <= 3
