// Starts the console. trunk would inline this as a <script>; a file instead lets the CSP say
// `script-src 'self'` with no hash to keep in step (Trunk.toml `pattern_script` writes the tag
// that loads it, with the hashed names and the public URL as data attributes).
const tag = document.querySelector('script[data-wasm]');
const { default: init } = await import(tag.dataset.js);
const wasm = await init({ module_or_path: tag.dataset.wasm });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
