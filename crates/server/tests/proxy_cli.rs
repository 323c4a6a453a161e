//! `serving-console proxy` as a process: start-up errors, and a real run in front of
//! `serving-console demo --strict-auth` in which the token never appears in the output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_serving-console"));
    c.env_remove("DATABRICKS_TOKEN");
    c
}

fn dist(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "serving-console-proxy-cli-{tag}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("index.html"), "<!doctype html><title>x</title>").unwrap();
    d
}

fn failing(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.trim().lines().count(), 1, "one-line error: {stderr}");
    stderr
}

#[test]
fn start_up_errors_are_one_clear_line() {
    let d = dist("errors");
    let d = d.to_str().unwrap();
    let e = failing(bin().args([
        "proxy",
        "--upstream",
        "https://adb-1.2.azuredatabricks.net",
        "--dist",
        d,
    ]));
    assert!(
        e.contains("DATABRICKS_TOKEN") && e.contains("--token-file"),
        "{e}"
    );
    let e = failing(bin().args([
        "proxy",
        "--upstream",
        "adb-1.azuredatabricks.net",
        "--dist",
        d,
    ]));
    assert!(e.contains("https://"), "{e}");
    let e = failing(bin().args(["proxy", "--upstream", "https://h/api/2.0", "--dist", d]));
    assert!(e.contains("without a path"), "{e}");
    let e = failing(bin().args([
        "proxy",
        "--upstream",
        "https://h",
        "--dist",
        d,
        "--token-file",
        "/nonexistent/token",
    ]));
    assert!(e.contains("cannot read the token file"), "{e}");
    let e = failing(
        bin()
            .args(["proxy", "--upstream", "https://h", "--dist", d])
            .env("DATABRICKS_TOKEN", "two words"),
    );
    assert!(
        e.contains("DATABRICKS_TOKEN") && !e.contains("two words"),
        "{e}"
    );
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `cmd` (stderr to `log`), read the start line, return the process and its `host:port`.
fn start(cmd: &mut Command, prefix: &str, log: &std::path::Path) -> (Running, String) {
    let err = std::fs::File::create(log).unwrap();
    let mut child = cmd.stdout(Stdio::piped()).stderr(err).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with(prefix), "{line}");
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    (Running(child), addr)
}

fn http_get(addr: &str, path: &str, extra: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut res = String::new();
    s.read_to_string(&mut res).unwrap();
    res
}

#[test]
fn forwards_with_the_token_from_a_file_and_never_prints_it() {
    let d = dist("run");
    let token_file = d.join("token");
    std::fs::write(&token_file, "dapi-emulator-admin\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let (_emulator, upstream) = start(
        bin().args([
            "demo",
            "--strict-auth",
            "--addr",
            "127.0.0.1:0",
            "--dist",
            d.to_str().unwrap(),
        ]),
        "Serving Console (emulator) at http://",
        &d.join("emulator.log"),
    );
    let (mut proxy, addr) = start(
        bin()
            .args([
                "proxy",
                "--upstream",
                &format!("http://{upstream}"),
                "--addr",
                "127.0.0.1:0",
                "--dist",
                d.to_str().unwrap(),
                "--token-file",
                token_file.to_str().unwrap(),
            ])
            // Everything any crate logs, at the most verbose level.
            .env("RUST_LOG", "trace"),
        "Serving Console (proxy to http://",
        &d.join("proxy.log"),
    );
    let me = http_get(
        &addr,
        "/api/2.0/preview/scim/v2/Me",
        "Authorization: Bearer dapi-emulator-view\r\n",
    );
    assert!(me.starts_with("HTTP/1.1 200"), "{me}");
    assert!(me.contains("admin@example.com"), "{me}");
    let refused = http_get(&addr, "/api/2.0/secrets/list", "");
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
    let page = http_get(&addr, "/endpoints", "");
    assert!(page.contains("<title>x</title>") && page.contains("content-security-policy"));

    let _ = proxy.0.kill();
    let _ = proxy.0.wait();
    let log = std::fs::read_to_string(d.join("proxy.log")).unwrap();
    assert!(
        log.contains("forwarded"),
        "the trace log was written: {log}"
    );
    assert!(!log.contains("dapi-emulator-admin"), "the token was logged");
}
