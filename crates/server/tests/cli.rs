//! The `serving-console` binary: start-up errors, the start line, health, graceful shutdown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_serving-console"))
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("serving-console-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn dist(tag: &str) -> PathBuf {
    let d = temp_dir(tag);
    std::fs::write(d.join("index.html"), "<!doctype html><title>x</title>").unwrap();
    d
}

fn run_failing(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    assert!(!out.status.success(), "expected failure for {args:?}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        stderr.trim().lines().count(),
        1,
        "one-line error expected: {stderr}"
    );
    stderr
}

#[test]
fn missing_dist_or_index_says_how_to_build() {
    let nowhere = std::env::temp_dir().join("serving-console-cli-no-such-dist");
    let e = run_failing(&["demo", "--dist", nowhere.to_str().unwrap()]);
    assert!(
        e.starts_with("error: ") && e.contains("make build") && e.contains("no-such-dist"),
        "{e}"
    );
    let empty = temp_dir("empty");
    let e = run_failing(&["demo", "--dist", empty.to_str().unwrap()]);
    assert!(e.contains("index.html") && e.contains("make build"), "{e}");
}

#[test]
fn malformed_seed_names_file_line_and_column() {
    let d = dist("seed");
    let seed = d.join("bad-seed.json");
    std::fs::write(&seed, "{\"endpoints\": [\n  {\"name\": \"a\",}\n]}").unwrap();
    let e = run_failing(&[
        "demo",
        "--dist",
        d.to_str().unwrap(),
        "--seed",
        seed.to_str().unwrap(),
    ]);
    assert!(
        e.contains("bad-seed.json") && e.contains("line 2 column"),
        "{e}"
    );
}

#[test]
fn busy_port_is_a_clear_error() {
    let d = dist("busy");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let e = run_failing(&["demo", "--dist", d.to_str().unwrap(), "--addr", &addr]);
    assert!(
        e.contains(&format!("address {addr} is already in use")) && e.contains("--addr"),
        "{e}"
    );
}

#[test]
fn starts_answers_and_shuts_down_on_sigterm() {
    let d = dist("run");
    let mut child = bin()
        .args([
            "demo",
            "--dist",
            d.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
            "--generate",
            "5",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("Serving Console (emulator) at http://127.0.0.1:"),
        "{line}"
    );
    let addr = line
        .trim()
        .trim_start_matches("Serving Console (emulator) at http://")
        .trim_end_matches('/');

    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"GET /__emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut res = String::new();
    s.read_to_string(&mut res).unwrap();
    assert!(
        res.starts_with("HTTP/1.1 200") && res.ends_with("ok"),
        "{res}"
    );

    // SIGTERM through kill(1); where it is missing, only check that the server ran.
    match Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
    {
        Ok(st) if st.success() => {}
        _ => {
            let _ = child.kill();
            let _ = child.wait();
            return;
        }
    }
    let mut waited = 0;
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(waited < 100, "did not exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
        waited += 1;
    };
    assert!(status.success(), "{status:?}");
}
