"""The one check before the server calls a URL someone else gave it (lib/outbound.py)."""

import pytest
import requests
from django.utils import translation

from schoolpoort.lib import outbound


@pytest.fixture(autouse=True)
def _english():
    """The reasons are matched in English (their Dutch is in the catalogue)."""
    with translation.override("en"):
        yield


PUSH_HOSTS = ["fcm.googleapis.com", "updates.push.services.mozilla.com", "*.push.apple.com", "*.notify.windows.com"]


def resolving_to(*addresses):
    """A resolver for the test: every name resolves to ``addresses``; it notes what it was asked."""
    asked = []

    def resolve(host, port):
        asked.append((host, port))
        return list(addresses)

    resolve.asked = asked
    return resolve


def check(url, resolve=None):
    return outbound.check_url(url, allowed_hosts=PUSH_HOSTS, resolve=resolve or resolving_to("142.250.179.170"))


@pytest.mark.parametrize(
    "url",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAA",
        "https://web.push.apple.com/QGx8",
        "https://wns2-db5p.notify.windows.com/w/?token=BQYAAA",
        "https://FCM.googleapis.com:443/fcm/send/abc",
    ],
)
def test_a_push_service_with_public_addresses_is_accepted(url):
    resolve = resolving_to("142.250.179.170", "2a00:1450:400e:80c::200a")
    host, addresses = check(url, resolve)
    assert host == url.split("/")[2].split(":")[0].lower()
    assert addresses == ["142.250.179.170", "2a00:1450:400e:80c::200a"]
    assert resolve.asked == [(host, 443)]


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "fc00::1",
     "::ffff:127.0.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "100.64.0.1"],
)
def test_an_allowed_host_that_resolves_to_a_private_address_is_refused(address):
    with pytest.raises(outbound.UnsafeURL, match="private or local network"):
        check("https://fcm.googleapis.com/fcm/send/abc", resolving_to("142.250.179.170", address))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://fcm.googleapis.com/fcm/send/abc", "Only https"),
        ("https://127.0.0.1/push", "not a number"),
        ("https://[::1]/push", "not a number"),
        ("https://2130706433/push", "not a number"),
        ("https://0x7f.1/push", "not a number"),
        ("https://10.0.0.1/push", "not a number"),
        ("https://user:secret@fcm.googleapis.com/fcm/send/abc", "user name or password"),
        ("https://fcm.googleapis.com@127.0.0.1/x", "user name or password"),
        ("https://fcm.googleapis.com:8443/fcm/send/abc", "standard https port"),
        ("https://fcm.googleapis.com:99999/fcm/send/abc", "not a valid address"),
        ("https://push.example/1", "not one the school sends to"),
        ("https://fcm.googleapis.com.evil.example/x", "not one the school sends to"),
        ("https://evilfcm.googleapis.com/x", "not one the school sends to"),
        ("https://push.apple.com/x", "not one the school sends to"),  # *. means a subdomain
        ("https://attackerpush.apple.com/x", "not one the school sends to"),
        ("https://fcm.googleapis.com/fcm\r\nHost: x", "not a valid address"),
        ("https:///nohost", "not a valid address"),
    ],
)
def test_what_is_not_a_push_service_is_refused_before_any_lookup(url, reason):
    resolve = resolving_to("142.250.179.170")
    with pytest.raises(outbound.UnsafeURL, match=reason):
        check(url, resolve)
    assert resolve.asked == []


def test_a_name_that_does_not_resolve_is_not_accepted():
    with pytest.raises(outbound.UnresolvableURL):
        check("https://fcm.googleapis.com/fcm/send/abc", resolving_to())


def test_the_system_resolver_reports_a_failed_lookup_as_unresolvable():
    with pytest.raises(outbound.UnresolvableURL):
        outbound.resolve("name.invalid", 443)  # .invalid never resolves (RFC 2606)


def test_the_vetted_adapter_never_connects_to_a_private_address():
    """DNS rebinding: the connection itself looks the name up again and refuses a private answer,
    whatever an earlier check saw."""
    resolve = resolving_to("127.0.0.1")
    session = requests.Session()
    session.trust_env = False
    session.mount("https://", outbound.VettedAdapter(resolve=resolve))
    with pytest.raises(requests.ConnectionError, match="private or local network"):
        session.post("https://fcm.googleapis.com/fcm/send/abc", data=b"x", timeout=5)
    assert resolve.asked == [("fcm.googleapis.com", 443)]
