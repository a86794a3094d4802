import os

from goto_connector import Connector, GotoError

connector = Connector()  # the component in the package, compiled once (about 1 s)
connection = {
    "access_token": os.environ.get("GOTO_TOKEN", ""),
    "api_base": os.environ.get("GOTO_API_BASE"),  # None: https://api.getgo.com
}
try:
    meeting = connector.meetings.get_meeting(connection, 123456789)
    print(meeting["subject"], meeting["start_time"])
except GotoError as e:
    # The operation's error: e.tag == "not-found", e.payload == {"status": 404, ...}
    print(e.tag, e.payload)
    raise SystemExit(1)
