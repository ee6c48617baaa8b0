"""Many sockets on one page: each event is framed once and reaches every socket but the sender's."""

import json

from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.sync.client import connect

from realtime.frames import SharedText
from tests.realtime.conftest import Socket
from tests.realtime.helpers import barrier, first_table
from users.tokens import token_pair_for_user


def test_every_socket_of_a_page_gets_the_event_compressed_or_not(user, ws, api):
    table = first_table(user)
    sender = ws(user)
    compressed = [ws(user) for _ in range(3)]
    plain = [ws(user, compression=None) for _ in range(3)]
    for socket in (sender, *compressed, *plain):
        socket.subscribe(page="table", table_id=table.id)
    # permessage-deflate was agreed, each message compressed on its own: one frame for all
    (deflate,) = compressed[0].connection.protocol.extensions
    assert (deflate.remote_no_context_takeover, deflate.remote_max_window_bits) == (True, 12)
    assert not plain[0].connection.protocol.extensions
    row = api(user)(
        "POST", f"/api/database/rows/table/{table.id}/", {}, websocket_id=sender.id
    ).json()
    for socket in (*compressed, *plain):
        message = socket.receive()
        assert (message["type"], message["table_id"], message["rows"]) == (
            "rows_created",
            table.id,
            [row],
        )
    assert barrier(api, sender, user) == []


def test_events_keep_their_order_on_each_socket(user, ws, api):
    table = first_table(user)
    sockets = [ws(user), ws(user, compression=None)]
    for socket in sockets:
        socket.subscribe(page="table", table_id=table.id)
    rows = [api(user)("POST", f"/api/database/rows/table/{table.id}/", {}).json() for _ in range(5)]
    for socket in sockets:
        assert [socket.receive()["rows"][0]["id"] for _ in rows] == [row["id"] for row in rows]


def test_a_client_asking_for_a_smaller_window_gets_frames_of_its_own(user, live_url, api):
    """Such a socket cannot take the shared compressed frame: it is compressed for it alone."""
    table = first_table(user)
    url = f"ws://{live_url}/ws/core/?jwt_token={token_pair_for_user(user)[0]}"
    offer = ClientPerMessageDeflateFactory(server_max_window_bits=10)
    with connect(url, compression=None, extensions=[offer]) as connection:
        socket = Socket(connection)
        (deflate,) = connection.protocol.extensions
        assert deflate.remote_max_window_bits == 10
        socket.subscribe(page="table", table_id=table.id)
        row = api(user)("POST", f"/api/database/rows/table/{table.id}/", {}).json()
        assert socket.receive()["rows"] == [row]


def test_a_shared_frame_is_built_once_per_kind_of_socket():
    text = SharedText(json.dumps({"type": "rows_created", "rows": [{"id": 1}] * 100}))
    assert text.frame([]) is text.frame([])
    assert text.frame([]).endswith(text.encode())  # a plain frame carries the text as is
    assert text.frame([object()]) is None  # an extension it does not know: framed per socket


def test_a_client_that_stops_reading_gets_every_event_in_order_once_it_reads(user, live_url, api):
    """Once the socket's buffers are full, its events wait in its queue (up to `MAX_WAITING`)
    and are written in order when the client reads again."""
    table = first_table(user)
    field = api(user)(
        "POST",
        f"/api/database/fields/table/{table.id}/",
        {"name": "Long notes", "type": "long_text"},
    ).json()
    url = f"ws://{live_url}/ws/core/?jwt_token={token_pair_for_user(user)[0]}"
    # No compression and a client that holds one message: what it does not read stays in the
    # kernel's and the server's buffers (about 12 MB of events here, more than they hold).
    with connect(url, compression=None, max_queue=1) as connection:
        socket = Socket(connection)
        socket.subscribe(page="table", table_id=table.id)
        items = [{f"field_{field['id']}": "x" * 2000} for _ in range(200)]
        created = []
        for _ in range(30):
            response = api(user)(
                "POST", f"/api/database/rows/table/{table.id}/batch/", {"items": items}
            )
            assert response.status_code == 200
            created.append([row["id"] for row in response.json()["items"]])
        received = [[row["id"] for row in socket.receive(timeout=30)["rows"]] for _ in created]
        assert received == created
        assert barrier(api, socket, user) == []
