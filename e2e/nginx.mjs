// A real nginx (Debian's) on a free loopback port, configured from deploy/nginx.conf exactly as an
// operator would: deploy/render-nginx.sh fills in the port, upstream, dist and base and writes
// the token include; a minimal main config (pid, logs, temp paths in a temp dir) includes it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { ROOT, freePort } from './lib.mjs';

const NGINX = process.env.NGINX_PATH || '/usr/sbin/nginx';
const BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';
/** njs: deploy/nginx.conf's response-header allow-list (js_header_filter) needs it. */
export const JS_MODULE = '/usr/lib/nginx/modules/ngx_http_js_module.so';

/** The headers every response must carry (the same values as crates/server/src/security_headers.rs). */
export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'permissions-policy':
    'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
};

/**
 * Start nginx for `dist` (built for `base`) in front of `upstream`, injecting `token` (none if null).
 * Resolves to { url, port, dir, log(), stop() } once nginx answers.
 */
export async function startNginx({ dist, base = '/', upstream, token }) {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} missing: run scripts/setup.sh (apt nginx)`);
  if (!existsSync(JS_MODULE)) throw new Error(`${JS_MODULE} missing: run scripts/setup.sh (apt libnginx-mod-http-js)`);
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error(`${dist}/index.html missing: run make build / make build-subpath`);
  const dir = mkdtempSync(path.join(tmpdir(), 'sc-nginx-'));
  chmodSync(dir, 0o755); // nginx workers (nobody) create their temp dirs here
  const port = await freePort();
  // token: null renders for the console's token mode (nginx adds none).
  const tokenArgs = ['--no-token'];
  if (token !== null) {
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    tokenArgs.splice(0, 1, '--token-file', tokenFile);
  }
  const out = path.join(dir, 'conf');
  try {
    execFileSync('bash', [path.join(ROOT, 'deploy', 'render-nginx.sh'),
      '--upstream', upstream, ...tokenArgs, '--dist', dist, '--out', out,
      '--base', base, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`deploy/render-nginx.sh failed:\n${e.stderr}`);
  }
  mkdirSync(path.join(dir, 'tmp'));
  const main = `
load_module ${JS_MODULE};
${existsSync(BROTLI_MODULE) ? `load_module ${BROTLI_MODULE};` : ''}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${dir}/access.log;
    sendfile on;
    client_body_temp_path ${dir}/tmp/body;
    proxy_temp_path ${dir}/tmp/proxy;
    fastcgi_temp_path ${dir}/tmp/fastcgi;
    uwsgi_temp_path ${dir}/tmp/uwsgi;
    scgi_temp_path ${dir}/tmp/scgi;
    include ${out}/serving-console.conf;
}
`;
  writeFileSync(path.join(dir, 'nginx.conf'), main);
  const args = ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')];
  try {
    execFileSync(NGINX, [...args, '-t', '-q'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`nginx -t failed:\n${e.stderr}\n${readFileSync(path.join(out, 'serving-console.conf'), 'utf8')}`);
  }
  const proc = spawn(NGINX, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}):\n${output}`);
    try {
      await fetch(`${url}/`);
      break;
    } catch {}
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`nginx not answering in 15 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    dir,
    config: () => readFileSync(path.join(out, 'serving-console.conf'), 'utf8'),
    log: () => output + (existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8') : ''),
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGQUIT');
        await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One raw HTTP request (the path is sent exactly as given: no URL normalisation, unlike fetch).
 * Resolves to { status, headers, body } with the body as a Buffer.
 */
export function raw(port, method, rawPath, headers = {}, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: rawPath, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
