"""The sign-in's and the limits' pieces, without a server: throttle, signed values, caps, idle pages."""

from __future__ import annotations

import pytest

from monnaies_en_jeu.apps.access import NOBODY, OPEN, SIGNED_IN, Access, SignedInStore, access_from_query, sign_access
from monnaies_en_jeu.apps.idle import IdleWatch, idle_limit
from monnaies_en_jeu.serve_access import Guard, Throttle, new_secret, normal_secret
from monnaies_en_jeu.serve_limits import KernelLimits, default_total


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_codes_are_counted_per_address_and_the_trusted_ones_never():
    clock = Clock()
    throttle = Throttle(trusted=["127.0.0.1"], attempts=5, window_s=300, clock=clock)
    for _n in range(5):
        assert throttle.wait("10.0.0.7") == 0
        throttle.failed("10.0.0.7")
        throttle.failed("127.0.0.1")
    assert throttle.wait("10.0.0.7") == pytest.approx(300)
    assert throttle.wait("10.0.0.8") == 0 and throttle.wait("127.0.0.1") == 0  # others, and the laptop itself
    clock.now += 299
    assert throttle.wait("10.0.0.7") == pytest.approx(1)
    clock.now += 1
    assert throttle.wait("10.0.0.7") == 0


def test_the_loopback_exemption_can_be_turned_off():
    throttle = Throttle(trusted=[], attempts=1)
    throttle.failed("127.0.0.1")
    assert throttle.wait("127.0.0.1") > 0


def test_the_secret_is_typed_loosely_and_compared_exactly():
    secret = new_secret()
    assert len(normal_secret(secret)) == 12 and secret.count("-") == 2
    guard = Guard(secret=secret, access_key="k", throttle=Throttle(), limits=None, check_pin=lambda c, p: None)
    assert guard.secret_ok(secret.lower().replace("-", " "))
    assert not guard.secret_ok(secret[:-1]) and not guard.secret_ok("")


def test_the_page_is_granted_only_what_the_server_signed():
    granted = Access(facilitator=False, sessions=frozenset({"K7QP2M"}))
    query = {"acces": sign_access(granted, "cle-du-serveur")}
    assert access_from_query(query, "cle-du-serveur") == granted
    assert access_from_query(query, "une-autre-cle") == NOBODY
    assert access_from_query({"acces": query["acces"][:-2] + "00"}, "cle-du-serveur") == NOBODY
    assert access_from_query({}, "cle-du-serveur") == NOBODY
    assert access_from_query({}, "") == OPEN  # not behind make serve: nothing to protect
    assert granted.may("k7qp2m") and not granted.may("AAAAAA") and granted.signed_in and not NOBODY.signed_in


def test_a_signed_in_page_acts_without_the_pin_and_never_counts_one(tmp_db_url):
    from monnaies_en_jeu.game import AccessDenied, GameStore

    store = GameStore(tmp_db_url)
    session = store.create_session("monnaie_adossee", 2, facilitator_pin="1357")
    other = store.create_session("monnaie_adossee", 2, facilitator_pin="2468")
    signed = SignedInStore(Access(sessions=frozenset({session.code})), tmp_db_url)
    for _n in range(6):
        with pytest.raises(AccessDenied) as refused:
            signed.start(other.code, SIGNED_IN)
        assert refused.value.code == "connexion_requise"
    store.check_pin(other.code, "2468")  # no wrong PIN was counted against the other session
    for _n in range(5):
        with pytest.raises(AccessDenied):
            store.check_pin(session.code, "0000")
    signed.start(session.code, SIGNED_IN)  # the store's lock does not reach the signed-in page
    assert store.state(session.code)["status"] == "practice"


def test_kernels_are_capped_per_address_and_in_total_and_forgotten_once_gone():
    alive = {"k1", "k2", "k3"}
    limits = KernelLimits(total=3, per_address=2, alive=lambda k: k in alive)
    for kernel in ("k1", "k2"):
        assert limits.reserve("10.0.0.7") is None
        limits.own(kernel, "10.0.0.7")
        limits.release("10.0.0.7")
    assert limits.reserve("10.0.0.7") == "adresse"
    assert limits.reserve("10.0.0.7", exempt=True) is None  # the signed-in facilitator, the laptop
    limits.own("k3", "10.0.0.7")
    limits.release("10.0.0.7")
    assert limits.reserve("10.0.0.8") == "serveur"
    alive.discard("k1")
    alive.discard("k3")
    assert limits.reserve("10.0.0.8") is None
    assert limits.reserve("10.0.0.7") is None  # k1 is gone: a place again
    assert limits.counts()[1] == 3


def test_the_total_follows_the_memory_and_the_pool():
    assert default_total(8, memory=24_000) == int(24_000 * 0.6 / 100) - 8
    assert default_total(8, memory=1_000) == 10


def test_a_page_sleeps_after_longer_than_a_round_without_use_nor_open_round(monkeypatch):
    monkeypatch.delenv("MONNAIES_PLAYER_IDLE_S", raising=False)
    clock = Clock()
    watch = IdleWatch(clock)
    lobby = {"status": "lobby", "timer": {"round_seconds": 900}}
    assert idle_limit(lobby) == 960 and idle_limit(None) == 600
    clock.now += 950
    assert not watch.due(lobby)
    watch.touch()
    clock.now += 961
    playing = dict(lobby, status="playing")
    assert not watch.due(playing)  # a round waits for the seat: never idle
    clock.now += 960
    assert not watch.due(lobby)  # the open round just ended: counted from then
    clock.now += 1
    assert watch.due(lobby)
    monkeypatch.setenv("MONNAIES_PLAYER_IDLE_S", "5")
    assert idle_limit(lobby) == 5


def test_after_the_sign_in_the_browser_goes_only_to_a_page_of_this_server():
    from types import SimpleNamespace

    from monnaies_en_jeu.serve_access import safe_next

    handler = SimpleNamespace(settings={"base_url": "/"})
    dashboard = "/voila/render/animation.ipynb"
    projector = "/voila/render/projection.ipynb?code=K7QP2M"
    assert safe_next(handler, projector) == projector
    for elsewhere in ("https://exemple.org/", "//exemple.org/x", "/\\exemple.org", "javascript:alert(1)", ""):
        assert safe_next(handler, elsewhere) == dashboard, elsewhere


def test_the_cookie_is_signed_with_a_key_of_the_secret():
    from types import SimpleNamespace

    guard = Guard(secret="ABCD-EFGH-JKMN", access_key="k", throttle=Throttle(), limits=None,
                  check_pin=lambda c, p: None)
    value = guard.cookie(Access(facilitator=True))
    handler = SimpleNamespace(get_cookie=lambda name: value)
    assert guard.access(handler) == Access(facilitator=True)
    same = Guard(secret="abcd efgh jkmn", access_key="other", throttle=Throttle(), limits=None,
                 check_pin=lambda c, p: None)
    assert same.access(handler) == Access(facilitator=True)  # a fixed secret keeps the sign-in over a restart
    other = Guard(secret="ZZZZ-EFGH-JKMN", access_key="k", throttle=Throttle(), limits=None,
                  check_pin=lambda c, p: None)
    assert other.access(handler) == NOBODY
    tampered = value[:-1] + ("1" if value[-1] == "0" else "0")  # always a different last character
    assert guard.access(SimpleNamespace(get_cookie=lambda name: tampered)) == NOBODY


class SignInPages:
    """The sign-in handlers in a bare Tornado application (no Voilà): codes, throttle, cookie, errors."""

    @staticmethod
    def app(check_pin, trusted=()):
        import tornado.web

        from monnaies_en_jeu.serve_access import GUARD, handlers

        guard = Guard(secret="ABCD-EFGH-JKMN", access_key="k", throttle=Throttle(trusted=trusted, attempts=2),
                      limits=None, check_pin=check_pin)
        return tornado.web.Application(handlers("/"), **{GUARD: guard, "base_url": "/"})


def test_the_sign_in_pages_answer_each_case_in_french():
    import tornado.testing

    from monnaies_en_jeu.game import AccessDenied

    def check_pin(code, pin):
        if code == "PANNE1":
            raise OSError("database out of reach")
        if pin != "2468":
            raise AccessDenied("code_animateur_faux", "Code animateur incorrect.")

    class Case(tornado.testing.AsyncHTTPTestCase):
        def get_app(self):
            return SignInPages.app(check_pin)

        def post(self, **form):
            import urllib.parse

            return self.fetch("/mej/connexion", method="POST", body=urllib.parse.urlencode(form),
                              follow_redirects=False, raise_error=False)

        def runTest(self):  # noqa: N802 (unittest's name)
            page = self.fetch("/mej/connexion")
            assert page.code == 200 and "Code animateur du serveur" in page.body.decode()
            signed = self.post(cle="abcd efgh jkmn")
            assert signed.code == 303 and "SameSite=Strict" in signed.headers["Set-Cookie"]
            assert "HttpOnly" in signed.headers["Set-Cookie"]
            assert signed.headers["Location"] == "/voila/render/animation.ipynb"
            cosigned = self.post(code="k7qp2m", pin="2468")
            assert cosigned.headers["Location"] == "/voila/render/animation.ipynb?code=K7QP2M"
            down = self.post(code="PANNE1", pin="2468")
            assert down.code == 503 and "Traceback" not in down.body.decode()
            assert self.post(code="K7QP2M", pin="0000").code == 403
            assert self.post(cle="faux").code == 403
            refused = self.post(code="K7QP2M", pin="2468")  # two wrong codes: this address waits, even right
            assert refused.code == 429 and "Trop de codes erronés depuis cet appareil" in \
                refused.body.decode().replace("\u00a0", " ")
            back = self.fetch("/mej/deconnexion", follow_redirects=False)  # one click: a link
            assert back.code == 303 and back.headers["Set-Cookie"].startswith('mej_animation=""; expires=')

    result = Case().run()
    assert result is None or result.wasSuccessful(), (result.errors, result.failures)
