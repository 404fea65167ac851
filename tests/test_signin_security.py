"""Safe sign-in (issue 15): the lockout by account and address, the client's address behind a
trusted proxy, the second factor, API tokens that end and tokens that only read, the API schema
behind sign-in, and no copies kept of what a signed-in user was shown."""

import io
from binascii import unhexlify
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from django_otp.oath import totp

from chibo.accounts.models import ApiToken
from chibo.accounts.services import create_token
from chibo.accounts.views import PENDING_KEY
from chibo.core.addresses import client_address
from tests.conftest import PASSWORD

PROXY = "10.0.0.1"


def sign_in(client, username, password=PASSWORD, address="10.0.0.1", **headers):
    """Sign in afresh from `address` (whoever was signed in on `client` is signed out)."""
    client.logout()
    response = client.post("/accounts/login/", {"username": username, "password": password},
                           REMOTE_ADDR=address, **headers)
    if response.status_code == 302:  # AXES_RESET_ON_SUCCESS: the account's failures forgotten
        counts = client.__dict__.get("failures", Counter())
        for key in [key for key in counts if key == username or key[0] == username]:
            del counts[key]
    return response


def fail(client, username, times, address="10.0.0.1", **headers):
    """`times` wrong passwords, each answered as the limits say: the form again (200) until
    the attempt that reaches the limit of the account at that address (AXES_FAILURE_LIMIT) or
    of the account anywhere (ACCOUNT_FAILURE_LIMIT), which is answered 429 already, as is every
    later one. The failures are counted on `client`, one per test."""
    counts = client.__dict__.setdefault("failures", Counter())
    for _ in range(times):
        counts[username, address] += 1
        counts[username] += 1
        locked = (counts[username, address] >= django_settings.AXES_FAILURE_LIMIT
                  or counts[username] >= django_settings.ACCOUNT_FAILURE_LIMIT)
        status = sign_in(client, username, "wrong", address, **headers).status_code
        assert status == (429 if locked else 200), (username, address, counts[username])


# Lockout ----------------------------------------------------------------------------------------

def test_a_colleagues_bad_passwords_do_not_lock_me_out_at_the_same_address(world, client):
    """The commune office behind one address: the member's five mistakes lock the member
    there, not the secretary typing the right password at the next desk."""
    fail(client, "member", 5, address="10.0.0.7")
    assert sign_in(client, "secretary", address="10.0.0.7").status_code == 302
    assert sign_in(client, "member", address="10.0.0.7").status_code == 429


def test_five_failures_lock_the_account_at_that_address_only(world, client):
    fail(client, "commune", 5, address="10.0.0.7")
    response = sign_in(client, "commune", address="10.0.0.7")
    assert response.status_code == 429 and "15 phút" in response.content.decode()
    assert sign_in(client, "commune", address="10.0.0.8").status_code == 302


def test_the_account_is_slowed_from_any_address(world, client):
    """Guesses spread over many addresses (four each, under the limit of one address) lock the
    account everywhere at the twentieth."""
    for number, times in enumerate([4, 4, 4, 4, 3]):
        fail(client, "commune", times, address=f"198.51.100.{number + 1}")
    assert sign_in(client, "commune", address="198.51.100.99").status_code == 302  # 19: not yet
    for number in range(5):
        fail(client, "commune", 4, address=f"198.51.100.{number + 1}")
    assert sign_in(client, "commune", address="198.51.100.99").status_code == 429  # 20
    assert sign_in(client, "secretary", address="198.51.100.99").status_code == 302


# The client's address ---------------------------------------------------------------------------

def test_x_forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy(world, client,
                                                                            settings):
    """A client that writes the header itself cannot pick a fresh address for each guess."""
    settings.TRUSTED_PROXIES = [PROXY]
    for number in range(5):
        sign_in(client, "member", "wrong", address="192.0.2.9",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    response = sign_in(client, "member", address="192.0.2.9", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_x_forwarded_for_is_honoured_from_a_trusted_proxy(world, client, settings):
    """Behind the HTTPS proxy every request comes from the proxy's address: the lockout counts
    by the address the proxy saw, so one person's mistakes lock only them."""
    settings.TRUSTED_PROXIES = [PROXY]
    fail(client, "member", 5, address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert sign_in(client, "member", address=PROXY,
                   HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert sign_in(client, "member", address=PROXY,
                   HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("192.0.2.9", "203.0.113.5", "192.0.2.9"),  # not a proxy: the header is the client's word
    (PROXY, "", PROXY),
    (PROXY, "203.0.113.5", "203.0.113.5"),
    (PROXY, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the left part was written by the client
    (PROXY, "203.0.113.5, 10.1.2.3", "203.0.113.5"),  # through two proxies of ours
    (PROXY, "10.1.2.3, 10.1.2.4", "10.1.2.3"),  # from inside: every hop is ours
    (PROXY, "not-an-address", PROXY),
    ("::1", "2001:db8::7", "2001:db8::7"),
])
def test_the_client_address_is_the_right_most_one_no_trusted_proxy_wrote(
        settings, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/16", "::1/128"]
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# Second factor ----------------------------------------------------------------------------------

def app_code(key: str, steps_ahead: int = 0) -> str:
    """What the authenticator app holding `key` shows (a step ahead: a code not yet used)."""
    return f"{totp(unhexlify(key), drift=steps_ahead):06d}"


def enrol(client) -> tuple[str, list[str]]:
    """Enrol through the pages; the key and the recovery codes shown."""
    page = client.get("/accounts/second-factor/enrol/")
    assert page.status_code == 200 and "otpauth://totp/chibo" in page.content.decode()
    key = client.session[PENDING_KEY]
    response = client.post("/accounts/second-factor/enrol/", {"code": app_code(key)})
    assert response.status_code == 200
    return key, response.context["codes"]


def test_an_officer_must_enrol_when_the_province_requires_it(world, client, settings):
    settings.REQUIRE_2FA = "officers"
    assert sign_in(client, "province").status_code == 302
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/second-factor/enrol/")
    assert client.get("/api/v1/organizations/D1.X1").status_code == 401  # nor the API
    _key, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200


def test_a_cell_secretary_is_not_required_to(world, client, settings):
    settings.REQUIRE_2FA = "officers"
    sign_in(client, "secretary")
    assert client.get("/").status_code == 200


def test_after_enrolment_the_password_alone_does_not_reach_the_home_page(world, client,
                                                                          settings):
    settings.REQUIRE_2FA = "officers"
    sign_in(client, "province")
    key, _codes = enrol(client)
    client.post("/accounts/logout/")
    sign_in(client, "province")
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/second-factor/verify/")
    assert client.get("/accounts/second-factor/enrol/").status_code == 302  # no new phone
    response = client.post("/accounts/second-factor/verify/?next=/",
                           {"code": app_code(key, steps_ahead=1)})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200


def test_a_recovery_code_works_once(world, client, settings):
    settings.REQUIRE_2FA = "officers"
    sign_in(client, "province")
    _key, codes = enrol(client)
    client.post("/accounts/logout/")
    sign_in(client, "province")
    assert client.post("/accounts/second-factor/verify/", {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, "province")
    response = client.post("/accounts/second-factor/verify/", {"code": codes[0]})
    assert response.status_code == 200 and "Mã không đúng" in response.content.decode()
    assert client.get("/").status_code == 302


def test_anyone_may_enrol_from_the_account_menu_and_is_then_asked(world, client):
    sign_in(client, "secretary")
    home = client.get("/").content.decode()
    assert 'href="/accounts/second-factor/"' in home
    assert 'data-second-factor="off"' in client.get("/accounts/second-factor/").content.decode()
    enrol(client)
    assert 'data-second-factor="on"' in client.get("/accounts/second-factor/").content.decode()
    client.post("/accounts/logout/")
    sign_in(client, "secretary")
    assert client.get("/").url.startswith("/accounts/second-factor/verify/")


# API tokens ---------------------------------------------------------------------------------

def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_an_expired_token_is_refused(world, client):
    token, raw = create_token(world.users["commune"], actor=world.users["commune"], days=1)
    assert token.expires_at - timezone.now() > timedelta(hours=23)
    assert client.get("/api/v1/organizations/D1.X1", headers=bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/organizations/D1.X1", headers=bearer(raw)).status_code == 401


def test_tokens_last_ninety_days_by_default(world):
    token, _raw = create_token(world.users["commune"], actor=world.users["commune"])
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)


def test_a_read_only_token_cannot_write(world, client):
    _token, raw = create_token(world.users["province"], actor=world.users["province"],
                               read_only=True)
    assert client.get("/api/v1/organizations/D1.X1", headers=bearer(raw)).status_code == 200
    response = client.patch("/api/v1/organizations/D1.X1", {"name": "Đổi tên"},
                            content_type="application/json", headers=bearer(raw))
    assert response.status_code == 403 and "detail" in response.json()
    assert world.org("D1.X1").name == "Đảng bộ xã An Phú"


def test_the_token_command_sets_days_and_read_only(world, client):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "commune", "--days", "7", "--read-only", stdout=out,
                 stderr=err)
    token = ApiToken.objects.get(user__username="commune")
    assert token.read_only and "Mã chỉ đọc" in err.getvalue()
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)


# The schema and its documentation -----------------------------------------------------------

def test_the_schema_needs_a_signed_in_caller(world, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 401 and "detail" in response.json()
    _token, raw = create_token(world.users["member"], actor=world.users["member"])
    assert client.get("/api/v1/openapi.json", headers=bearer(raw)).status_code == 200
    assert world.client("member").get("/api/v1/openapi.json").status_code == 200


def test_the_api_docs_send_an_anonymous_visitor_to_sign_in(world, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/api/v1/docs"


# No copies kept ------------------------------------------------------------------------------

def test_a_signed_in_page_is_not_stored(world, people):
    response = world.client("commune").get("/members/M001/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_an_api_answer_is_not_stored(world, client):
    _token, raw = create_token(world.users["commune"], actor=world.users["commune"])
    response = client.get("/api/v1/organizations/D1.X1", headers=bearer(raw))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "no-store" in world.client("commune").get("/api/v1/organizations/D1.X1")[
        "Cache-Control"]


def test_static_files_may_be_cached(world, client):
    signed_in = world.client("commune")
    assert "no-store" not in signed_in.get("/static/chibo/chibo.css").get("Cache-Control", "")


def test_an_administrator_resets_the_second_factor_of_who_lost_phone_and_codes(world, client,
                                                                                settings):
    settings.REQUIRE_2FA = "officers"
    sign_in(client, "province")
    enrol(client)
    call_command("twofactor", "reset", "province", stdout=io.StringIO())
    sign_in(client, "province")
    assert client.get("/").url.startswith("/accounts/second-factor/enrol/")  # enrols anew
