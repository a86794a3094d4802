"""A loopback stand-in for GoTo's meeting API and token endpoint, for the
worker's tests: listens on 127.0.0.1 only, answers each request after a
delay (creates after ten times as long, so a killed worker surely loses
some), stops after a request count or a time, and logs every request
(never a credential) and every connection it accepts as one JSON line.

usage: mock_goto.py LOG DELAY_MS MAX_REQUESTS MAX_SECONDS [RATE]
With RATE, each token may make at most RATE requests in any second; beyond
that the mock answers 429 with Retry-After: 1, as GoTo does.
Prints the port it listens on, then serves.
"""

import base64
import itertools
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

LOG, DELAY, MAX_REQUESTS, MAX_SECONDS = sys.argv[1], int(sys.argv[2]) / 1000, int(sys.argv[3]), float(sys.argv[4])
RATE = int(sys.argv[5]) if len(sys.argv) > 5 else 0
# The times of each token's requests in the last second (with RATE).
recent = {}
# The credentials the test gives the workers (through their environment).
CLIENT = ("worker-client", "test-client-secret-0f9e8d7c6b5a")
REFRESH = "test-refresh-token-5e4d3c2b1a09"

SLOW = {999: 5, 998: 20}

lock = threading.Lock()
served = itertools.count(1)
ids = itertools.count(700000001)
# Access tokens this mock accepts: the benchmark's fixed one, and those it
# hands out by refresh.
issued = {"test-bench-token-6d5c4b3a2f1e"}
# One meeting always there, for the benchmark's get-meeting activities.
meetings = {123456789: "bench"}
log = open(LOG, "a", buffering=1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        log.write(json.dumps({"connection": "accepted"}) + "\n")

    def handle(self):
        # A killed worker leaves its connections behind: not an error here.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def answer(self, status, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def over_rate(self):
        if not RATE:
            return False
        token = self.headers.get("authorization", "")
        now = time.monotonic()
        with lock:
            times = [t for t in recent.get(token, []) if now - t < 1.0]
            over = len(times) >= RATE
            if not over:
                times.append(now)
            recent[token] = times
        return over

    def handle_one(self, method):
        n = next(served)
        if n > MAX_REQUESTS:
            self.answer(503, {"errorCode": "MockExhausted"})
            return
        if self.over_rate():
            log.write(json.dumps({"method": method, "status": 429}) + "\n")
            self.send_response(429)
            self.send_header("retry-after", "1")
            self.send_header("content-type", "application/json")
            data = json.dumps({"errorCode": "TooManyRequests", "description": "rate limit"}).encode()
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        # Each worker has its own base, /w1 or /w2, so the log tells them apart.
        m = re.match(r"/(w\d+)(/.*)", self.path)
        worker, self.path = (m.group(1), m.group(2)) if m else (None, self.path)
        if method == "POST":
            log.write(json.dumps({"method": method, "worker": worker, "arrived": True}) + "\n")
        time.sleep(DELAY * (10 if method == "POST" else 1))
        entry = {"method": method, "path": self.path, "worker": worker}
        status, answer = self.route(method, body, entry)
        entry["status"] = status
        log.write(json.dumps(entry) + "\n")
        self.answer(status, answer)

    def authorized(self, entry):
        token = self.headers.get("authorization", "").removeprefix("Bearer ")
        ok = token in issued
        entry["token"] = "issued" if ok else "refused"
        return ok

    def route(self, method, body, entry):
        if method == "POST" and self.path == "/oauth/token":
            return self.token(body, entry)
        if not self.authorized(entry):
            return 401, {"errorCode": "InvalidToken", "description": "expired"}
        m = re.fullmatch(r"/G2M/rest/meetings(?:/(\d+))?", self.path)
        if not m:
            return 404, {"errorCode": "NotFound", "description": self.path}
        if method == "POST" and m.group(1) is None:
            subject = json.loads(body).get("subject")
            entry["subject"] = subject
            with lock:
                mid = next(ids)
                meetings[mid] = subject
            return 201, [{"joinURL": f"https://meet.example/join/{mid}", "maxParticipants": 26,
                          "uniqueMeetingId": 200000000000000000 + mid,
                          "conferenceCallInfo": "Access Code: 123-456-789", "meetingid": mid}]
        mid = int(m.group(1) or 0)
        if method == "GET" and mid in SLOW:
            # Longer than the workflow's heartbeat timeout (999), or so long
            # that only a cancellation ends the call in time (998).
            time.sleep(SLOW[mid])
            return 200, [{"meetingId": mid, "subject": "slow", "startTime": "2026-07-01T22:00:00.+0000",
                          "endTime": "2026-07-01T23:00:00.+0000"}]
        with lock:
            subject = meetings.get(mid)
        if subject is None:
            return 404, {"errorCode": "NotFound", "description": f"meeting {mid}"}
        if method == "GET":
            return 200, [{"meetingId": mid, "uniqueMeetingId": 200000000000000000 + mid,
                          "subject": subject, "startTime": "2026-07-01T22:00:00.+0000",
                          "endTime": "2026-07-01T23:00:00.+0000", "status": "INACTIVE",
                          "passwordRequired": "false", "meetingType": "Scheduled",
                          "maxParticipants": 26, "conferenceCallInfo": "Access Code: 123-456-789"}]
        if method == "DELETE":
            with lock:
                meetings.pop(mid, None)
            return 204, None
        return 405, {"errorCode": "MethodNotAllowed"}

    def token(self, body, entry):
        basic = base64.b64decode(self.headers.get("authorization", "").removeprefix("Basic ")).decode()
        form = parse_qs(body.decode())
        if basic != ":".join(CLIENT) or form.get("refresh_token") != [REFRESH]:
            entry["refresh"] = "refused"
            return 400, {"error": "invalid_grant", "error_description": "unknown refresh token"}
        with lock:
            token = f"test-access-token-{len(issued) + 1}-3f2a1b0c9d8e"
            issued.add(token)
        entry["refresh"] = "issued"
        return 200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}

    def do_GET(self):
        self.handle_one("GET")

    def do_POST(self):
        self.handle_one("POST")

    def do_DELETE(self):
        self.handle_one("DELETE")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Timer(MAX_SECONDS, server.shutdown).start()
server.serve_forever()
