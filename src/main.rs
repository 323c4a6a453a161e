//! Mounts the console. Everything else lives in the library.

fn main() {
    console_error_panic_hook::set_once();
    // index.html paints a static "Loading" line before the wasm arrives (budgets.md P3: first
    // contentful paint from the static shell); the console takes over from here.
    if let Some(shell) = leptos::prelude::document().get_element_by_id("boot-shell") {
        shell.remove();
    }
    leptos::mount::mount_to_body(serving_console::App);
}
