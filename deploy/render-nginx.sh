#!/usr/bin/env bash
# Render deploy/nginx.conf for one deployment, and the token include it needs.
#
#   deploy/render-nginx.sh --upstream https://<workspace-host> (--token-file FILE | --no-token) \
#       --dist DIR --out DIR [--base /console/] [--listen 8080] [--server-name "NAME ..."] \
#       [--tls-cert FILE --tls-key FILE] [--no-default-server]
#
# Writes DIR/serving-console.conf (include it in nginx's http {} block, e.g. by symlinking it
# into /etc/nginx/sites-enabled/), DIR/response-headers.js (the response-header allow-list; needs
# libnginx-mod-http-js) and DIR/token.conf (mode 600: the only place the token lives besides
# FILE). Run it again after changing the token; then `nginx -t && nginx -s reload`.
# --server-name: the host names users type (default "localhost 127.0.0.1"); requests for any
# other host are closed unanswered by a default server on the same listen address
# (--no-default-server: you already have one there that refuses unknown names).
# --no-token: nginx adds no token and passes the browser's Authorization through (for the
# console's token mode, config.json "auth": "token", where each user pastes their own).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "render-nginx: $*" >&2; exit 1; }

upstream='' token_file='' no_token='' dist='' out='' base='/' listen='8080' server_name='localhost 127.0.0.1' tls_cert='' tls_key='' no_default=''
template="$here/nginx.conf"
while (($#)); do
  case "$1" in
    --upstream) upstream="${2-}"; shift 2 ;;
    --token-file) token_file="${2-}"; shift 2 ;;
    --no-token) no_token=1; shift ;;
    --dist) dist="${2-}"; shift 2 ;;
    --out) out="${2-}"; shift 2 ;;
    --base) base="${2-}"; shift 2 ;;
    --listen) listen="${2-}"; shift 2 ;;
    --server-name) server_name="${2-}"; shift 2 ;;
    --tls-cert) tls_cert="${2-}"; shift 2 ;;
    --tls-key) tls_key="${2-}"; shift 2 ;;
    --no-default-server) no_default=1; shift ;;
    --template) template="${2-}"; shift 2 ;;
    -h|--help) usage ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[ -n "$upstream" ] && [ -n "$token_file$no_token" ] && [ -n "$dist" ] && [ -n "$out" ] || usage
[ -z "$token_file" ] || [ -z "$no_token" ] || die "give either --token-file or --no-token"

# The workspace: scheme://host[:port], nothing else (no path, credentials or nginx syntax).
[[ "$upstream" =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$ ]] \
  || die "--upstream must look like https://<workspace-host>, got '$upstream'"
upstream="${upstream%/}"
[[ "$upstream" == https://* ]] || echo "render-nginx: warning: plain http upstream; the token crosses the network unencrypted" >&2

# The sub-path: / or /a/b/ made of safe characters (it is used inside regexes unescaped).
[[ "$base" == */ ]] || base="$base/"
[[ "$base" =~ ^/([A-Za-z0-9_-]+/)*$ ]] || die "--base must look like / or /console/, got '$base'"

[[ "$dist" == /* ]] || dist="$(cd "$dist" 2>/dev/null && pwd)" || die "--dist $dist does not exist"
dist="${dist%/}"
[ -f "$dist/index.html" ] || die "$dist/index.html is missing; build the console first (make build)"
[[ "$dist" =~ ^[A-Za-z0-9/._-]+$ ]] || die "--dist path must not contain spaces or special characters"
grep -Eq "src=\"?${base}boot\.js" "$dist/index.html" \
  || die "$dist was not built for base $base: rebuild with make build BASE=$base"

listen_re='^[][A-Za-z0-9.: _-]+$' name_re='^[A-Za-z0-9.*_ -]+$'
[[ "$listen" =~ $listen_re ]] || die "--listen has unexpected characters"
[[ "$server_name" =~ $name_re ]] || die "--server-name has unexpected characters"
read -ra names <<< "$server_name"
for name in "${names[@]}"; do
  # A catch-all would answer for any Host, which is what lets a DNS-rebinding page in.
  [[ "$name" != _ && "$name" != '*' ]] \
    || die "--server-name must list the host names users type (a catch-all such as '_' lets DNS-rebinding pages in)"
done
[ -e /usr/lib/nginx/modules/ngx_http_js_module.so ] \
  || echo "render-nginx: note: nginx's njs module is not in /usr/lib/nginx/modules; the response-header allow-list needs it loaded (Debian/Ubuntu: apt-get install libnginx-mod-http-js), else nginx -t reports 'unknown directive js_import'" >&2

mkdir -p "$out"
out="$(cd "$out" && pwd)"
token_filter='s/@@//'
if [ -n "$no_token" ]; then
  # Token mode: the browser sends its own Authorization, which nginx passes through.
  token_filter='s|include @TOKEN_INCLUDE@;|proxy_set_header Authorization $http_authorization;|'
  rm -f "$out/token.conf"
else
  # The token: read from the file, validated (it ends up inside an nginx string), never printed.
  [ -r "$token_file" ] || die "cannot read the token file $token_file"
  token="$(tr -d ' \t\r\n' < "$token_file")"
  [ -n "$token" ] || die "the token file $token_file is empty"
  [[ "$token" =~ ^[A-Za-z0-9._~+/=-]+$ ]] || die "the token in $token_file has unexpected characters"
  (umask 077 && printf 'proxy_set_header Authorization "Bearer %s";\n' "$token" > "$out/token.conf.tmp")
  mv "$out/token.conf.tmp" "$out/token.conf"
fi

tls_filter='/#@tls$/d'
if [ -n "$tls_cert$tls_key" ]; then
  [ -r "$tls_cert" ] && [ -r "$tls_key" ] || die "--tls-cert and --tls-key must both be readable files"
  tls_filter='s/ *#@tls$//'
fi
default_filter='s/ *#@default//'
[ -n "$no_default" ] && default_filter='/#@default/d'
install -m 644 "$here/response-headers.js" "$out/response-headers.js"
subpath_filter='s/ *#@subpath$//'
[ "$base" = / ] && subpath_filter='/#@subpath$/d'
brotli_filter=''
if ! [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then
  echo "render-nginx: note: ngx_http_brotli_static not installed (apt-get install libnginx-mod-http-brotli-static); serving gzip only" >&2
  brotli_filter='/brotli_static on;/d'
fi

sed -e "$tls_filter" -e "$default_filter" -e "$subpath_filter" -e "$token_filter" ${brotli_filter:+-e "$brotli_filter"} \
    -e "s|@LISTEN@|$listen|g" \
    -e "s|@SERVER_NAME@|$server_name|g" \
    -e "s|@DIST@|$dist|g" \
    -e "s|@BASE_NO_SLASH@|${base%/}|g" \
    -e "s|@BASE@|$base|g" \
    -e "s|@UPSTREAM@|$upstream|g" \
    -e "s|@TOKEN_INCLUDE@|$out/token.conf|g" \
    -e "s|@JS@|$out/response-headers.js|g" \
    -e "s|@TLS_CERT@|$tls_cert|g" \
    -e "s|@TLS_KEY@|$tls_key|g" \
    "$template" > "$out/serving-console.conf"
if grep -n '^[^#]*@[A-Z_]\{2,\}@' "$out/serving-console.conf" >&2; then die "unreplaced placeholders above"; fi
echo "render-nginx: wrote $out/serving-console.conf$([ -n "$no_token" ] || echo " and $out/token.conf") (base $base, upstream $upstream)"
