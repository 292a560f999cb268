#!/usr/bin/env bash
# Serve the app as N replicas behind Debian's nginx, with sticky sessions and WebSocket
# upgrade, all replicas sharing one disk cache. Stops everything on exit (Ctrl-C, TERM).
# Usage: scripts/serve_replicas.sh N [PORT]     (default: 2 replicas on port 8500)
#   nginx listens on 127.0.0.1:PORT; replica i listens on 127.0.0.1:PORT+i.
#
# Streamlit keeps a session in one process, so every request of a browser must reach the
# replica that holds its session. nginx hashes a cookie (explorer_replica): a first visit has
# none and gets a random key ($request_id), which nginx sets as the cookie, so the page, its
# scripts and its WebSocket all go to one replica. (ip_hash would send every client of one
# host, e.g. all loopback test clients, to the same replica.) Each response names the replica
# that served it in an X-Replica header, which the load benchmark checks.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-2}"
PORT="${2:-8500}"
ROOT="$(pwd)"
RUN="${ROOT}/.cache/replicas-${PORT}"
export EXPLORER_CACHE_DIR="${EXPLORER_CACHE_DIR:-${ROOT}/.cache}"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || {
  echo "nginx is not installed (Debian: apt-get install nginx)" >&2
  exit 1
}
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
mkdir -p "${RUN}/tmp" "${EXPLORER_CACHE_DIR}"

PIDS=()
stop() {
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "${pid}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

SERVERS=""
for i in $(seq 1 "${COUNT}"); do
  port=$((PORT + i))
  .venv/bin/python -m streamlit run app.py --server.port "${port}" \
    --server.address 127.0.0.1 --server.headless true --server.fileWatcherType none \
    >"${RUN}/replica-${i}.log" 2>&1 &
  PIDS+=("$!")
  SERVERS="${SERVERS}    server 127.0.0.1:${port} max_fails=0;
"
done

cat >"${RUN}/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid ${RUN}/nginx.pid;
error_log ${RUN}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${RUN}/tmp/body;
  proxy_temp_path ${RUN}/tmp/proxy;
  fastcgi_temp_path ${RUN}/tmp/fastcgi;
  uwsgi_temp_path ${RUN}/tmp/uwsgi;
  scgi_temp_path ${RUN}/tmp/scgi;
  map \$http_upgrade \$connection_upgrade { default upgrade; "" close; }
  map \$cookie_explorer_replica \$replica_key { "" \$request_id; default \$cookie_explorer_replica; }
  upstream explorer {
    hash \$replica_key consistent;
${SERVERS}  }
  server {
    listen 127.0.0.1:${PORT};
    location / {
      proxy_pass http://explorer;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$host;
      proxy_read_timeout 1d;
      proxy_buffering off;
      add_header Set-Cookie "explorer_replica=\$replica_key; Path=/; HttpOnly; SameSite=Lax" always;
      add_header X-Replica \$upstream_addr always;
    }
  }
}
EOF

# Wait for every replica before taking traffic, so a first visitor never meets a cold one.
for i in $(seq 1 "${COUNT}"); do
  until curl -fsS "http://127.0.0.1:$((PORT + i))/_stcore/health" >/dev/null 2>&1; do
    kill -0 "${PIDS[$((i - 1))]}" 2>/dev/null || { echo "replica ${i} exited" >&2; exit 1; }
    sleep 1
  done
done
"${NGINX}" -c "${RUN}/nginx.conf" -e "${RUN}/error.log" &
PIDS+=("$!")
echo "serving ${COUNT} replicas at http://127.0.0.1:${PORT} (logs in ${RUN#"${ROOT}"/})"
wait -n "${PIDS[@]}"
