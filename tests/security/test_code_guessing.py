"""Access codes cannot be guessed faster by switching doors: the API lookup, cancel and reschedule,
the manage form and the case check share one budget per client, and one per reference across clients."""
from __future__ import annotations

import pytest

from tests.helpers.app import migrate

REF = "GIB-7K3M-Q9"


@pytest.fixture()
def limited_app(make_app):
    app = make_app(RATELIMIT_ENABLED=True, REDIS_URL="")
    migrate(app)
    return app


def _guess(client, door: int, reference: str = REF):
    body = {"reference": reference, "access_code": "WRNG-CODE"}
    if door == 0:
        return client.post("/api/v1/appointments/lookup", json=body)
    if door == 1:
        return client.post("/api/v1/appointments/cancel", json=body)
    if door == 2:
        return client.post("/api/v1/appointments/reschedule", json=dict(body, start="2030-01-07T07:00:00Z"))
    return client.post("/en/appointments/manage", data=body)


def test_one_client_gets_ten_guesses_a_minute_whichever_door(limited_app):
    client = limited_app.test_client()
    statuses = [_guess(client, i % 4, reference=f"GIB-7K3M-{i:02d}").status_code for i in range(11)]
    assert set(statuses[:10]) <= {404, 422} and statuses[10] == 429


def test_one_reference_gets_ten_guesses_a_minute_from_any_number_of_clients(limited_app):
    statuses = []
    for i in range(11):
        client = limited_app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{i + 1}"
        statuses.append(_guess(client, i % 4).status_code)
    assert set(statuses[:10]) <= {404, 422} and statuses[10] == 429
    other = limited_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert _guess(other, 0, reference="GIB-AAAA-BB").status_code == 404     # another reference is not blocked


def test_case_numbers_share_the_budget_per_number(limited_app):
    statuses = []
    for i in range(11):
        client = limited_app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{i + 1}"
        door = client.post("/api/v1/cases/lookup", json={"number": "GC-2026-7K3M9Q", "access_code": "x"}) if i % 2 \
            else client.post("/en/cases/check", data={"number": "GC-2026-7K3M9Q", "access_code": "x"})
        statuses.append(door.status_code)
    assert set(statuses[:10]) <= {404, 422} and statuses[10] == 429
