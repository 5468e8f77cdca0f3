#!/usr/bin/env bash
# Memory of the portal with upload bodies held in flight (issue 28): N clients from N loopback
# addresses each send a 40 MB upload and hold its last 100 bytes; the server's peak RSS is read
# from /proc. Baseline in the same run: the same server with one such client. An HTTP/2
# prior-knowledge connection is tried too (the server speaks HTTP/1.1 only).
#
#   bash bench/bodies.sh            # 16 clients
#   CLIENTS=48 bash bench/bodies.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS="${CLIENTS:-16}"
cargo build --release --quiet --bin eco-returns
bin=target/release/eco-returns

# One server: prints its peak RSS (MB) after CLIENTS clients held their bodies.
measure() {
  local clients=$1 data
  data=$(mktemp -d)
  "$bin" links --data "$data" --out "$data/handout" --format json > "$data.links.json"
  "$bin" serve --data "$data" --period 2026Q3 --listen 127.0.0.1:0 2> "$data.log" &
  local pid=$!
  for _ in $(seq 100); do grep -q "http://" "$data.log" && break; sleep 0.1; done
  local addr
  addr=$(grep -o 'http://[0-9.:]*' "$data.log" | head -1 | sed 's|http://||')
  python3 - "$addr" "$data.links.json" "$clients" "$pid" <<'PY'
import json, socket, sys, threading, time
addr, links, clients, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
host, port = addr.rsplit(":", 1)
link = "/" + next(l["url"] for l in json.load(open(links)) if l["unit"] == "水务局").split("/", 3)[3]
size = 40 * 1024 * 1024
boundary = "b0undary"
head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.xlsx"\r\n'
        'Content-Type: application/octet-stream\r\n\r\n').encode()
tail = f"\r\n--{boundary}--\r\n".encode()
total = len(head) + size + len(tail)
chunk = b"x" * (1 << 20)
def hwm():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
before = hwm()
socks, answers = [], []
def client(i):
    s = socket.socket()
    s.bind((f"127.0.{40 + i // 200}.{1 + i % 200}", 0))
    s.connect((host, int(port)))
    try:
        s.sendall(f"POST {link} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {total}\r\n\r\n".encode() + head)
        sent = 0
        while sent < size - 100:
            n = min(len(chunk), size - 100 - sent)
            s.sendall(chunk[:n]); sent += n
    except OSError:
        pass
    socks.append(s)
threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
time.sleep(1)
peak = hwm()
busy = 0
for s in socks:
    try:
        s.settimeout(10); answer = s.recv(16)
        busy += answer.startswith(b"HTTP/1.1 503")
    except OSError:
        pass
    s.close()
# HTTP/2 with prior knowledge: an HTTP/2 server answers with a SETTINGS frame.
h2 = socket.create_connection((host, int(port)))
h2.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
h2.settimeout(15)
try:
    first = h2.recv(9)
except OSError:
    first = b""
spoken = "yes" if len(first) == 9 and first[3] == 4 else "no"
print(f"clients {clients} idle_mb {before} peak_mb {peak} answered_503 {busy} http2 {spoken}")
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$data.links.json" "$data.log"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
echo "baseline: $(measure 1)"
echo "held:     $(measure "$CLIENTS")"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
