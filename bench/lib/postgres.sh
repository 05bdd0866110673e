# Sourced by bench/run, bench/retention and bench/verify: a private, durable PostgreSQL for one
# benchmark, the same settings for each (the anchors' settings: fsync and synchronous_commit on).
#   bench_pg_bin                     sets PGBIN (installs PostgreSQL and pgbench when missing)
#   bench_pg_start DIR PORT [MAX [SETTING…]]
#                                    initdb into DIR (owned by postgres), listen on 127.0.0.1:PORT;
#                                    each SETTING ("name = value") is added to postgresql.conf
#   bench_pg_stop DIR                fast shutdown; harmless when it is not running

bench_pg_bin() {
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pgbench" ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
}

bench_pg_start() {
  local dir=$1 port=$2 max=${3:-100}
  shift $(($# < 3 ? $# : 3))
  mkdir -p "$dir" && chown postgres:postgres "$dir" "$(dirname "$dir")" && chmod 700 "$dir"
  runuser -u postgres -- "$PGBIN/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
shared_buffers = 1GB
max_connections = $max
max_wal_size = 8GB
synchronous_commit = on
fsync = on
CONF
  local setting
  for setting in "$@"; do echo "$setting" >> "$dir/postgresql.conf"; done
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w start >/dev/null
}

bench_pg_stop() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true
}
