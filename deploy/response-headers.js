// Serving Console behind nginx: the workspace's response headers that reach the browser are an
// allow-list (deploy/nginx.conf: js_header_filter in the API locations; needs nginx's njs module,
// Debian/Ubuntu: apt-get install libnginx-mod-http-js). Every other header the workspace sends —
// Location, Refresh, Link, Upgrade, Set-Cookie, CORS, caching, whatever it adds tomorrow — is
// dropped. FORWARDED is `FORWARDED_RESPONSE_HEADERS` of crates/server/src/proxy.rs (a test
// compares them); OWN are the headers nginx itself sets on every response (add_header) and the
// body's framing.

var FORWARDED = [
    'content-type',
    'content-encoding',
    'content-language',
    'retry-after',
    'etag',
    'last-modified',
    'x-request-id',
];

var OWN = [
    'content-length',
    'cache-control',
    'content-security-policy',
    'x-content-type-options',
    'referrer-policy',
    'cross-origin-opener-policy',
    'cross-origin-resource-policy',
    'x-frame-options',
    'permissions-policy',
    'strict-transport-security',
    'vary', // gzip_vary; the answer depends on the Accept-Encoding forwarded
];

function filter(r) {
    var names = Object.keys(r.headersOut);
    for (var i = 0; i < names.length; i++) {
        var name = names[i].toLowerCase();
        if (FORWARDED.indexOf(name) < 0 && OWN.indexOf(name) < 0) {
            delete r.headersOut[names[i]];
        }
    }
}

export default { filter };
