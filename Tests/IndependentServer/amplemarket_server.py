#!/usr/bin/env python3
"""An Amplemarket-compatible server written from ../../../shared/amplemarket-api.md alone.

It is not dispo's sandbox: it reads the documentation in its own way where the documentation leaves
room, so that dispo's client is checked against more than one reading:

- answers are `application/vnd.amp+json` (the introduction's media type);
- ids are not UUIDs (`call_7`, `task_2`): the docs say uuid, a client must not depend on the shape;
- cursors are opaque tokens, and `_links.next.href` carries percent-encoded brackets
  (`page%5Bafter%5D=...`);
- `start_date` has fractional seconds and a `+00:00` offset;
- validation failures are 422 with `_errors[].source.pointer`, unknown ids 404 with a pointer;
- the default page size is 20 and more than 100 is a 400 naming `page[size]`.

Faults, for exactly-once trials (set with `POST /__test/faults`, JSON, every key optional; a key left
out keeps its value):
    hold_post_seconds            a POST /calls waits this long before the call is created
    clock_skew_seconds           the server's clock runs this far ahead (negative: behind): `start_date`
                                 of created calls, the `Date` header, Retry-After dates
    fail_every_nth               every Nth API request is answered 503 without being processed (0: off)
    drop_after_processing_next   the next N POST /calls are processed (the call is created), then the
                                 connection is closed without an answer
    rate_limit_next              the next N API requests are answered 429, not processed
    retry_after_seconds          the wait those 429s ask for
    retry_after_as_date          write that wait as an HTTP date in the server's clock
    down                         close every API connection at once, unanswered

The documented rate limit is enforced (amplemarket-api.md §1): an API request that arrives when 500
requests were let through in the last 60 s is answered 429 with `Retry-After` (delta-seconds, until the
oldest of them is 60 s old), not processed; `--rate-limit N` changes the 500, `--rate-limit 0` turns it
off. Requests refused by a fault or by the limit do not count towards it.

Admin (no auth): `GET /__test/calls` (every call created here, oldest first), `GET /__test/requests`
(method, path, query, arrival time in seconds since the epoch on the real clock, and the status
answered: `dropped` when closed unanswered, null while still being handled), `GET /__test/faults`.

Seeding: `--seed-calls N` starts the workspace with N calls already logged (a large Calls list, for the
request-budget trial): external calls of the first user on its phone tasks, to `+1 202 555 0000`… (numbers
no trial logs), 15–74 s long, one every 5 minutes back from the start (the newest 5 minutes ago, so none
falls in a look-up window of a call logged afterwards). They are in `GET /__test/calls` like any other.

Run: python3 amplemarket_server.py --port 0 --key secret [--seed-calls N] [--rate-limit N]
     (prints `listening on <port>` when ready)
Standard library only.
"""

import argparse
import base64
import collections
import email.utils
import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MEDIA_TYPE = "application/vnd.amp+json"


class World:
    """The workspace and the faults, shared by every request (one lock: requests are few)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.users = [
            {"id": "user_1", "name": "Rita Rep", "email": "rita@independent.test", "status": "active",
             "role": "sales_rep", "mailboxes": [{"id": "mb_1", "email": "rita@independent.test"}]},
            {"id": "user_2", "name": "Sam Sales", "email": "sam@independent.test", "status": "active",
             "role": "sales_rep", "mailboxes": []},
        ]
        self.dispositions = [
            {"id": "disp_na", "name": "No answer", "slug": "no_answer", "action": "next_stage"},
            {"id": "disp_vm", "name": "Left voicemail", "slug": "no_answer_voicemail", "action": "next_stage"},
            {"id": "disp_busy", "name": "Busy", "slug": "busy", "action": "next_stage"},
            {"id": "disp_int", "name": "Interested", "slug": "interested", "action": "complete"},
        ]
        now = time.time()
        self.tasks = []
        for i in range(1, 31):
            user = "user_1" if i % 3 else "user_2"
            self.tasks.append({
                "id": f"task_{i}", "automatic": i % 5 == 0, "type": "phone_call" if i % 7 else "email",
                "status": "scheduled", "due_on": iso(now + (i - 10) * 3600), "finished_on": None,
                "notes": None, "sequence_key": "seq_a", "sequence_name": "Independent outbound",
                "user_id": user, "user_email": f"{'rita' if user == 'user_1' else 'sam'}@independent.test",
                "contact": {"id": f"contact_{i}", "name": f"Contact {i}", "email": f"c{i}@example.test"},
            })
        self.calls = []  # newest last
        self.next_call = 1
        self.requests = []
        self.rate_limit = 500
        self.admitted = collections.deque()  # arrival times of the requests let through, last 60 s
        self.api_count = 0
        self.faults = {
            "hold_post_seconds": 0.0, "clock_skew_seconds": 0.0, "fail_every_nth": 0,
            "drop_after_processing_next": 0, "rate_limit_next": 0, "retry_after_seconds": 1,
            "retry_after_as_date": False, "down": False,
        }

    def seed_calls(self, count):
        """`count` calls already logged, oldest first (see the module's docstring)."""
        tasks = [t for t in self.tasks if t["user_id"] == "user_1" and t["type"] == "phone_call"]
        now = self.server_now()
        for n in range(count):
            task = tasks[n % len(tasks)]
            self.calls.append({
                "id": f"call_{self.next_call}", "from": "+1 650 555 0100", "to": "+1 202 555 %04d" % (n % 10000),
                "duration": 15 + n % 60, "answered": n % 2 == 0, "human": n % 4 == 0, "transcription": None,
                "notes": None, "recording_url": None, "disposition_id": "disp_na" if n % 2 else "disp_vm",
                "task_id": task["id"], "user_id": "user_1", "external": True, "contact": task["contact"],
                "start_date": iso(now - 300 * (count - n)),
            })
            self.next_call += 1

    def server_now(self):
        return time.time() + float(self.faults["clock_skew_seconds"])


def iso(seconds):
    """ISO 8601 with fractional seconds and a +00:00 offset."""
    t = time.gmtime(seconds)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + ".%03d+00:00" % int((seconds % 1) * 1000)


def parse_iso(text):
    """Seconds since the epoch of an ISO 8601 date-time (Z or an offset, fractions allowed); None if not."""
    try:
        from datetime import datetime
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def error(status, code, detail, pointer=None, parameter=None):
    e = {"status": str(status), "code": code, "title": code.replace("_", " ").title(), "detail": detail}
    if pointer:
        e["source"] = {"pointer": pointer}
    if parameter:
        e["source"] = {"parameter": parameter}
    return status, {"_errors": [e], "object": "error"}


def cursor(item_id, direction="after"):
    """An opaque token naming the item the page starts after (or ends before): stable when items are
    added in front of it (a newer call), as a cursor of the real service must be."""
    return base64.urlsafe_b64encode(f"{direction}:{item_id}".encode()).decode().rstrip("=")


def uncursor(token):
    try:
        padded = token + "=" * (-len(token) % 4)
        return base64.urlsafe_b64decode(padded.encode()).decode().split(":", 1)[1]
    except (ValueError, IndexError, UnicodeDecodeError):
        return None


def page(items, key, path, query, base_query):
    """One page of `items` under `key`, cursor paging (`page[after]` / `page[before]`, exclusive), hrefs
    with percent-encoded brackets; `next` absent on the last page, `prev` absent on the first."""
    size_text = query.get("page[size]", ["20"])[-1]
    if not size_text.isdigit() or not 1 <= int(size_text) <= 100:
        return error(400, "unsupported_value", "page[size] must be between 1 and 100", parameter="page[size]")
    size = int(size_text)
    start, end = 0, size
    for name in ("page[after]", "page[before]"):
        if name in query:
            item_id = uncursor(query[name][-1])
            index = next((i for i, item in enumerate(items) if item["id"] == item_id), None)
            if index is None:
                return error(400, "unsupported_value", f"{name} is not a cursor of this list", parameter=name)
            if name == "page[after]":
                start, end = index + 1, index + 1 + size
            else:
                start, end = max(0, index - size), index
    chunk = items[start:end]
    end = start + len(chunk)
    links = {"self": {"href": path + "?" + urllib.parse.urlencode(base_query + [("page[size]", size)])}}
    if end < len(items):
        q = base_query + [("page[size]", size), ("page[after]", cursor(items[end - 1]["id"]))]
        links["next"] = {"href": path + "?" + urllib.parse.urlencode(q)}  # brackets percent-encoded
    if start > 0:
        q = base_query + [("page[size]", size), ("page[before]", cursor(items[start]["id"], "before"))]
        links["prev"] = {"href": path + "?" + urllib.parse.urlencode(q)}
    return 200, {key: chunk, "_links": links}


WORLD = World()
API_KEY = "secret"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def date_time_string(self, timestamp=None):
        # The Date header follows the server's (possibly skewed) clock.
        return email.utils.formatdate(WORLD.server_now(), usegmt=True)

    # Plumbing -------------------------------------------------------------------------------------

    def body_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return "invalid"

    def send(self, status, payload, headers=()):
        data = json.dumps(payload).encode()
        if getattr(self, "record", None) is not None:
            self.record["status"] = status
        self.send_response(status)
        self.send_header("Content-Type", MEDIA_TYPE if not self.path.startswith("/__test") else "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def drop(self):
        if getattr(self, "record", None) is not None:
            self.record["status"] = "dropped"
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # Routing --------------------------------------------------------------------------------------

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PUT(self):
        self.route("PUT")

    def route(self, method):
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        self.record = None  # this request's entry in WORLD.requests (a connection carries several)
        if path.startswith("/__test/"):
            return self.admin(method, path)
        # The body is read before any answer, so a fault's answer never leaves it to be read as the next
        # request on the same connection.
        body = self.body_json() if method == "POST" else None
        with WORLD.lock:
            now = time.time()
            self.record = {"method": method, "path": path, "query": url.query, "at": now, "status": None}
            WORLD.requests.append(self.record)
            faults = dict(WORLD.faults)
            if faults["down"]:
                return self.drop()
            while WORLD.admitted and WORLD.admitted[0] <= now - 60:
                WORLD.admitted.popleft()
            if WORLD.rate_limit and len(WORLD.admitted) >= WORLD.rate_limit:
                wait = max(1, int(WORLD.admitted[0] + 60 - now + 0.999))
                status, payload = error(429, "too_many_requests", f"Rate limit exceeded: {WORLD.rate_limit} requests per minute")
                return self.send(status, payload, headers=[("Retry-After", str(wait))])
            WORLD.api_count += 1
            nth = int(faults["fail_every_nth"])
            if nth > 0 and WORLD.api_count % nth == 0:
                return self.send(*error(503, "service_unavailable", "Temporarily unavailable (every Nth request)"))
            if faults["rate_limit_next"] > 0:
                WORLD.faults["rate_limit_next"] -= 1
                wait = int(faults["retry_after_seconds"])
                after = (email.utils.formatdate(WORLD.server_now() + wait, usegmt=True)
                         if faults["retry_after_as_date"] else str(wait))
                status, payload = error(429, "too_many_requests", "Rate limit exceeded")
                return self.send(status, payload, headers=[("Retry-After", after)])
            WORLD.admitted.append(now)
            drop_after = faults["drop_after_processing_next"] > 0 and method == "POST" and path == "/calls"
            if drop_after:
                WORLD.faults["drop_after_processing_next"] -= 1
        if self.headers.get("Authorization", "") != f"Bearer {API_KEY}":
            return self.send(*error(401, "unauthorized", "Missing or invalid API key"))
        status, payload = self.api(method, path, query, body, faults)
        if drop_after:
            return self.drop()
        self.send(status, payload)

    def api(self, method, path, query, body, faults):
        parts = [p for p in path.split("/") if p]
        if method == "GET" and parts == ["account-info"]:
            return 200, {"account": {"name": "Independent Test Co"}}
        if method == "GET" and parts == ["users"]:
            return page(WORLD.users, "users", "/users", query, [])
        if method == "GET" and parts == ["calls", "dispositions"]:
            return page(WORLD.dispositions, "dispositions", "/calls/dispositions", query, [])
        if method == "GET" and parts == ["calls"]:
            return self.list_calls(query)
        if method == "POST" and parts == ["calls"]:
            return self.log_call(body, faults)
        if method == "GET" and parts == ["tasks"]:
            return self.list_tasks(query)
        if method == "POST" and len(parts) == 3 and parts[0] == "tasks" and parts[2] in ("complete", "skip"):
            return self.finish_task(parts[1], parts[2])
        if method == "GET" and len(parts) == 3 and parts[0] == "calls" and parts[2] == "recording":
            return error(404, "not_found", "No recording for this call", pointer="/id")
        return error(404, "not_found", f"No route for {method} {path}")

    def list_calls(self, query):
        base = []
        with WORLD.lock:
            calls = list(reversed(WORLD.calls))  # newest first
        for name in ("user_id", "from", "to", "start_date_from", "start_date_to"):
            if name in query:
                base.append((name, query[name][-1]))
        for name in ("user_id", "from", "to"):
            if name in query:
                calls = [c for c in calls if c[name] == query[name][-1]]
        for name, keep in (("start_date_from", lambda t, b: t >= b), ("start_date_to", lambda t, b: t <= b)):
            if name in query:
                bound = parse_iso(query[name][-1])
                if bound is None:
                    return error(400, "unsupported_value", f"{name} must be ISO 8601", parameter=name)
                calls = [c for c in calls if keep(parse_iso(c["start_date"]), bound)]
        return page(calls, "calls", "/calls", query, base)

    def log_call(self, body, faults):
        if body == "invalid" or not isinstance(body, dict):
            return error(400, "unsupported_value", "The body must be a JSON object", pointer="/")
        for name, kind in (("from", str), ("to", str), ("duration", int), ("answered", bool), ("human", bool),
                           ("task_id", str), ("user_id", str)):
            if name not in body:
                return error(422, "missing_field", f"{name} is required", pointer=f"/{name}")
            value = body[name]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                return error(422, "unsupported_value", f"{name} has the wrong type", pointer=f"/{name}")
        if body["duration"] < 0:
            return error(422, "unsupported_value", "duration must be 0 or more", pointer="/duration")
        task = next((t for t in WORLD.tasks if t["id"] == body["task_id"]), None)
        if task is None:
            return error(404, "not_found", "Task not found", pointer="/task_id")
        if not any(u["id"] == body["user_id"] for u in WORLD.users):
            return error(404, "not_found", "User not found", pointer="/user_id")
        disposition = None
        if body.get("disposition_id") is not None:
            disposition = next((d for d in WORLD.dispositions if d["id"] == body["disposition_id"]), None)
            if disposition is None:
                return error(404, "not_found", "Disposition not found", pointer="/disposition_id")
        hold = float(faults["hold_post_seconds"])
        if hold > 0:
            time.sleep(hold)  # the call exists only after the hold, whatever the client did meanwhile
        with WORLD.lock:
            call = {
                "id": f"call_{WORLD.next_call}", "from": body["from"], "to": body["to"],
                "duration": body["duration"], "answered": body["answered"], "human": body["human"],
                "transcription": body.get("transcription"), "notes": None,
                "recording_url": body.get("recording_url"), "disposition_id": body.get("disposition_id"),
                "task_id": body["task_id"], "user_id": body["user_id"], "external": True,
                "contact": task["contact"], "start_date": iso(WORLD.server_now()),
            }
            WORLD.next_call += 1
            WORLD.calls.append(call)
            if disposition is not None and disposition["action"] == "complete":
                task["status"] = "completed"
                task["finished_on"] = iso(WORLD.server_now())
        return 201, call

    def list_tasks(self, query):
        if "user_id" not in query:
            return error(422, "missing_field", "user_id is required", parameter="user_id")
        base = [("user_id", query["user_id"][-1])]
        tasks = [t for t in WORLD.tasks if t["user_id"] == query["user_id"][-1]]
        for name in ("type", "status"):
            if name in query:
                base.append((name, query[name][-1]))
                tasks = [t for t in tasks if t[name] == query[name][-1]]
        return page(tasks, "tasks", "/tasks", query, base)

    def finish_task(self, task_id, how):
        task = next((t for t in WORLD.tasks if t["id"] == task_id), None)
        if task is None:
            return error(404, "not_found", "Task not found", pointer="/id")
        if how == "complete" and task["status"] == "completed":
            return 200, task  # completing a completed task answers 200
        if task["automatic"] or task["status"] != "scheduled":
            return error(422, "unsupported_value", "Only scheduled manual tasks can be finished", pointer="/id")
        task["status"] = "completed" if how == "complete" else "skipped"
        task["finished_on"] = iso(WORLD.server_now())
        return 200, task

    def admin(self, method, path):
        if method == "GET" and path == "/__test/calls":
            with WORLD.lock:
                return self.send(200, {"calls": list(WORLD.calls)})
        if method == "GET" and path == "/__test/requests":
            with WORLD.lock:
                return self.send(200, {"requests": list(WORLD.requests)})
        if path == "/__test/faults":
            if method == "POST":
                body = self.body_json()
                if not isinstance(body, dict):
                    return self.send(400, {"error": "a JSON object of faults"})
                with WORLD.lock:
                    for name, value in body.items():
                        if name not in WORLD.faults:
                            return self.send(400, {"error": f"unknown fault {name}"})
                        WORLD.faults[name] = value
                    if "fail_every_nth" in body:
                        WORLD.api_count = 0
            with WORLD.lock:
                return self.send(200, dict(WORLD.faults))
        self.send(404, {"error": "no such admin route"})


def main():
    global API_KEY
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--key", default="secret")
    parser.add_argument("--rate-limit", type=int, default=500, help="requests let through per 60 s (0: no limit)")
    parser.add_argument("--seed-calls", type=int, default=0, help="start with this many calls logged")
    args = parser.parse_args()
    API_KEY = args.key
    WORLD.seed_calls(args.seed_calls)
    WORLD.rate_limit = args.rate_limit
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
