"""The local server's memory stays flat under a long run of requests.

moto keeps a registry of every model instance it creates, and every Query hands back fresh copies of the
items it reads: without care the server grew by about 35 MB per thousand requests (5 GB in a long fuzz
run) and never gave it back.
"""

from __future__ import annotations

from tests.http.conftest import ALEX, Faults, Portal


def test_reads_leave_no_dynamodb_items_behind(in_process_portal: tuple[Portal, Faults]) -> None:
    from moto.dynamodb.models.dynamo_type import Item

    portal, _ = in_process_portal
    for _ in range(20):
        assert portal.call("GET", f"/api/patients/{ALEX}/summary", as_user="alex").status == 200
    assert len(Item.instances_tracked) == 0  # type: ignore[attr-defined]
