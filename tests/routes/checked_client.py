"""The route tables walk every route as every role; this client checks the headers of each answer
on the way (lib/headers.py, settings.CONTENT_SECURITY_POLICY): every 200 carries the
Content-Security-Policy, and every 200 to a signed-in user ``Cache-Control: no-store``."""

from django.test import Client


def check_headers(response, signed_in: bool) -> None:
    if response.status_code != 200:
        return
    url = response.request["PATH_INFO"]
    policy = response.get("Content-Security-Policy", "")
    assert policy, f"no Content-Security-Policy on {url}"
    if response.get("Content-Type", "").startswith("text/html"):
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, url
    if signed_in:
        assert "no-store" in response.get("Cache-Control", ""), f"{url} may be cached: {response.get('Cache-Control')}"


class HeaderCheckingClient(Client):
    def request(self, **request):
        signed_in = "_auth_user_id" in self.session
        response = super().request(**request)
        check_headers(response, signed_in)
        return response
