"""Creating a case through the staff API."""
from __future__ import annotations

from tests.helpers.booking import service_slug


def create_case(client, token, **extra):
    body = {"service": service_slug(), "name": "Демо Олена Тестова", "phone": "+380 67 123 4567",
            "lang": "uk", "office": 34, "public_note": "Заяву зареєстровано."}
    body.update(extra)
    return client.post("/api/v1/staff/cases", json=body, headers={"Authorization": f"Bearer {token}"})
