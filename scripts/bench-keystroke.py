#!/usr/bin/env python3
"""The keystroke's whole path: key -> first byte of the answer, and bytes per key, through a pty.

    swift build -c release --product dispo        # first: this script builds nothing
    scripts/bench-keystroke.py [--dispo PATH] [--before PATH] [--keys N] [--sizes 80x24,200x60] [--strace] [--idle]

Runs the release `dispo` (default .build/release/dispo) in a pseudo-terminal of each size against the
built-in sandbox (no API key; HOME, XDG_STATE_HOME and XDG_CONFIG_HOME in a temporary folder;
DISPO_SANDBOX_CALLS sets how many calls the rep has), waits until its output goes quiet, then for each
scenario sends a key N times, waiting for the answer to go quiet between keys, and records:

  first byte   time from writing the key to the pty to the first byte read back (perf_counter_ns)
  bytes/key    everything read until the output is quiet again
  reads/key    how many read()s that took (a rough sign of how many write()s made the answer; the
               exact count of write()s per frame is what --strace measures)

dispo runs twice: as built (a frame is made ahead for a repeat of the last key) and as
`dispo-no-ahead` (DISPO_SPECULATE=0), so the gain is seen side by side.

Scenarios: `j` in the page (j and k alternately on the Calls list, the cursor inside the page), `j`
scrolling (the cursor on the page's last row, so every j scrolls), PgDn (PgDn and PgUp alternately),
Tab (between the fields of the log form), and typing a letter into the form's notes; and "10 j at
once", ten j written in one go while scrolling (a held key on a slow link), whose bytes show whether
frames that later keys replaced were still sent.

The same is done, in the same run, for `less -S` on a large file (j, PgDn, typing into its `/` prompt)
and `tig` on a throw-away repository of 3 000 commits (j in page, j scrolling, PgDn, typing into its
`/` prompt) when they are installed, and the ratios dispo/less and dispo/tig of the medians printed.

--strace   also runs dispo under `strace -f -e trace=write` and counts the write()s to the terminal per
           key in each scenario (slow: strace's own cost; no latency is taken from that run).
--idle     also counts the thread wake-ups of an idle dispo in two windows of 10 s, 3-13 s and 13-23 s
           after it settled (the rise in its threads' voluntary + involuntary context switches in /proc;
           a thread that ended meanwhile counts 1) and the bytes it wrote; then the same for dispo with
           DISPO_EXECUTOR=dispatch (Swift concurrency on libdispatch's pool, whose monitor wakes 1/s).
"""

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

KEYS = {"j": b"j", "k": b"k", "PgDn": b"\x1b[6~", "PgUp": b"\x1b[5~", "Tab": b"\t", "BS": b"\x7f",
        "Enter": b"\r", "Esc": b"\x1b", "/": b"/", "a": b"a", "q": b"q", "1": b"1", "2": b"2", "G": b"G",
        "g": b"g"}
USER = "ines.carvalho@northwind-sandbox.example"


class Pty:
    """A program running in a pseudo-terminal of cols x rows, read without blocking."""

    def __init__(self, argv, cols, rows, env, cwd=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            if cwd:
                os.chdir(cwd)
            try:
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        fcntl.fcntl(self.fd, fcntl.F_SETFL, fcntl.fcntl(self.fd, fcntl.F_GETFL) | os.O_NONBLOCK)
        self.total = 0

    def read_available(self, timeout):
        """One read() after waiting up to `timeout` seconds; b'' when nothing came."""
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return b""
        try:
            data = os.read(self.fd, 1 << 16)
        except (BlockingIOError, OSError):
            return b""
        self.total += len(data)
        return data

    def drain(self, quiet, limit=30.0):
        """Reads until nothing has come for `quiet` seconds (at most `limit`); returns the bytes."""
        out = bytearray()
        end = time.monotonic() + limit
        while time.monotonic() < end:
            data = self.read_available(quiet)
            if not data:
                break
            out += data
        return bytes(out)

    def key(self, data, quiet, first_timeout=2.0):
        """Sends `data`; returns (ns to the first byte or None, bytes of the answer, read()s)."""
        stray = self.drain(0.0, limit=0.5)  # anything late from before is not this key's
        del stray
        t0 = time.perf_counter_ns()
        os.write(self.fd, data)
        r, _, _ = select.select([self.fd], [], [], first_timeout)
        if not r:
            return None, 0, 0
        t1 = time.perf_counter_ns()
        first = self.read_available(0)
        nbytes, reads = len(first), 1
        while True:
            data = self.read_available(quiet)
            if not data:
                break
            nbytes += len(data)
            reads += 1
        return t1 - t0, nbytes, reads

    def send(self, name_or_bytes, quiet):
        data = KEYS.get(name_or_bytes, name_or_bytes) if isinstance(name_or_bytes, str) else name_or_bytes
        if isinstance(data, str):
            data = data.encode()
        return self.key(data, quiet)

    def stop(self, quit_keys=(b"q",)):
        for k in quit_keys:
            try:
                os.write(self.fd, k)
            except OSError:
                pass
            self.drain(0.05, limit=1)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            self.drain(0.05, limit=0.2)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * (len(s) - 1)))))]


class Result:
    def __init__(self):
        self.lat, self.bytes, self.reads, self.missed = [], [], [], 0

    def add(self, answer):
        ns, nbytes, reads = answer
        if ns is None:
            self.missed += 1
            return
        self.lat.append(ns / 1e6)
        self.bytes.append(nbytes)
        self.reads.append(reads)

    def median(self):
        return statistics.median(self.lat) if self.lat else None

    def row(self):
        if not self.lat:
            return "no answer"
        miss = f"  ({self.missed} keys unanswered)" if self.missed else ""
        return (f"median {statistics.median(self.lat):6.3f} ms  p99 {percentile(self.lat, 99):6.3f} ms  "
                f"{statistics.median(self.bytes):6.0f} B/key  {statistics.mean(self.reads):4.2f} reads/key{miss}")


def measure(p, keys, n, quiet, lead=None):
    """Sends the `keys` cycle until n answers are recorded; `lead` keys first, unmeasured."""
    for k in lead or []:
        p.send(k, quiet)
    res = Result()
    i = 0
    while i < n:
        res.add(p.send(keys[i % len(keys)], quiet))
        i += 1
    return res


def base_env(work):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMPLEMARKET_", "DISPO_", "XDG_"))}
    env.update(HOME=work, XDG_STATE_HOME=work + "/state", XDG_CONFIG_HOME=work + "/config",
               LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color")
    env.pop("TMUX", None)
    return env


def settle(p, idle_file=None, quiet=0.3, limit=60):
    """Waits until the program's output has been quiet for `quiet` s (and dispo has reported idle)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        p.drain(quiet, limit=limit)
        if idle_file is None or os.path.exists(idle_file):
            if not p.read_available(quiet):
                return
    raise SystemExit("the program never went quiet")


def start_dispo(binary, cols, rows, work, calls, wrapper=(), extra_env=None):
    env = base_env(work)
    env.update(extra_env or {})
    if calls is not None:
        env["DISPO_SANDBOX_CALLS"] = str(calls)
    idle = f"{work}/idle-{cols}x{rows}"
    if os.path.exists(idle):
        os.remove(idle)
    env["DISPO_IDLE_FILE"] = idle
    p = Pty(list(wrapper) + [binary, "--user", USER], cols, rows, env)
    settle(p, idle)
    return p


def dispo_scenarios(binary, cols, rows, work, calls, n, quiet, wrapper=(), extra_env=None):
    """{scenario: Result} for dispo at cols x rows."""
    out = {}
    p = start_dispo(binary, cols, rows, work, calls, wrapper, extra_env)
    try:
        p.send("2", quiet)  # Calls tab
        settle(p, quiet=0.3)
        out["j in page"] = measure(p, ["j", "k"], n, quiet, lead=["j", "j"])
        out["PgDn"] = measure(p, ["PgDn", "PgUp"], n, quiet)
        # To the page's last row: every further j scrolls the list by one.
        lead = ["j"] * rows
        for k in lead:
            p.send(k, quiet)
        settle(p, quiet=0.3)
        out["j scrolling"] = measure(p, ["j"], n, quiet)
        out["10 j at once"] = measure(p, [b"j" * 10], max(10, n // 10), quiet)
        p.send("1", quiet)  # Tasks tab, then the log form for the first task
        settle(p, quiet=0.2)
        p.send("Enter", quiet)
        settle(p, quiet=0.2)
        # The form opens on Duration; its ten fields cycle under Tab, and Notes is four after Duration.
        out["Tab"] = measure(p, ["Tab"], n, quiet)
        out["type a letter"] = measure(p, ["a", "BS"], n, quiet, lead=["Tab"] * ((4 - n) % 10))
    finally:
        p.stop([b"\x1b", b"\x1b", b"y", b"q"])
    return out



def less_scenarios(cols, rows, work, n, quiet):
    path = f"{work}/big.txt"
    if not os.path.exists(path):
        with open(path, "w") as f:
            for i in range(200_000):
                f.write(f"{i:07d} call log line with some words to fill the row, contact Inês Carvalho "
                        f"+351 912 345 678, outcome Left voicemail, duration 1:35, {'x' * (i % 150)}\n")
    env = base_env(work)
    env["LESS"] = ""
    p = Pty([shutil.which("less"), "-S", path], cols, rows, env)
    out = {}
    try:
        settle(p)
        out["j in page"] = measure(p, ["j", "k"], n, quiet, lead=["j"])
        out["j scrolling"] = measure(p, ["j"], n, quiet)
        out["10 j at once"] = measure(p, [b"j" * 10], max(10, n // 10), quiet)
        out["PgDn"] = measure(p, ["PgDn", "PgUp"], n, quiet)
        p.send("/", quiet)
        out["type a letter"] = measure(p, ["a", "BS"], n, quiet)
    finally:
        p.stop([b"\x1b", b"\r", b"q"])
    return out


def tig_scenarios(cols, rows, work, n, quiet):
    repo = f"{work}/tig-repo"
    if not os.path.exists(repo):
        os.makedirs(repo)
        subprocess.run(["git", "init", "-q", repo], check=True)
        stream = []
        for i in range(3000):
            msg = f"Commit {i}: log a call for contact {i % 97}, disposition {i % 7}\n".encode()
            stream.append(b"commit refs/heads/main\n")
            stream.append(f"committer Bench <bench@example.com> {1_700_000_000 + i * 60} +0000\n".encode())
            stream.append(b"data %d\n" % len(msg) + msg)
            stream.append(b"M 644 inline f.txt\ndata %d\n%d\n" % (len(str(i)) + 1, i))
        subprocess.run(["git", "-C", repo, "fast-import", "--quiet"], input=b"".join(stream), check=True)
        subprocess.run(["git", "-C", repo, "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    env = base_env(work)
    p = Pty([shutil.which("tig")], cols, rows, env, cwd=repo)
    out = {}
    try:
        settle(p)
        out["j in page"] = measure(p, ["j", "k"], n, quiet, lead=["j"])
        out["PgDn"] = measure(p, ["PgDn", "PgUp"], n, quiet)
        for _ in range(rows):
            p.send("j", quiet)
        settle(p)
        out["j scrolling"] = measure(p, ["j"], n, quiet)
        out["10 j at once"] = measure(p, [b"j" * 10], max(10, n // 10), quiet)
        p.send("/", quiet)
        out["type a letter"] = measure(p, ["a", "BS"], n, quiet)
    finally:
        p.stop([b"\x1b", b"\x07", b"q", b"q"])
    return out


def strace_writes(binary, cols, rows, work, calls, n, quiet):
    """[(write()s, bytes)] to the terminal per key, from an strace of dispo on the Calls list
    (j/k in the page, then PgDn/PgUp)."""
    log = f"{work}/strace-{cols}x{rows}"
    # -y names each descriptor's file, so a write that reaches the terminal is told from one that does
    # not (to a log, a pipe, or memory a frame is gathered in).
    wrapper = ["/usr/bin/strace", "-f", "-qq", "-y", "-e", "trace=read,write", "-e", "signal=none", "-o", log]
    p = start_dispo(binary, cols, rows, work, calls, wrapper)
    try:
        p.send("2", quiet)
        settle(p, quiet=0.3)
        for keys in (["j", "k"], ["PgDn", "PgUp"]):
            for i in range(n):
                p.send(keys[i % len(keys)], quiet)
    finally:
        p.stop([b"q"])
    return parse_strace(log)


def parse_strace(log):
    """Splits the trace into keys (a read of the terminal after a write to it starts the next key) and
    counts each key's write()s and bytes to the terminal."""
    import re
    pat = re.compile(r"^\d+\s+(read|write)\(\d+<(/dev/pts/[^>]*)>,.*\)\s+=\s+(-?\d+)")
    per_key, current, wrote = [], None, False
    with open(log, errors="replace") as f:
        for line in f:
            m = pat.match(line)
            if not m or int(m.group(3)) <= 0:
                continue
            if m.group(1) == "read":
                if current is None or wrote:
                    if current is not None:
                        per_key.append(tuple(current))
                    current, wrote = [0, 0], False
            elif current is not None:
                current[0] += 1
                current[1] += int(m.group(3))
                wrote = True
    if current is not None:
        per_key.append(tuple(current))
    return per_key[2:]  # the Calls tab key and its load are not list steps


def idle_wakes(binary, cols, rows, work, calls, seconds=10, extra_env=None, windows=2):
    """[(wake-ups, bytes written, {thread name: wake-ups})] for `windows` consecutive windows of
    `seconds`, the first 3 s after dispo settled."""
    p = start_dispo(binary, cols, rows, work, calls, extra_env=extra_env)
    try:
        time.sleep(3)  # let the start-up loads end
        p.drain(0.2, limit=5)

        def switches():
            """{thread id: voluntary + involuntary context switches so far}"""
            counts = {}
            for tid in os.listdir(f"/proc/{p.pid}/task"):
                try:
                    with open(f"/proc/{p.pid}/task/{tid}/status") as f:
                        counts[tid] = sum(int(line.split()[1]) for line in f
                                          if line.startswith(("voluntary_ctxt", "nonvoluntary_ctxt")))
                except FileNotFoundError:
                    pass
            return counts

        out = []
        for _ in range(windows):
            before, bytes_before = switches(), p.total
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                p.read_available(end - time.monotonic())
            after = switches()
            # A thread that ended in the window woke at least to end; one that began counts from 0.
            wakes = sum(n - before.get(tid, 0) for tid, n in after.items()) + len(set(before) - set(after))
            names = {}
            for tid, n in after.items():
                if n > before.get(tid, 0):
                    try:
                        name = open(f"/proc/{p.pid}/task/{tid}/comm").read().strip()
                    except OSError:
                        name = tid
                    names[name] = names.get(name, 0) + n - before.get(tid, 0)
            out.append((wakes, p.total - bytes_before, names))
        return out
    finally:
        p.stop([b"q"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 epilog="Build first: swift build -c release --product dispo")
    ap.add_argument("--dispo", default=".build/release/dispo", help="the dispo binary (default: %(default)s)")
    ap.add_argument("--keys", type=int, default=200, help="keys per scenario (default: %(default)s)")
    ap.add_argument("--sizes", default="80x24,200x60", help="pty sizes, COLSxROWS,… (default: %(default)s)")
    ap.add_argument("--calls", type=int, help="the sandbox rep's calls (default: the sandbox's own, 900)")
    ap.add_argument("--quiet-ms", type=float, default=15, help="silence that ends an answer (default: %(default)s)")
    ap.add_argument("--only", default="dispo,dispo-no-ahead,less,tig",
                    help="programs to run (default: %(default)s; dispo-no-ahead is dispo with DISPO_SPECULATE=0, "
                         "no frame made ahead for a repeated key; dispo-on-dispatch, not run by default, is dispo "
                         "with DISPO_EXECUTOR=dispatch, Swift concurrency on libdispatch's pool)")
    ap.add_argument("--before", help="another dispo binary (an earlier build) run in the same run as dispo-before, "
                                     "for a before/after table")
    ap.add_argument("--strace", action="store_true", help="also count write()s per key with strace")
    ap.add_argument("--idle", action="store_true", help="also count an idle dispo's wake-ups over 10 s")
    args = ap.parse_args()
    binary = os.path.abspath(args.dispo)
    if not os.access(binary, os.X_OK):
        sys.exit(f"no {binary}: build it first with swift build -c release --product dispo")
    quiet = args.quiet_ms / 1000
    sizes = [tuple(int(x) for x in s.split("x")) for s in args.sizes.split(",")]
    only = set(args.only.split(","))
    work = tempfile.mkdtemp(prefix="dispo-keys-")
    print(f"keystroke path: {args.keys} keys per scenario, answer ends after {args.quiet_ms:g} ms of quiet, "
          f"{os.cpu_count()} cores, dispo {binary}")
    try:
        for cols, rows in sizes:
            results = {}
            if "dispo" in only:
                results["dispo"] = dispo_scenarios(binary, cols, rows, work, args.calls, args.keys, quiet)
            if args.before:
                results["dispo-before"] = dispo_scenarios(os.path.abspath(args.before), cols, rows, work, args.calls,
                                                          args.keys, quiet)
            if "dispo-no-ahead" in only:
                results["dispo-no-ahead"] = dispo_scenarios(binary, cols, rows, work, args.calls, args.keys, quiet,
                                                            extra_env={"DISPO_SPECULATE": "0"})
            if "dispo-on-dispatch" in only:
                results["dispo-on-dispatch"] = dispo_scenarios(binary, cols, rows, work, args.calls, args.keys, quiet,
                                                               extra_env={"DISPO_EXECUTOR": "dispatch"})
            if "less" in only:
                if shutil.which("less"):
                    results["less"] = less_scenarios(cols, rows, work, args.keys, quiet)
                else:
                    print("less: not installed, skipped")
            if "tig" in only:
                if shutil.which("tig"):
                    results["tig"] = tig_scenarios(cols, rows, work, args.keys, quiet)
                else:
                    print("tig: not installed, skipped (apt-get install tig)")
            print(f"\n{cols}x{rows}")
            scenarios = ["j in page", "j scrolling", "10 j at once", "PgDn", "Tab", "type a letter"]
            for sc in scenarios:
                for prog in ("dispo", "dispo-before", "dispo-no-ahead", "dispo-on-dispatch", "less", "tig"):
                    r = results.get(prog, {}).get(sc)
                    if r:
                        print(f"  {sc:14s} {prog:17s} {r.row()}")
                ratios = []
                for mine in ("dispo", "dispo-before", "dispo-no-ahead", "dispo-on-dispatch"):
                    d = results.get(mine, {}).get(sc)
                    for other in ("less", "tig"):
                        o = results.get(other, {}).get(sc)
                        if d and o and d.median() and o.median():
                            ratios.append(f"{mine}/{other} {d.median() / o.median():.2f}")
                if ratios:
                    print(f"  {'':14s} {'ratio':17s} {'  '.join(ratios)}")
            if args.strace and "dispo" in only:
                if shutil.which("strace"):
                    per_key = strace_writes(binary, cols, rows, work, args.calls, min(args.keys, 50), quiet)
                    answered = [w for w, b in per_key if b > 0]
                    if answered:
                        print(f"  strace: {statistics.mean(answered):.2f} write()s per answered key "
                              f"(max {max(answered)}), {len(answered)} keys")
                else:
                    print("  strace: not installed, skipped")
            if args.idle and "dispo" in only:
                for label, extra in (("dispo", None), ("on dispatch", {"DISPO_EXECUTOR": "dispatch"})):
                    for i, (wakes, nbytes, names) in enumerate(idle_wakes(binary, cols, rows, work, args.calls,
                                                                          extra_env=extra)):
                        by_thread = ", ".join(f"{k} {v}" for k, v in sorted(names.items(), key=lambda kv: -kv[1]))
                        print(f"  idle {3 + 10 * i}-{13 + 10 * i} s after start, {label:11s}: {wakes} thread wake-ups "
                              f"({by_thread or 'none'}), {nbytes} bytes written")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
