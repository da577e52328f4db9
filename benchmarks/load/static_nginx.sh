# Sourced by the load benchmarks that compare flight-service with nginx
# (Debian's nginx-light) serving a static file: one configuration for all of
# them, so that the reference is the same server in every comparison.

# The nginx binary, or exit with how to install it.
nginx_binary() {
    local bin
    bin="$(command -v nginx || echo /usr/sbin/nginx)"
    [ -x "$bin" ] || die "nginx is not installed (apt-get install nginx-light)"
    echo "$bin"
}

# start_static_nginx WORK PORT: serves WORK/www on 127.0.0.1:PORT (keep-alive
# without limit, TCP_NODELAY, no access log), pid in WORK/nginx.pid.
start_static_nginx() {
    local work="$1" port="$2"
    chmod -R a+rX "$work"  # nginx workers run as www-data
    cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
daemon on;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 100000;
    tcp_nodelay on;
    default_type application/json;
    server {
        listen 127.0.0.1:$port;
        root $work/www;
        location / { try_files \$uri =404; }
    }
}
CONF
    "$(nginx_binary)" -c "$work/nginx.conf" -p "$work" -e "$work/nginx-error.log"
}
