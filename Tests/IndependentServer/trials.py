#!/usr/bin/env python3
"""Exactly-once trials of a built dispo binary against the independent server (amplemarket_server.py).

Each case starts a fresh server (a subprocess on port 0) and a fresh state directory, drives dispo — the
TUI in a detached tmux session, or its command line — through one fault, and counts what ARRIVED at the
server (`GET /__test/calls`, matched on the log's duration and number): duplicated when more than one,
lost when none. It prints, per case, the trials, the calls that arrived per log, duplicates, losses and
what the rep was told (the screen line or the command's output).

    python3 Tests/IndependentServer/trials.py --dispo PATH [--case N] [--json FILE]

Needs Python 3 (standard library), tmux, and for case 7 root (a small tmpfs is mounted for the state
directory and filled). Every wait is bounded; tmux servers, dispo processes and servers started here
are ended by their own ids at the end of each case.
"""

import argparse
import json
import os
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_SCRIPT = os.path.join(HERE, "amplemarket_server.py")
KEY = "secret"
DISPO = None  # set from --dispo
COLS, ROWS = 100, 30


class TrialError(Exception):
    pass


# -- the server --------------------------------------------------------------------------------------

class Server:
    """amplemarket_server.py as a subprocess; `stop()` ends it (connections are then refused) and
    `start()` runs a new one on the same port (a fresh workspace: its calls and requests start empty)."""

    def __init__(self, extra=()):
        self.extra = list(extra)
        self.port = 0
        self.proc = None
        self.dump_dir = None  # when set, each run's requests and calls are saved there as it stops
        self.runs = 0
        self.start()

    def start(self):
        self.proc = subprocess.Popen([sys.executable, SERVER_SCRIPT, "--port", str(self.port), "--key", KEY,
                                      *self.extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     stdin=subprocess.DEVNULL, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 15)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("listening on "):
            self.stop()
            raise TrialError(f"the server did not start: {line!r}")
        self.port = int(line.split()[2])

    def stop(self):
        if self.proc and self.proc.poll() is None and self.dump_dir:
            self.runs += 1
            try:
                with open(os.path.join(self.dump_dir, f"server-run{self.runs}.json"), "w") as f:
                    json.dump({"requests": self.requests(), "calls": self.calls()}, f, indent=1)
            except (OSError, urllib.error.URLError):
                pass
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def _request(self, method, path, body=None, auth=False):
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {KEY}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def faults(self, **faults):
        return self._request("POST", "/__test/faults", faults)

    def calls(self):
        return self._request("GET", "/__test/calls")["calls"]

    def requests(self):
        return self._request("GET", "/__test/requests")["requests"]

    def api(self, path):
        return self._request("GET", path, auth=True)

    def posts(self):
        return [r for r in self.requests() if r["method"] == "POST" and r["path"] == "/calls"]

    def matching(self, duration, to):
        return [c for c in self.calls() if c["duration"] == duration and c["to"] == to]

    def who(self):
        """The first active user's e-mail and id, and its scheduled manual phone tasks (ids), from the API."""
        user = next(u for u in self.api("/users")["users"] if u.get("status") == "active")
        tasks = self.api(f"/tasks?user_id={user['id']}&type=phone_call&status=scheduled")["tasks"]
        return user["email"], user["id"], [t["id"] for t in tasks if not t["automatic"]]


# -- dispo -------------------------------------------------------------------------------------------

def poll(what, condition, timeout, on_fail=lambda: ""):
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            raise TrialError(f"timed out ({timeout} s) waiting for {what}\n{on_fail()}")
        time.sleep(0.1)


class State:
    """A fresh HOME / XDG_STATE_HOME / XDG_CONFIG_HOME for dispo, shared by every dispo of a case."""

    def __init__(self, name):
        self.dir = tempfile.mkdtemp(prefix=f"dispo-it-{name}-")
        self.state = os.path.join(self.dir, "state")
        os.makedirs(self.state)
        os.makedirs(os.path.join(self.dir, "config"))

    @property
    def store(self):
        return os.path.join(self.state, "dispo", "dispo.sqlite")

    @property
    def logfile(self):
        return os.path.join(self.state, "dispo", "dispo.log")

    def env(self, server):
        return {"AMPLEMARKET_API_KEY": KEY, "AMPLEMARKET_BASE_URL": server.base, "HOME": self.dir,
                "XDG_STATE_HOME": self.state, "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
                "DISPO_LOG_LEVEL": "debug", "LANG": "C.UTF-8", "TERM": "xterm-256color",
                "PATH": os.environ.get("PATH", "/usr/bin:/bin")}

    def log(self):
        try:
            with open(self.logfile, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_tail(self, lines=30, grep=None):
        rows = self.log().splitlines()
        if grep:
            rows = [r for r in rows if any(g in r for g in grep)]
        return "\n".join(rows[-lines:])


def cli(state, server, args, timeout=120):
    """Runs `dispo ARGS`; returns (exit status, stdout + stderr)."""
    env = state.env(server)
    r = subprocess.run([DISPO, *args], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=timeout, cwd=state.dir)
    return r.returncode, r.stdout


class Tui:
    """dispo's TUI in a detached tmux session of its own (tmux -L NAME), synchronised on the app's idle
    signal (DISPO_IDLE_FILE: rewritten whenever input is drained and a frame drawn)."""

    count = 0

    def __init__(self, state, server, user):
        Tui.count += 1
        self.name = f"dispo-it-{os.getpid()}-{Tui.count}"
        self.state = state
        self.idle_file = os.path.join(state.dir, f"idle-{Tui.count}")
        env = state.env(server)
        env["DISPO_IDLE_FILE"] = self.idle_file
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(env.items()))
        command = (f"cd {shlex.quote(state.dir)} && env -i {exports} {shlex.quote(DISPO)} --user {shlex.quote(user)};"
                   f" echo EXITED:$?; sleep 600")
        subprocess.run(["tmux", "-L", self.name, "new-session", "-d", "-s", self.name, "-x", str(COLS),
                        "-y", str(ROWS), command], check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.last_idle = ""
        self.pid = poll("the dispo process", self._find_pid, 15, self.capture)

    def _tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.name, *args], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout

    def _find_pid(self):
        shell = self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip()
        if not shell.isdigit():
            return None
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
                ppid = stat[stat.rindex(")") + 2:].split()[1]
                if ppid == shell and os.readlink(f"/proc/{entry}/exe") == os.path.realpath(DISPO):
                    return int(entry)
            except (OSError, ValueError, IndexError):
                continue
        return None

    def alive(self):
        try:
            os.kill(self.pid, 0)
        except OSError:
            return False
        with open(f"/proc/{self.pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"

    def capture(self):
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def rows(self):
        return self.capture().split("\n")

    def header(self):
        return self.rows()[0]

    def connection(self):
        """The header's right-hand part: the connection state, queued count, refresh time."""
        h = self.header()
        at = min((h.find(w) for w in ("online", "offline", "retrying", "cannot save", "another dispo") if w in h),
                 default=-1)
        return h[at:].strip() if at >= 0 else h.strip()

    def status_line(self):
        """The line above the key-help footer (where dispo tells the rep what happened)."""
        rows = [r for r in self.rows() if r.strip()]
        return rows[-2].strip() if len(rows) >= 2 else ""

    def read_idle(self):
        try:
            with open(self.idle_file) as f:
                return f.read()
        except OSError:
            return ""

    def wait_idle(self, timeout=30):
        def changed():
            s = self.read_idle()
            if s and s != self.last_idle:
                self.last_idle = s
                return True
            return False
        poll("dispo's idle signal", changed, timeout, self.capture)

    def send(self, key, literal=False, wait=True):
        self._tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), key)
        if wait:
            self.wait_idle()

    def type(self, text):
        for ch in text:
            self.send(ch, literal=True)

    def focused(self):
        for row in self.rows():
            if row.startswith("▸"):
                return row[2:17].replace("*", "").strip()
        return None

    def focus(self, label):
        for _ in range(14):
            if self.focused() == label:
                return
            self.send("Tab")
        raise TrialError(f"cannot focus {label}:\n{self.capture()}")

    def set(self, label, value):
        self.focus(label)
        self.send("C-u")
        self.type(value)

    def log_call(self, down, to, duration, wait=True, frm="+1 650 555 0199", before_send=None):
        """Tasks tab, the task `down` rows below the first, the log form: To, From, Duration, Left
        voicemail (picker filtered by typing), then `before_send()` (e.g. to set a fault: opening the form
        loads the contact's calls, which must not meet it), then Ctrl-S."""
        self.show_tab("1", "[1 Tasks")
        self.send("g")
        for _ in range(down):
            self.send("j")
        self.send("Enter")
        poll("the log form", lambda: "Log a call" in self.capture(), 10, self.capture)
        self.set("To", to)
        self.set("From", frm)
        self.set("Duration", duration)
        self.focus("Disposition")
        self.send("Enter")
        self.type("voicemail")
        self.send("Enter")
        if "Left voicemail" not in self.capture():
            raise TrialError(f"Left voicemail not picked:\n{self.capture()}")
        if before_send:
            before_send()
        self.send("C-s", wait=wait)

    def show_tab(self, key, marker):
        for _ in range(10):
            if marker in self.rows()[1]:
                return
            self.send(key)
        raise TrialError(f"the tab {marker} did not open:\n{self.capture()}")

    def outbox(self):
        self.show_tab("3", "[3 Outbox")

    def outbox_rows(self):
        rows = self.rows()
        heading = next((i for i, r in enumerate(rows) if "Created" in r and "State" in r), None)
        if heading is None:
            return []
        return [r.rstrip() for r in rows[heading + 1:] if " \u00b7 " in r]

    def all_sent(self, count):
        entries = self.outbox_rows()
        return (sum("  sent  " in e for e in entries) >= count
                and not any("pending" in e or "sending" in e or "NEEDS ATTENTION" in e for e in entries))

    def wait_tasks(self, timeout=30):
        poll("the Tasks list", lambda: "Contact 1 " in self.capture(), timeout, self.capture)
        self.wait_idle_quiet()

    def wait_idle_quiet(self, settle=0.5, timeout=20):
        """Waits until no new idle report comes for `settle` seconds (the app has nothing left to draw)."""
        deadline = time.time() + timeout
        last, since = self.read_idle(), time.time()
        while time.time() < deadline:
            s = self.read_idle()
            if s != last:
                last, since = s, time.time()
            elif time.time() - since >= settle:
                break
            time.sleep(0.05)
        self.last_idle = last

    def sigkill(self):
        os.kill(self.pid, signal.SIGKILL)
        poll("dispo to be gone", lambda: not self.alive(), 10)

    def quit(self):
        self.send("q", wait=False)
        time.sleep(0.5)
        if "still queued" in self.capture() or "y/n" in self.capture():
            self.send("y", wait=False)
        poll("dispo to quit", lambda: not self.alive(), 15, self.capture)

    def kill(self):
        if self.alive():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
        self._tmux("kill-server")


# -- results -----------------------------------------------------------------------------------------

RESULTS = []


def record(case, title, logs, told, notes="", trials=None):
    """`logs`: [(label, calls arrived for it)]; one trial per log unless `trials` says."""
    arrived = [n for _, n in logs]
    row = {"case": case, "title": title, "trials": len(logs) if trials is None else trials, "arrived": arrived,
           "duplicated": sum(max(0, n - 1) for n in arrived), "lost": sum(1 for n in arrived if n == 0),
           "told": told, "notes": notes}
    RESULTS.append(row)
    print(f"\n== case {case}: {title}")
    print(f"   trials: {row['trials']}; arrived per log: {', '.join(f'{l}: {n}' for l, n in logs)}; "
          f"duplicated: {row['duplicated']}; lost: {row['lost']}")
    print(f"   rep told: {told}")
    if notes:
        print("   " + notes.replace("\n", "\n   "))
    sys.stdout.flush()
    return row


def since_post(server, post_at, predicate):
    return [r for r in server.requests() if r["at"] > post_at and predicate(r)]


def lookups(server, after=0):
    return [r for r in server.requests()
            if r["at"] > after and r["method"] == "GET" and r["path"] == "/calls" and "start_date_from" in r["query"]]


def wait_post(server, count=1, timeout=30):
    return poll(f"{count} POST /calls to arrive", lambda: (lambda p: p if len(p) >= count else None)(server.posts()),
                timeout)


class Case:
    """A fresh server and state directory; everything started is ended on exit."""

    def __init__(self, name, server_args=()):
        self.server = Server(server_args)
        self.state = State(name)
        self.server.dump_dir = self.state.dir
        self.email, self.user_id, self.tasks = self.server.who()
        print(f"   [{name}: server on port {self.server.port}, state in {self.state.dir}]")
        self.tuis = []

    def tui(self):
        t = Tui(self.state, self.server, self.email)
        self.tuis.append(t)
        return t

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for t in self.tuis:
            t.kill()
        self.server.stop()
        if exc[0] is not None:
            print(f"   dispo.log (last lines):\n{self.state.log_tail(40)}")
        return False


# -- the cases ---------------------------------------------------------------------------------------

def case1():
    """SIGKILL while the POST is in flight (server holds it 4 s), dispo again 1 s later."""
    with Case("c1") as c:
        t = c.tui()
        t.wait_tasks()
        t.log_call(0, "+1 415 555 0101", "2:01", wait=False, before_send=lambda: c.server.faults(hold_post_seconds=4))
        post = wait_post(c.server)[0]
        t.sigkill()
        killed = time.time()
        c.server.faults(hold_post_seconds=0)  # the held POST still takes its 4 s
        time.sleep(max(0, killed + 1 - time.time()))
        t2 = c.tui()
        t2.wait_idle()
        existed_at_restart = len(c.server.matching(121, "+1 415 555 0101"))
        t2.outbox()
        first_row = t2.outbox_rows()[:1]
        poll("the log to be found", lambda: t2.all_sent(1), 100, t2.capture)
        n = len(c.server.matching(121, "+1 415 555 0101"))
        ups = lookups(c.server, post["at"])
        gap = ups[0]["at"] - post["at"] if ups else None
        notes = (f"POSTs: {len(c.server.posts())}; calls when restarted: {existed_at_restart}; first look-up "
                 f"{gap:.1f} s after the POST" if gap is not None else "no look-up")
        told = f"Outbox on restart: {first_row[0].strip() if first_row else '?'} → {t2.outbox_rows()[0].strip()}"
        return record(1, "SIGKILL mid-POST (held 4 s), restarted 1 s later", [("2:01", n)], told, notes)


def case2():
    """A second dispo (TUI, then `dispo log`) on the same state dir while the first is sending."""
    with Case("c2") as c:
        first = c.tui()
        first.wait_tasks()
        first.log_call(0, "+1 415 555 0102", "2:02", wait=False,
                       before_send=lambda: c.server.faults(hold_post_seconds=6))
        wait_post(c.server, 1)
        c.server.faults(hold_post_seconds=0)
        second = c.tui()
        second.wait_idle()
        header = poll("the second to name the sender",
                      lambda: (lambda h: h if f"another dispo (pid {first.pid}) sends" in h else None)(second.header()),
                      20, second.capture)
        second.outbox()
        poll("the second's Outbox to show it sent", lambda: second.all_sent(1), 40, second.capture)
        # A log queued in the second, sent by the first.
        second.wait_tasks()
        second.log_call(1, "+1 415 555 0103", "2:03")
        poll("the first to send the second's log", lambda: c.server.matching(123, "+1 415 555 0103"), 30, second.capture)
        told_logged = poll("the second told it was logged",
                           lambda: next((r.strip() for r in second.rows() if "Logged:" in r), None), 20, second.capture)
        # `dispo log` while the first is sending a held POST.
        first.log_call(2, "+1 415 555 0104", "2:04", wait=False,
                       before_send=lambda: c.server.faults(hold_post_seconds=6))
        wait_post(c.server, 3)
        c.server.faults(hold_post_seconds=0)
        started = time.time()
        status, out = cli(c.state, c.server, ["log", "--user", c.email, "--task", c.tasks[3], "--to", "+1 415 555 0105",
                                              "--from", "+1 650 555 0199", "--duration", "2:05",
                                              "--disposition", "Left voicemail"], timeout=100)
        took = time.time() - started
        poll("the first's held log", lambda: c.server.matching(124, "+1 415 555 0104"), 20)
        # `dispo log --wait 2` while the first's POST is held 8 s: it cannot be sent in time, so it says why.
        first.log_call(3, "+1 415 555 0106", "2:06", wait=False,
                       before_send=lambda: c.server.faults(hold_post_seconds=8))
        wait_post(c.server, 5)
        c.server.faults(hold_post_seconds=0)
        status2, out2 = cli(c.state, c.server, ["log", "--user", c.email, "--task", c.tasks[4], "--to", "+1 415 555 0107",
                                                "--from", "+1 650 555 0199", "--duration", "2:07", "--wait", "2",
                                                "--disposition", "Left voicemail"], timeout=100)
        poll("the first to send the short-wait log", lambda: c.server.matching(127, "+1 415 555 0107"), 40, first.capture)
        # The first quits: the second takes over.
        first.quit()
        poll("the second to take over", lambda: "another dispo" not in second.header(), 20, second.capture)
        time.sleep(2)
        counts = [("TUI 1: 2:02", len(c.server.matching(122, "+1 415 555 0102"))),
                  ("TUI 2: 2:03", len(c.server.matching(123, "+1 415 555 0103"))),
                  ("TUI 1: 2:04", len(c.server.matching(124, "+1 415 555 0104"))),
                  ("dispo log: 2:05", len(c.server.matching(125, "+1 415 555 0105"))),
                  ("TUI 1: 2:06", len(c.server.matching(126, "+1 415 555 0106"))),
                  ("dispo log --wait 2: 2:07", len(c.server.matching(127, "+1 415 555 0107")))]
        out_lines = " | ".join(l.strip() for l in out.strip().splitlines())
        out2_lines = " | ".join(l.strip() for l in out2.strip().splitlines())
        told = (f"second TUI header: “{header.strip()}”; its status: “{told_logged}”; "
                f"dispo log (exit {status}, {took:.0f} s): “{out_lines}”; dispo log --wait 2 (exit {status2}): "
                f"“{out2_lines}”; the second TUI after the first quit: “{second.connection()}”")
        posts = [(p["at"]) for p in c.server.posts()]
        return record(2, "a second dispo on the same state dir while the first sends", counts, told,
                      f"POSTs: {len(posts)}")


def case3():
    rows = []
    for skew in (18000, -18000):
        with Case(f"c3{'p' if skew > 0 else 'm'}") as c:
            c.server.faults(clock_skew_seconds=skew)
            t = c.tui()
            t.wait_tasks()
            dur, secs, to = ("2:06", 126, "+1 415 555 0106") if skew > 0 else ("2:07", 127, "+1 415 555 0107")
            t.log_call(0, to, dur, wait=False, before_send=lambda: c.server.faults(drop_after_processing_next=1))
            post = wait_post(c.server)[0]
            seen = set()

            def sent():
                s = t.status_line()
                seen.add(t.connection())
                return t.all_sent(1)
            t.outbox()
            poll("the log sent", sent, 90, t.capture)
            ups = lookups(c.server, post["at"])
            n = len(c.server.matching(secs, to))
            notes = (f"POSTs: {len(c.server.posts())}; look-ups: {len(ups)}, first {ups[0]['at'] - post['at']:.1f} s after "
                     f"the POST, query {ups[0]['query']}" if ups else f"POSTs: {len(c.server.posts())}; no look-up")
            told = f"header states seen: {sorted(seen)}; Outbox: {t.outbox_rows()[0].strip()}"
            rows.append(record(f"3{'+' if skew > 0 else '−'}", f"answer dropped, server clock {skew // 3600:+d} h",
                               [(dur, n)], told, notes))
    return rows


def case4():
    with Case("c4") as c:
        c.server.faults(clock_skew_seconds=7200)
        t = c.tui()
        t.wait_tasks()
        t.log_call(0, "+1 415 555 0108", "2:08", wait=False, before_send=lambda: c.server.faults(
            rate_limit_next=1, retry_after_seconds=5, retry_after_as_date=True))
        told = poll("the wait told", lambda: next((r.strip() for r in t.rows() if "asked to wait" in r), None), 20,
                    t.capture)
        posts = wait_post(c.server, 2, 30)
        t.outbox()
        poll("the log sent", lambda: t.all_sent(1), 30, t.capture)
        gap = posts[1]["at"] - posts[0]["at"]
        n = len(c.server.matching(128, "+1 415 555 0108"))
        return record(4, "429, Retry-After as an HTTP date, server 2 h fast", [("2:08", n)], f"“{told}”",
                      f"POSTs: {len(c.server.posts())}; the second {gap:.1f} s after the 429'd one")


def case5():
    rows = []
    for how in ("stopped", "down"):
        with Case(f"c5{how[0]}") as c:
            told = []
            for args in (["users"], ["dispositions"]):
                status, out = cli(c.state, c.server, args, 60)
                if status != 0:
                    raise TrialError(f"dispo {args[0]} exit {status}: {out}")
            to, dur, secs = ("+1 415 555 0109", "0:42", 42) if how == "stopped" else ("+1 415 555 0110", "0:43", 43)
            if how == "stopped":
                c.server.stop()
            else:
                c.server.faults(down=True)
            started = time.time()
            status, out = cli(c.state, c.server, ["log", "--user", c.email, "--task", c.tasks[0], "--to", to,
                                                  "--from", "+1 650 555 0199", "--duration", dur,
                                                  "--disposition", "Left voicemail"], 120)
            log_took = time.time() - started
            told.append(f"dispo log exit {status} after {log_took:.0f} s: “{' | '.join(l.strip() for l in out.strip().splitlines())}”")
            s2, listed = cli(c.state, c.server, ["outbox"], 60)
            told.append(f"dispo outbox (exit {s2}): “{' | '.join(l.strip() for l in listed.strip().splitlines())}”")
            down_posts = len(c.server.posts()) if how == "down" else 0
            if how == "stopped":
                c.server.start()
            else:
                c.server.faults(down=False)
            started = time.time()
            s3, sent = cli(c.state, c.server, ["outbox", "send"], 120)
            told.append(f"dispo outbox send exit {s3} after {time.time() - started:.0f} s: "
                        f"“{' | '.join(l.strip() for l in sent.strip().splitlines())}”")
            s4, again = cli(c.state, c.server, ["outbox", "send"], 60)
            told.append(f"again: exit {s4} “{' | '.join(l.strip() for l in again.strip().splitlines())}”")
            n = len(c.server.matching(secs, to))
            what = ("server stopped (connections refused), then a new one on the port" if how == "stopped"
                    else "server `down` (connections accepted, closed unanswered), then up")
            notes = f"POSTs while down (read, then dropped): {down_posts}; " if how == "down" else ""
            notes += f"POSTs after: {len(c.server.posts()) - down_posts}; look-ups: {len(lookups(c.server))}"
            rows.append(record(f"5{'a' if how == 'stopped' else 'b'}", f"`dispo log` with the {what}",
                               [(dur, n)], "; ".join(told), notes))
    return rows


def case6():
    with Case("c6") as c:
        t = c.tui()
        t.wait_tasks()
        def fault():
            c.server.faults(fail_every_nth=2)
            c.server.api("/account-info")  # request 1 answered: dispo's POST is request 2, refused with 503
        t.log_call(0, "+1 415 555 0111", "2:11", wait=False, before_send=fault)
        t.outbox()
        seen = set()

        def sent():
            seen.add(t.connection())
            return t.all_sent(1)
        poll("the log sent", sent, 60, t.capture)
        n = len(c.server.matching(131, "+1 415 555 0111"))
        reqs = c.server.requests()
        return record(6, "503 on every other request (the POST on a failing slot)", [("2:11", n)],
                      f"header states seen: {sorted(seen)}; Outbox: {t.outbox_rows()[0].strip()}",
                      f"POSTs: {len(c.server.posts())}; requests at the server in all: {len(reqs)}")


def case7():
    with Case("c7") as c:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", c.state.state],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if mounted.returncode != 0:
            raise TrialError(f"cannot mount a tmpfs for the state dir: {mounted.stdout.strip()}")
        fill = os.path.join(c.state.state, "fill")
        t = None
        try:
            t = c.tui()
            t.wait_tasks()
            c.server.stop()  # refused: the log is queued, never sent
            t.log_call(0, "+1 415 555 0112", "2:12")
            poll("1 queued, offline", lambda: "1 queued" in t.header() and "offline" in t.header(), 30, t.capture)
            t.wait_idle_quiet()
            with open(fill, "wb") as f:  # the disk full
                try:
                    while True:
                        f.write(b"\0" * 65536)
                        f.flush()
                except OSError:
                    pass
            free = os.statvfs(c.state.state)
            c.server.start()
            header = poll("the header to say it cannot save",
                          lambda: (lambda h: h if "cannot save" in h else None)(t.header()), 60, t.capture)
            posts_while_full = len(c.server.posts())
            t.outbox()
            time.sleep(0.5)
            outbox_says = next((r.strip() for r in t.rows() if "annot save" in r and r is not t.rows()[0]), None)
            outbox_says = next((r.strip() for r in t.rows()[1:] if "annot save" in r), outbox_says)
            full_for = 5
            time.sleep(full_for)
            os.unlink(fill)
            freed = time.time()
            poll("sent without a key press", lambda: t.all_sent(1) and "cannot save" not in t.header(), 90, t.capture)
            took = time.time() - freed
            n = len(c.server.matching(132, "+1 415 555 0112"))
            told = f"header: “{header.strip()}”; Outbox: “{outbox_says}”; then {t.outbox_rows()[0].strip()}"
            return record(7, "a queued log while the disk is full (tmpfs filled), then space freed", [("2:12", n)],
                          told, f"free blocks when full: {free.f_bavail}; POSTs while full: {posts_while_full}; "
                                f"all POSTs: {len(c.server.posts())}; sent {took:.1f} s after the space was freed")
        finally:
            if t:
                t.kill()
                poll("dispo gone", lambda: not t.alive(), 10)
            if os.path.exists(fill):
                os.unlink(fill)
            if os.path.exists(c.state.logfile):  # keep dispo.log: the tmpfs goes
                shutil.copy(c.state.logfile, os.path.join(c.state.dir, "dispo.log"))
            subprocess.run(["umount", c.state.state], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def queue_two(c, t, between=None):
    c.server.stop()
    t.log_call(0, "+1 415 555 0113", "2:13")
    poll("1 queued", lambda: "1 queued" in t.header() and "offline" in t.header(), 30, t.capture)
    t.wait_idle_quiet()
    if between:
        between()
    t.log_call(1, "+1 415 555 0114", "2:14")
    poll("2 queued", lambda: "2 queued" in t.header(), 30, t.capture)
    t.wait_idle_quiet()


def both_sent(c, t2, title, case, told, notes=""):
    poll("both logs sent", lambda: t2.all_sent(2), 100, t2.capture)
    counts = [("2:13", len(c.server.matching(133, "+1 415 555 0113"))),
              ("2:14", len(c.server.matching(134, "+1 415 555 0114")))]
    order = [p for p in c.server.calls() if p["to"] in ("+1 415 555 0113", "+1 415 555 0114")]
    notes = (notes + "; " if notes else "") + (f"POSTs: {len(c.server.posts())}; order at the server: "
                                               f"{[o['duration'] for o in order]}")
    return record(case, title, counts, told, notes)


def case8():
    with Case("c8") as c:
        t = c.tui()
        t.wait_tasks()
        queue_two(c, t)
        t.quit()
        wal = c.state.store + "-wal"
        wal_size = os.path.getsize(wal) if os.path.exists(wal) else 0
        size = os.path.getsize(c.state.store)
        with open(c.state.store, "r+b") as f:  # keep the header page, scribble over every page after it
            f.seek(4096)
            f.write(b"\xa5" * max(0, size - 4096))
        t2 = c.tui()
        t2.wait_idle()
        status_seen = t2.status_line()
        t2.outbox()
        repaired = poll("the Outbox to say what was repaired",
                        lambda: next((r.strip() for r in t2.rows() if "Repaired at start" in r), None), 20, t2.capture)
        c.server.start()
        logged = "local store was damaged" in c.state.log()
        account = c.state.log_tail(3, grep=["damaged", "salvag", "put back"])
        return both_sent(c, t2, "damaged store pages, 2 logs queued", 8,
                         f"Outbox: “{repaired}”; status line at start: “{status_seen}”",
                         f"WAL after the clean quit: {wal_size} bytes; store {size} bytes, {max(0, size - 4096)} "
                         f"overwritten; dispo.log names the damage: {logged}:\n{account}")


def case9():
    with Case("c9") as c:
        t = c.tui()
        t.wait_tasks()
        wal = c.state.store + "-wal"
        after_first = {}
        queue_two(c, t, lambda: after_first.setdefault("size", os.path.getsize(wal)))
        t.sigkill()
        size = os.path.getsize(wal)
        at = after_first["size"] + 24 + 200  # a byte of the first page written after the first log
        if not (after_first["size"] > 32 and size > after_first["size"] + 4120):
            raise TrialError(f"no frame after the first log: WAL {after_first['size']} then {size}")
        with open(wal, "r+b") as f:
            f.seek(at)
            b = f.read(1)[0]
            f.seek(at)
            f.write(bytes([b ^ 0x5A]))
        t2 = c.tui()
        t2.wait_idle()
        restored_draft = "An unsent log from last time" in t2.capture()
        t2.outbox()
        repaired = poll("the Outbox to say what was repaired",
                        lambda: next((r.strip() for r in t2.rows() if "Repaired at start" in r), None), 20, t2.capture)
        entry = poll("the restored entry to say so", lambda: next((r.strip() for r in t2.rows() if "lost this log" in r), None),
                     10, t2.capture)
        c.server.start()
        logged = "write-ahead log was damaged at frame" in c.state.log()
        account = c.state.log_tail(3, grep=["damaged", "put back", "lost"])
        return both_sent(c, t2, "damaged WAL frames, 2 logs queued, SIGKILL", 9,
                         f"Outbox: “{repaired}”; the entry: “{entry}”",
                         f"WAL {after_first['size']} bytes after the first log, {size} after the second; byte "
                         f"{at} flipped; draft offered back: {restored_draft}; dispo.log names the damage: {logged}:\n{account}")


def busiest_minute(times):
    times = sorted(times)
    best, end = 0, 0
    for start in range(len(times)):
        while end < len(times) and times[end] < times[start] + 60:
            end += 1
        best = max(best, end - start)
    return best


def case10():
    with Case("c10", ["--seed-calls", "2000"]) as c:
        # The server's limiter counts every API request of the account: our own look-ups of the user and
        # tasks (Case) must not share dispo's minute, so the server is started afresh (same workspace).
        c.server.stop()
        c.server.start()
        began = time.time()
        t = c.tui()
        poll("dispo's first loads", lambda: any(r["path"] == "/tasks" and r["at"] >= began for r in c.server.requests()),
             30, t.capture)
        t.wait_tasks()
        t.show_tab("2", "[2 Calls")
        waits = set()
        until = time.time() + 75
        n = 0
        while time.time() < until:
            t._tmux("send-keys", "-t", t.name, "R", "G", "G", "R", "G", "G")
            n += 1
            line = t.status_line()
            if "rate limit" in line or "Waiting" in line:
                waits.add(line)
            time.sleep(0.15)
        t.sigkill()
        time.sleep(3)  # what was in flight lands
        arrivals = [r["at"] for r in c.server.requests() if r["at"] >= began]
        busiest = busiest_minute(arrivals)
        pacing = c.state.log().count("pacing: waiting")
        refused = sum(1 for r in c.server.requests() if r["at"] >= began and r["status"] == 429)
        told = "; ".join(f"“{w}”" for w in sorted(waits)[:3]) or "no wait shown in the status line"
        record(10, "hammering R and G over 2000 calls for 75 s", [], told, trials=1, notes=
               f"{len(arrivals)} requests arrived in {arrivals[-1] - arrivals[0]:.0f} s; busiest 60 s window: "
               f"{busiest} (limit 500); answered 429 by the server's limiter: {refused}; "
               f"'pacing: waiting' in dispo.log: {pacing} times")
        RESULTS[-1].update({"busiest": busiest, "requests": len(arrivals), "refused": refused})
        return RESULTS[-1]


CASES = {1: case1, 2: case2, 3: case3, 4: case4, 5: case5, 6: case6, 7: case7, 8: case8, 9: case9, 10: case10}


def main():
    global DISPO
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dispo", required=True, help="the dispo binary")
    parser.add_argument("--case", type=int, action="append", help="run only this case (repeatable)")
    parser.add_argument("--json", help="write the results here as JSON")
    args = parser.parse_args()
    DISPO = os.path.abspath(args.dispo)
    if not shutil.which("tmux"):
        sys.exit("tmux is needed")
    failed = []
    for number in args.case or sorted(CASES):
        started = time.time()
        try:
            CASES[number]()
        except Exception as e:  # one case failing does not stop the others
            failed.append(number)
            print(f"\n== case {number}: FAILED ({type(e).__name__}): {e}")
            traceback.print_exc(limit=3)
            RESULTS.append({"case": number, "failed": f"{type(e).__name__}: {e}"})
        print(f"   ({time.time() - started:.0f} s)")
        sys.stdout.flush()
    print("\n| case | trials | arrived | duplicated | lost | rep told |\n|---|---|---|---|---|---|")
    for r in RESULTS:
        if "failed" in r:
            print(f"| {r['case']} | FAILED | | | | {r['failed'].splitlines()[0]} |")
            continue
        arrived = " + ".join(map(str, r["arrived"])) or f"— (busiest 60 s: {r.get('busiest')} requests)"
        print(f"| {r['case']} {r['title']} | {r['trials']} | {arrived} | {r['duplicated']} | {r['lost']} | "
              f"{r['told'].replace('|', '¦')} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(RESULTS, f, indent=1)
    sys.exit(1 if failed or any(r.get("duplicated") or r.get("lost") or r.get("busiest", 0) > 500
                                             for r in RESULTS) else 0)


if __name__ == "__main__":
    main()
