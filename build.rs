//! Generates the component-scoped CSS of every `let x = style! { … }` block (stylers) into
//! `target/stylers/stylers.css`, which index.html links. Trunk's pre_build hook runs the same
//! cargo build first so the file is current before trunk copies it (see scripts/trunk-pre-build.sh).

fn main() {
    println!("cargo:rerun-if-changed=src");
    let _ = std::fs::create_dir_all("target/stylers");
    stylers::build(Some("./target/stylers/stylers.css".to_string()));
}
