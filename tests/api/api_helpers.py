"""Helpers of the API tests: a token for a user (who gets a second factor first), and requests with it."""

from schoolpoort.api.tokens import create_token
from tests.accounts.accounts_helpers import app_for


def token_for(user, school, scopes=("absences:read", "news:read", "calendar:read"), days=30, name="ParnasSys"):
    app_for(user)
    return create_token(user, school, name=name, scopes=list(scopes), days=days)


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
