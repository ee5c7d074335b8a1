#!/usr/bin/env bash
# The TUI's resident memory with a long call history mirrored, stage by stage, and where it goes.
#
#   scripts/bench-tui-memory.sh [CALLS]     (default 100000; needs tmux and curl)
#
# Starts `dispo sandbox --calls CALLS` on a free port, mirrors the rep's history with `dispo sync`
# (paced to 490 requests a minute, under the sandbox's 500), then runs the TUI in a detached 100x30
# tmux pane against it and prints VmRSS after each stage: first with `history = false`, then with the
# mirror. Each stage waits for the TUI's idle report (DISPO_IDLE_FILE), not for a fixed time.
# Uses the release binary (`swift build -c release --product dispo`); DISPO_BINARY overrides.
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-100000}
bin=${DISPO_BINARY:-$PWD/.build/release/dispo}
[ -x "$bin" ] || { echo "no $bin: build it with swift build -c release --product dispo" >&2; exit 2; }
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 2; }
work=$(mktemp -d /tmp/dispo-mem-XXXXXX)
user=ines.carvalho@northwind-sandbox.example
session=dispo-mem-$$
export HOME=$work XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config LANG=C.UTF-8 TERM=xterm-256color
cleanup() { tmux -L "$session" kill-server 2>/dev/null || true; [ -n "${sandbox:-}" ] && kill "$sandbox" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$bin" sandbox --port 0 --calls "$calls" >"$work/sandbox.out" 2>&1 &
sandbox=$!
until url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/sandbox.out" | head -1) && [ -n "$url" ]; do
  kill -0 "$sandbox" 2>/dev/null || { cat "$work/sandbox.out" >&2; exit 1; }
  sleep 0.1
done
export AMPLEMARKET_BASE_URL=$url AMPLEMARKET_API_KEY=sandbox-key
echo "sandbox with $calls calls for the rep at $url"
start=$(date +%s.%N)
DISPO_HISTORY_PACE=490/60 "$bin" sync --user "$user" </dev/null
echo "sync: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}') s"

idle_file=$work/idle
last_idle=""
wait_idle() {  # the TUI's next idle report
  for _ in $(seq 1 3000); do
    if [ -s "$idle_file" ] && [ "$(cat "$idle_file")" != "$last_idle" ]; then last_idle=$(cat "$idle_file"); return; fi
    sleep 0.02
  done
  echo "no idle report" >&2; exit 1
}
settle() {  # idle, and no report for a further 2 s (loads and the sync's re-reads have ended)
  wait_idle
  while :; do
    local before=$last_idle; sleep 2
    [ "$(cat "$idle_file")" = "$before" ] && return
    last_idle=$(cat "$idle_file")
  done
}
rss() { awk '/^VmRSS/{printf "%.1f MB", $2/1024}' "/proc/$1/status"; }
split() { awk '/^RssAnon/{a=$2} /^RssFile/{f=$2} END{printf "anon %.1f MB, files %.1f MB", a/1024, f/1024}' "/proc/$1/status"; }

run_tui() {  # $1: label, $2: config text
  mkdir -p "$XDG_CONFIG_HOME/dispo"
  printf '%s\n' "$2" >"$XDG_CONFIG_HOME/dispo/config.toml"
  rm -f "$idle_file"; last_idle=""
  tmux -L "$session" new-session -d -s m -x 100 -y 30 \
    "DISPO_IDLE_FILE=$idle_file exec $bin --user $user"
  settle
  local pid
  pid=$(tmux -L "$session" list-panes -t m -F '#{pane_pid}')
  printf '%-44s %9s   (%s)\n' "$1, Tasks tab" "$(rss "$pid")" "$(split "$pid")"
  for step in "2:Calls tab" "G:G (the oldest call)" "/:/ search" "pricing:typed 'pricing'" "Enter:Enter" "4:Stats tab"; do
    local key=${step%%:*} label=${step#*:}
    if [ "$key" = pricing ]; then tmux -L "$session" send-keys -t m -l "$key"; else tmux -L "$session" send-keys -t m "$key"; fi
    settle
    printf '%-44s %9s   (%s)\n' "  … $label" "$(rss "$pid")" "$(split "$pid")"
  done
  echo "  largest mappings:"
  awk '/^[0-9a-f]+-/{n=(NF>5?$NF:"[anonymous]")} /^Rss:/{r[n]+=$2} END{for(k in r) printf "%8.1f MB  %s\n", r[k]/1024, k}' "/proc/$pid/smaps" |
    sort -rn | head -6
  tmux -L "$session" send-keys -t m q
  tmux -L "$session" kill-server 2>/dev/null || true
}

run_tui "history off" 'history = false'
run_tui "$calls calls mirrored" 'history = true'
