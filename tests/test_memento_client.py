"""A real Memento client (the memento-client package) finds our TimeGate natively."""

from __future__ import annotations

from datetime import datetime

import pytest
from memento_client import MementoClient

from service.keys import answer_id
from tests.conftest import LiveServer

STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"
OLD = answer_id("c5e0797645e774ad", STAND)  # 2026-01-06
NEW = answer_id("ff251b4db109e584", STAND)  # 2026-01-09


@pytest.mark.parametrize(
    ("instant", "closest", "prev", "next_"),
    [
        (datetime(2026, 1, 9, 12, 0), NEW, OLD, None),  # on the last answer
        (datetime(2026, 1, 6, 8, 30), OLD, None, NEW),  # on the first
        (datetime(2026, 1, 8, 12, 0), OLD, None, NEW),  # between the two
        (datetime(2027, 6, 1), NEW, OLD, None),  # long after
    ],
)
def test_the_client_finds_the_right_mementos(
    seeded_server: LiveServer,
    instant: datetime,
    closest: str,
    prev: str | None,
    next_: str | None,
) -> None:
    latest = f"{seeded_server.url}/v1/questions/{STAND}/latest"
    with MementoClient(check_native_timegate=True) as client:
        info = client.get_memento_info(latest, instant)
    assert info["original_uri"] == latest
    assert info["timegate_uri"] == f"{seeded_server.url}/v1/questions/{STAND}/timegate"
    mementos = info["mementos"]
    version = f"{seeded_server.url}/v1/answers/"
    assert mementos["closest"]["uri"] == [version + closest]
    assert mementos["closest"]["http_status_code"] == 200
    published = datetime(2026, 1, 9) if closest == NEW else datetime(2026, 1, 6)
    assert mementos["closest"]["datetime"] == published
    assert mementos["first"] == {
        "uri": [version + OLD],
        "datetime": datetime(2026, 1, 6),
    }
    assert mementos["last"] == {
        "uri": [version + NEW],
        "datetime": datetime(2026, 1, 9),
    }
    assert mementos.get("prev", {}).get("uri") == (prev and [version + prev])
    assert mementos.get("next", {}).get("uri") == (next_ and [version + next_])


def test_before_the_first_answer_the_client_is_given_no_memento(
    seeded_server: LiveServer,
) -> None:
    """The TimeGate answers 404: no answer is passed off as the one in force."""
    latest = f"{seeded_server.url}/v1/questions/{STAND}/latest"
    with MementoClient(check_native_timegate=True) as client:
        info = client.get_memento_info(latest, datetime(2026, 1, 1))
    assert info["timegate_uri"] == f"{seeded_server.url}/v1/questions/{STAND}/timegate"
    assert "mementos" not in info
