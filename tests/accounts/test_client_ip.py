from django.test import RequestFactory

from schoolpoort.accounts.backends import client_ip


def test_without_proxies_the_connection_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.9"


def test_behind_one_proxy_a_forged_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # the client forged "6.6.6.6"; our proxy appended the real address
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_deploy_check_warns_behind_a_proxy_without_trusted_proxy_count(settings):
    from schoolpoort.accounts.checks import check_proxy_addresses

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 0
    assert [w.id for w in check_proxy_addresses(None)] == ["accounts.W001"]
    settings.TRUSTED_PROXY_COUNT = 1
    assert check_proxy_addresses(None) == []
