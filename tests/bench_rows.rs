//! budgets.md P5 "Row operations": keyed list operations on endpoint rows, the console's real row
//! component (`EndpointRow` in a keyed `<For>`) against a vanilla-JS reference building the same
//! cells in the same page, timed from the operation to the second animation frame after it
//! (the js-framework-benchmark convention). Ignored by `make test`; run with `make bench-rows`
//! (release build): `wasm-pack test --release --headless --chrome --mode no-install -- --test
//! bench_rows -- --include-ignored`. Prints medians and the ratio to vanilla (BENCHMARKS.md).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::container;
use leptos::prelude::*;
use serving_console::model::display_state::DisplayState;
use serving_console::model::list_view::Row;
use serving_console::pages::endpoint_list::EndpointRow;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_764_000_000_000;
const RUNS: usize = 12;

fn row(id: usize, state: DisplayState) -> Row {
    let name = format!("endpoint-{id:05}");
    Row {
        search_text: name.clone(),
        name,
        state,
        entities: format!("main.models.model_{} v{}", id % 97, id % 7 + 1),
        task: Some("llm/v1/chat".into()),
        creator: Some(format!("user{}@example.com", id % 13)),
        updated_ms: Some(NOW - (id as i64 % 3600) * 1000),
        tags: vec![("team".into(), Some(format!("t{}", id % 5)))],
    }
}

fn rows(from: usize, n: usize) -> Vec<Row> {
    (from..from + n)
        .map(|i| row(i, DisplayState::Ready))
        .collect()
}

fn now_ms() -> f64 {
    window().performance().unwrap().now()
}

/// Resolves after the second animation frame (the frame that shows the change has been painted).
async fn two_frames() {
    for _ in 0..2 {
        let p = js_sys::Promise::new(&mut |r, _| {
            window().request_animation_frame(&r).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn p95(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 * 0.95).ceil() as usize).min(v.len()) - 1]
}

/// The vanilla reference: the same cells built with DOM calls in JS, keyed by name.
const VANILLA: &str = r#"
const tbody = document.createElement('tbody');
const table = document.createElement('table');
table.appendChild(tbody);
host.appendChild(table);
let data = [];
let byName = new Map();
function tr(r) {
  const t = document.createElement('tr');
  const td = (text) => { const c = document.createElement('td'); c.textContent = text; t.appendChild(c); return c; };
  const n = document.createElement('td'); const a = document.createElement('a'); a.href = '/endpoints/' + r.name; a.textContent = r.name; n.appendChild(a); t.appendChild(n);
  const s = document.createElement('td'); const b = document.createElement('span'); b.className = 'badge'; b.textContent = r.state; s.appendChild(b); t.appendChild(s);
  td(r.entities); td(r.task); td(r.creator);
  const u = document.createElement('td'); const time = document.createElement('time'); time.textContent = '5 min ago'; u.appendChild(time); t.appendChild(u);
  const g = document.createElement('td'); const tag = document.createElement('span'); tag.className = 'tag'; tag.textContent = r.tag; g.appendChild(tag); t.appendChild(g);
  t._badge = b;
  return t;
}
function mk(from, n) { const out = []; for (let i = from; i < from + n; i++) out.push({ name: 'endpoint-' + String(i).padStart(5, '0'), state: 'Ready', entities: 'main.models.model_' + (i % 97) + ' v' + (i % 7 + 1), task: 'llm/v1/chat', creator: 'user' + (i % 13) + '@example.com', tag: 'team: t' + (i % 5) }); return out; }
function render(rows) { const f = document.createDocumentFragment(); for (const r of rows) { const t = tr(r); byName.set(r.name, t); f.appendChild(t); } return f; }
return {
  create(n) { tbody.textContent = ''; byName = new Map(); data = mk(0, n); tbody.appendChild(render(data)); },
  replace(n, from) { tbody.textContent = ''; byName = new Map(); data = mk(from, n); tbody.appendChild(render(data)); },
  update() { for (let i = 0; i < data.length; i += 10) { data[i].state = 'Ready (Updating)'; byName.get(data[i].name)._badge.textContent = data[i].state; } },
  swap() { const a = byName.get(data[1].name), b = byName.get(data[998].name); const an = a.nextSibling; tbody.insertBefore(a, b); tbody.insertBefore(b, an); const x = data[1]; data[1] = data[998]; data[998] = x; },
  remove() { const r = data.splice(500, 1)[0]; byName.get(r.name).remove(); byName.delete(r.name); },
  append(n) { const more = mk(data.length + 100000, n); data = data.concat(more); tbody.appendChild(render(more)); },
  clear() { tbody.textContent = ''; byName = new Map(); data = []; },
  count() { return tbody.children.length; },
};
"#;

fn call(api: &JsValue, f: &str, args: &[f64]) -> JsValue {
    let func: js_sys::Function = js_sys::Reflect::get(api, &f.into())
        .unwrap()
        .unchecked_into();
    let args: js_sys::Array = args.iter().map(|a| JsValue::from_f64(*a)).collect();
    func.apply(api, &args).unwrap()
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Create,
    Replace,
    Update,
    Swap,
    Remove,
    Append,
    Clear,
}

const OPS: [Op; 7] = [
    Op::Create,
    Op::Replace,
    Op::Update,
    Op::Swap,
    Op::Remove,
    Op::Append,
    Op::Clear,
];

/// One timed run of `op` on the Leptos table (after its untimed set-up).
async fn leptos_run(data: RwSignal<Vec<Row>>, op: Op, run: usize) -> f64 {
    // Set-up: every op but create starts from 1,000 rows.
    data.set(Vec::new());
    two_frames().await;
    if !matches!(op, Op::Create) {
        data.set(rows(0, 1000));
        two_frames().await;
    }
    let t0 = now_ms();
    match op {
        Op::Create => data.set(rows(0, 1000)),
        Op::Replace => data.set(rows(10_000 * (run + 1), 1000)),
        Op::Update => data.update(|v| {
            for r in v.iter_mut().step_by(10) {
                r.state = DisplayState::ReadyUpdating;
            }
        }),
        Op::Swap => data.update(|v| v.swap(1, 998)),
        Op::Remove => data.update(|v| {
            v.remove(500);
        }),
        Op::Append => data.update(|v| v.extend(rows(100_000, 1000))),
        Op::Clear => data.set(Vec::new()),
    }
    two_frames().await;
    now_ms() - t0
}

async fn vanilla_run(api: &JsValue, op: Op, run: usize) -> f64 {
    call(api, "clear", &[]);
    two_frames().await;
    if !matches!(op, Op::Create) {
        call(api, "create", &[1000.0]);
        two_frames().await;
    }
    let t0 = now_ms();
    match op {
        Op::Create => call(api, "create", &[1000.0]),
        Op::Replace => call(api, "replace", &[1000.0, (10_000 * (run + 1)) as f64]),
        Op::Update => call(api, "update", &[]),
        Op::Swap => call(api, "swap", &[]),
        Op::Remove => call(api, "remove", &[]),
        Op::Append => call(api, "append", &[1000.0]),
        Op::Clear => call(api, "clear", &[]),
    };
    two_frames().await;
    now_ms() - t0
}

#[wasm_bindgen_test]
#[ignore]
async fn row_operations_against_vanilla() {
    // The console's row component in a keyed For (a row whose state changes is a new row view).
    let el = container();
    let data = RwSignal::new(Vec::<Row>::new());
    let _handle = mount_to(el.clone(), move || {
        view! {
            <table class="endpoints-table"><tbody>
                <For each=move || data.get().into_iter().enumerate()
                    key=|(_, r)| (r.name.clone(), r.state.clone()) let:item>
                    <EndpointRow index=item.0 row=item.1 now=NOW/>
                </For>
            </tbody></table>
        }
    });
    let host = container();
    let make = js_sys::Function::new_with_args("host", VANILLA);
    let api = make.call1(&JsValue::NULL, &host).unwrap();

    // Warm-up (JIT, allocator) on both sides.
    for op in OPS {
        leptos_run(data, op, 0).await;
        vanilla_run(&api, op, 0).await;
    }
    // Sanity: both sides render the rows they are given.
    data.set(rows(0, 1000));
    two_frames().await;
    assert_eq!(el.query_selector_all("tbody tr").unwrap().length(), 1000);
    call(&api, "create", &[1000.0]);
    assert_eq!(call(&api, "count", &[]).as_f64(), Some(1000.0));

    let mut report = String::from(
        "| operation | console median | p95 | vanilla median | p95 | ratio (medians) |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for op in OPS {
        let (mut l, mut v) = (Vec::new(), Vec::new());
        for run in 1..=RUNS {
            // Alternate which side goes first, so neither always runs on a warmer page.
            if run % 2 == 0 {
                l.push(leptos_run(data, op, run).await);
                v.push(vanilla_run(&api, op, run).await);
            } else {
                v.push(vanilla_run(&api, op, run).await);
                l.push(leptos_run(data, op, run).await);
            }
        }
        let (lm, vm) = (median(&mut l), median(&mut v));
        report.push_str(&format!(
            "| {op:?} | {lm:.1} ms | {:.1} ms | {vm:.1} ms | {:.1} ms | {:.2}× |\n",
            p95(&mut l),
            p95(&mut v),
            lm / vm
        ));
    }
    console_log!("P5 row operations ({RUNS} runs each, 1,000 rows):\n{report}");
}
