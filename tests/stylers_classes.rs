//! Guard against stylers' known defect: the class of a `style!` block is seeded only by the
//! number of non-whitespace characters in it, so two different blocks of equal length get the
//! same class and silently share styles. This finds every block exactly as stylers' build step
//! does (a `let x = style! { … }` directly inside a top-level fn) and fails on any shared class.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;
use std::path::Path;
use syn::{Expr, Item, Stmt};

/// (location, class) of every style! block in one source text.
fn blocks(file: &str, source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(ast) = syn::parse_file(source) else {
        return out;
    };
    for item in ast.items {
        let Item::Fn(f) = item else { continue };
        for stmt in &f.block.stmts {
            let Stmt::Local(local) = stmt else { continue };
            let Some(init) = &local.init else { continue };
            let Expr::Macro(m) = init.expr.as_ref() else {
                continue;
            };
            if m.mac
                .path
                .segments
                .last()
                .map(|s| s.ident == "style")
                .unwrap_or(false)
            {
                let class = stylers_core::Class::rand_class_from_seed(m.mac.tokens.to_string());
                out.push((
                    format!("{file}::{}", f.sig.ident),
                    class.as_name().to_string(),
                ));
            }
        }
    }
    out
}

fn collisions(all: &[(String, String)]) -> Vec<String> {
    let mut by_class: HashMap<&str, Vec<&str>> = HashMap::new();
    for (loc, class) in all {
        by_class.entry(class).or_default().push(loc);
    }
    let mut bad: Vec<String> = by_class
        .into_iter()
        .filter(|(_, locs)| locs.len() > 1)
        .map(|(c, locs)| format!("class {c} shared by {}", locs.join(", ")))
        .collect();
    bad.sort();
    bad
}

fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().map(|x| x == "rs").unwrap_or(false) {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            out.extend(blocks(&p.display().to_string(), &text));
        }
    }
}

#[test]
fn no_two_style_blocks_share_a_class() {
    let mut all = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut all);
    assert!(
        all.len() >= 2,
        "expected the console's style! blocks, found {all:?}"
    );
    let bad = collisions(&all);
    assert!(
        bad.is_empty(),
        "stylers class collision (add or change a declaration): {bad:?}"
    );
}

#[test]
fn the_detector_catches_equal_length_blocks() {
    // Two different blocks with the same non-whitespace length: stylers gives them one class.
    let src = r#"
        fn a() { let c = style! { .x { color: red; } }; }
        fn b() { let c = style! { .y { color: tan; } }; }
        fn c() { let c = style! { .z { color: rebeccapurple; } }; }
    "#;
    let found = blocks("synthetic.rs", src);
    assert_eq!(found.len(), 3);
    let bad = collisions(&found);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].contains("synthetic.rs::a") && bad[0].contains("synthetic.rs::b"));
}
