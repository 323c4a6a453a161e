//! `serving-console`: serve the console, backed by the embedded emulator (`demo`).
//!
//! ```text
//! serving-console demo [--addr 127.0.0.1:8080] [--dist DIR] [--seed FILE] [--generate N]
//!                      [--freeze-time] [--strict-auth] [--control] [--update-delay-secs N]
//!                      [--log-lines N [--log-lines-endpoint NAME]] [--hostile]
//!                      [--workspaces N] [--token-ttl-secs N] [HOSTING]
//! serving-console proxy --upstream https://<workspace-host> [--addr 127.0.0.1:8080] [--dist DIR]
//!                       [--token-file FILE] [--timeout-secs N] [HOSTING]
//!                       (token: DATABRICKS_TOKEN or FILE)
//!                       [--sign-in service-token|oauth|forwarded] [--client-id ID]
//!                       [--trusted-proxy IP]... [--cookie-key-file FILE] [--public-url URL]
//! serving-console proxy --workspaces-file FILE | --profile NAME... [same options]
//! HOSTING: [--allow-host NAME[:PORT]]... [--max-connections N] [--header-timeout-secs N]
//! ```
//!
//! Both are served through [`serving_console_server::hosting`]: host allow-list, request-body
//! budget, connection cap and header timeout.

use clap::{Args, Parser, Subcommand};
use serving_console_server::auth::cookie::SealKey;
use serving_console_server::auth::SignIn;
use serving_console_server::{app, hosting, proxy, AppState, EmulatorConfig, Seed};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// How long a graceful shutdown may take before the process exits anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

#[derive(Debug, Parser)]
#[command(
    name = "serving-console",
    version,
    about = "Admin console for Databricks Model Serving endpoints"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the console with the embedded emulator of the serving API (no workspace needed).
    Demo(DemoArgs),
    /// Serve the console and forward its API calls to a Databricks workspace, adding the token.
    Proxy(ProxyArgs),
}

/// What every server checks (see `serving_console_server::hosting`).
#[derive(Debug, Args)]
struct HostingArgs {
    /// Also answer for this host name (the name users type; `NAME` for any port or
    /// `NAME:PORT`); repeatable. Always answered: localhost and the --addr address, with its port.
    /// Any other Host is refused with 421 (DNS rebinding).
    #[arg(long = "allow-host", value_name = "NAME[:PORT]")]
    allow_host: Vec<String>,
    /// Connections served at once (more wait to be accepted).
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=65536), value_name = "N")]
    max_connections: u64,
    /// Seconds a connection may take to send a request's headers (and may stay idle between
    /// requests) before it is closed.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600), value_name = "N")]
    header_timeout_secs: u64,
}

impl HostingArgs {
    fn limits(&self) -> hosting::Limits {
        hosting::Limits {
            max_connections: usize::try_from(self.max_connections).unwrap_or(256),
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            ..hosting::Limits::default()
        }
    }
}

#[derive(Debug, Args)]
struct ProxyArgs {
    /// The workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net (one
    /// workspace, at the root). Without it: --workspaces-file, --profile, DATABRICKS_HOST, or
    /// the DEFAULT profile of ~/.databrickscfg.
    #[arg(long, value_name = "URL", conflicts_with_all = ["workspaces_file", "profile"])]
    upstream: Option<String>,
    /// How --upstream's users are signed in: service-token (everyone acts as the token's
    /// identity), oauth (each user signs in with the workspace's OAuth; needs --client-id) or
    /// forwarded (X-Forwarded-Access-Token from --trusted-proxy addresses).
    #[arg(long, default_value = "service-token", value_parser = ["service-token", "oauth", "forwarded"], requires = "upstream")]
    sign_in: String,
    /// --sign-in oauth: the client id of the console's OAuth app connection in the workspace.
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,
    /// --sign-in forwarded: an address allowed to pass X-Forwarded-Access-Token (repeatable).
    #[arg(long = "trusted-proxy", value_name = "IP")]
    trusted_proxy: Vec<String>,
    /// Several workspaces and their sign-in modes (TOML; see the README, "Sign-in and workspaces").
    #[arg(long, value_name = "FILE")]
    workspaces_file: Option<PathBuf>,
    /// A Databricks CLI profile to serve (repeatable; several are served under /w/{profile}/).
    #[arg(long, value_name = "NAME")]
    profile: Vec<String>,
    /// The key sealing the session cookies of OAuth sign-ins (32 bytes, base64; make one with
    /// `head -c 32 /dev/urandom | base64 > FILE`). Give every replica the same file. Without it a
    /// random key is made: sessions then end with the process and are not shared.
    #[arg(long, value_name = "FILE")]
    cookie_key_file: Option<PathBuf>,
    /// The URL users reach the console at (for the OAuth redirect), when it is not the Host they
    /// send, e.g. https://console.example.com
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: String,
    /// The console's built files (index.html, wasm, js, css).
    #[arg(long, default_value = "./dist", value_name = "DIR")]
    dist: PathBuf,
    /// Read the workspace token from this file (otherwise from the DATABRICKS_TOKEN variable).
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Deadline of one forwarded call, seconds.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=900), value_name = "N")]
    timeout_secs: u64,
    #[command(flatten)]
    hosting: HostingArgs,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: String,
    /// The console's built files (index.html, wasm, js, css).
    #[arg(long, default_value = "./dist", value_name = "DIR")]
    dist: PathBuf,
    /// Load endpoints from this JSON file instead of the default seed.
    #[arg(long, value_name = "FILE")]
    seed: Option<PathBuf>,
    /// Add N generated endpoints (e.g. 10000 for load tests).
    #[arg(long, default_value_t = 0, value_name = "N")]
    generate: usize,
    /// Freeze the emulator's clock: nothing changes until the control API advances time.
    #[arg(long)]
    freeze_time: bool,
    /// Requests without a token get 401 (otherwise they act as the admin).
    #[arg(long)]
    strict_auth: bool,
    /// Enable the test-only control API under /__emulator/.
    #[arg(long)]
    control: bool,
    /// Add the endpoint `schema-bench` whose OpenAPI document is generated to about N MB
    /// (thousands of columns and component schemas, deep and cyclic `$ref`s; benchmarks).
    #[arg(long, value_name = "MB")]
    schema_mb: Option<f64>,
    /// Seconds a config update takes before it finishes.
    #[arg(long, default_value_t = 20, value_name = "N")]
    update_delay_secs: u64,
    /// Benchmarks: the server logs of one endpoint's entities have N lines (~105 bytes each).
    #[arg(long, value_name = "N")]
    log_lines: Option<usize>,
    /// The endpoint whose server logs `--log-lines` sets.
    #[arg(long, default_value = "fraud-detector-prod", value_name = "NAME")]
    log_lines_endpoint: String,
    /// Add endpoints with hostile text (markup, script URLs, terminal escapes, 100 KB strings)
    /// in every field the console shows (security tests).
    #[arg(long)]
    hostile: bool,
    /// Serve N independent emulated workspaces under /w/{id}/ (dev, staging, prod, ws4, …);
    /// 1 serves one at the root.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=50), value_name = "N")]
    workspaces: u64,
    /// Lifetime of the OAuth access tokens the emulated workspace's `/oidc/v1/token` issues.
    #[arg(long, default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..=86400), value_name = "SECS")]
    token_ttl_secs: u64,
    #[command(flatten)]
    hosting: HostingArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Demo(args) => runtime.block_on(demo(args)),
        Command::Proxy(args) => runtime.block_on(proxy(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Check that `dist` holds a built console.
fn check_dist(dist: &std::path::Path) -> Result<(), String> {
    if !dist.is_dir() {
        return Err(format!(
            "console files not found: directory {} does not exist; build the console with `make build` \
             (or pass --dist DIR)",
            dist.display()
        ));
    }
    let index = dist.join("index.html");
    if !index.is_file() {
        return Err(format!(
            "console files not found: {} is missing; build the console with `make build` (or pass --dist DIR)",
            index.display()
        ));
    }
    Ok(())
}

async fn demo(args: DemoArgs) -> Result<(), String> {
    check_dist(&args.dist)?;
    let seed = match &args.seed {
        Some(path) => Seed::from_path(path),
        None => Seed::default_seed(),
    }
    .map_err(|e| e.to_string())?
    .with_generated(args.generate)
    .with_schema_mb(args.schema_mb.unwrap_or(0.0))
    .with_hostile(args.hostile);

    let config = EmulatorConfig {
        strict_auth: args.strict_auth,
        control: args.control,
        freeze_time: args.freeze_time,
        update_delay_secs: args.update_delay_secs,
        dist: Some(args.dist.clone()),
        log_lines: args.log_lines.map(|lines| {
            serving_console_server::emulator::log_gen::LogLines {
                endpoint: args.log_lines_endpoint.clone(),
                lines,
            }
        }),
        token_ttl_secs: args.token_ttl_secs,
        ..EmulatorConfig::default()
    };
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "address {} is already in use; pass --addr HOST:PORT to listen elsewhere",
                args.addr
            ),
            _ => format!("cannot listen on {}: {e}", args.addr),
        })?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let hosts = hosting::AllowedHosts::for_listener(local, &args.hosting.allow_host)?;
    let limits = args.hosting.limits();
    let signals = wait_for_signal();
    let (state, router) = if args.workspaces <= 1 {
        let state = AppState::new(config, seed);
        println!("Serving Console (emulator) at http://{local}/");
        (state.clone(), app(state))
    } else {
        let mut workspaces = Vec::new();
        for k in 0..usize::try_from(args.workspaces).unwrap_or(1) {
            let id = serving_console_server::workspace_id(k);
            let config = EmulatorConfig {
                base_path: format!("/w/{id}"),
                // 16 digits, distinct per workspace.
                workspace_id: format!("{}", 1_234_567_890_123_456u64 + k as u64),
                ..config.clone()
            };
            workspaces.push((id, AppState::new(config, seed.clone().for_workspace(k))));
        }
        println!(
            "Serving Console (emulator, {} workspaces) at http://{local}/",
            workspaces.len()
        );
        for (id, _) in &workspaces {
            println!("  workspace {id}: http://{local}/w/{id}/");
        }
        let first = workspaces[0].1.clone();
        let all: Vec<AppState> = workspaces.iter().map(|(_, s)| s.clone()).collect();
        let router = serving_console_server::multi_app(workspaces, Some(args.dist.clone()));
        // Shutting down: tell every workspace's hanging requests to end.
        let on_first = first.clone();
        tokio::spawn(async move {
            on_first.shutdown_signal().await;
            for s in all.iter().skip(1) {
                s.begin_shutdown();
            }
        });
        (first, router)
    };
    eprintln!("answering for hosts: {}", hosts.describe());

    let on_signal = state.clone();
    let router = hosting::guard(router, hosts, &limits);
    let server = hosting::serve(listener, router, &limits, async move {
        signals.await;
        on_signal.begin_shutdown();
    });
    let deadline = {
        let signalled = state.shutdown_signal();
        async move {
            signalled.await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        }
    };
    tokio::select! {
        () = server => Ok(()),
        () = deadline => {
            eprintln!("warning: connections still open after {}s; exiting", SHUTDOWN_GRACE.as_secs());
            Ok(())
        }
    }
}

/// The token: `--token-file` if given, else `DATABRICKS_TOKEN`. Never printed.
fn read_token(file: Option<&std::path::Path>) -> Result<proxy::Token, String> {
    match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the token file {}: {e}", path.display()))?;
            warn_if_readable_by_others(path, "token file");
            proxy::Token::new(&text).map_err(|e| format!("{e} ({})", path.display()))
        }
        None => match std::env::var("DATABRICKS_TOKEN") {
            Ok(t) => proxy::Token::new(&t).map_err(|e| format!("{e} (DATABRICKS_TOKEN)")),
            Err(_) => Err(
                "no workspace token: set DATABRICKS_TOKEN or pass --token-file FILE".to_string(),
            ),
        },
    }
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &std::path::Path, what: &str) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            eprintln!(
                "warning: the {what} {} can be read by other users; chmod 600 it",
                path.display()
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &std::path::Path, _what: &str) {}

/// The workspaces and sign-in modes of `proxy`, from its arguments (see `workspaces.rs`).
fn sign_in_of(args: &ProxyArgs) -> Result<SignIn, String> {
    use serving_console_server::workspaces::{
        self as ws, RealSources, SignInSpec, WorkspaceSpec, WorkspacesSpec,
    };
    let spec = if let Some(up) = &args.upstream {
        let upstream = proxy::Upstream::parse(up)?;
        let sign_in = match args.sign_in.as_str() {
            "oauth" => SignInSpec::OAuth {
                client_id: args.client_id.clone().ok_or(
                    "--sign-in oauth needs --client-id (the console's OAuth app connection)",
                )?,
                client_secret: None,
            },
            "forwarded" => SignInSpec::Forwarded {
                trusted: ws::parse_trusted(&args.trusted_proxy)
                    .map_err(|e| e.replace("trusted_proxies", "--trusted-proxy"))?,
            },
            _ => {
                let token = read_token(args.token_file.as_deref())?;
                return Ok(SignIn::single(upstream, token));
            }
        };
        WorkspacesSpec {
            workspaces: vec![WorkspaceSpec {
                id: "default".into(),
                name: upstream.to_string(),
                host: upstream.to_string(),
                sign_in,
            }],
            mounted: false,
            ..Default::default()
        }
    } else if let Some(file) = &args.workspaces_file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read the workspaces file {}: {e}", file.display()))?;
        let dir = file.parent().unwrap_or(std::path::Path::new("."));
        ws::parse_file(&text, dir, &RealSources)?
    } else if let Some(one) = (args.profile.is_empty()
        && std::env::var_os("DATABRICKS_CONFIG_PROFILE").is_none())
    .then(|| ws::from_env(&|k| std::env::var(k).ok()))
    .flatten()
    {
        WorkspacesSpec {
            workspaces: vec![one?],
            ..Default::default()
        }
    } else {
        ws::from_profiles(
            &args.profile,
            std::env::var("DATABRICKS_CONFIG_PROFILE").ok(),
            &RealSources,
        )
        .map_err(|e| {
            format!("{e} (or pass --upstream URL with DATABRICKS_TOKEN, or --workspaces-file FILE)")
        })?
    };
    let needs_key = spec
        .workspaces
        .iter()
        .any(|w| matches!(w.sign_in, SignInSpec::OAuth { .. }));
    let key_file = args
        .cookie_key_file
        .clone()
        .or(spec.cookie_key_file.clone());
    let key = match (key_file, needs_key) {
        (Some(path), _) => {
            warn_if_readable_by_others(&path, "cookie key file");
            Some(SealKey::from_file(&path)?)
        }
        (None, true) => {
            eprintln!(
                "warning: no --cookie-key-file: sign-ins last until this process stops and are \
                 not shared with other replicas"
            );
            Some(SealKey::random()?)
        }
        (None, false) => None,
    };
    let mut spec = spec;
    if args.public_url.is_some() {
        spec.public_url = args.public_url.clone();
    }
    SignIn::from_spec(spec, key)
}

async fn proxy(args: ProxyArgs) -> Result<(), String> {
    check_dist(&args.dist)?;
    let sign_in = sign_in_of(&args)?;
    for w in &sign_in.workspaces {
        if !w.upstream.is_https() && !w.upstream.is_loopback() {
            eprintln!(
                "warning: the workspace {} is plain http: its tokens cross the network unencrypted",
                w.upstream
            );
        }
    }
    let described = if sign_in.mounted {
        sign_in
            .workspaces
            .iter()
            .map(|w| {
                format!(
                    "{} ({}, {}) at /w/{}/",
                    w.upstream,
                    w.name,
                    w.mode.name(),
                    w.id
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        sign_in
            .workspaces
            .iter()
            .map(|w| w.upstream.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let upstream = described;
    let mut config = proxy::ProxyConfig::with_sign_in(sign_in);
    config.dist = Some(args.dist.clone());
    config.timeout = Duration::from_secs(args.timeout_secs);
    let (max_body, timeout) = (config.max_body_bytes, config.timeout);
    let router = proxy::app(config)?;
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "address {} is already in use; pass --addr HOST:PORT to listen elsewhere",
                args.addr
            ),
            _ => format!("cannot listen on {}: {e}", args.addr),
        })?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let hosts = hosting::AllowedHosts::for_listener(local, &args.hosting.allow_host)?;
    let mut limits = args.hosting.limits();
    limits.max_body_bytes = max_body;
    limits.body_timeout = timeout;
    let signals = wait_for_signal();
    println!("Serving Console (proxy to {upstream}) at http://{local}/");
    eprintln!("answering for hosts: {}", hosts.describe());
    let (tx, rx) = tokio::sync::watch::channel(false);
    let router = hosting::guard(router, hosts, &limits);
    let server = hosting::serve(listener, router, &limits, async move {
        signals.await;
        let _ = tx.send(true);
    });
    let deadline = async move {
        let mut rx = rx;
        let _ = rx.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        () = server => Ok(()),
        () = deadline => {
            eprintln!("warning: connections still open after {}s; exiting", SHUTDOWN_GRACE.as_secs());
            Ok(())
        }
    }
}

/// Ctrl-C or SIGTERM. The handlers are installed when this is called, not when the future is
/// first polled: a signal that arrives between "listening" and the accept loop's first poll must
/// shut down gracefully, not kill the process (seen under load in tests/cli.rs).
fn wait_for_signal() -> impl std::future::Future<Output = ()> + Send {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let int = signal(SignalKind::interrupt()).ok();
        let term = signal(SignalKind::terminate()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(int) => {}
                () = wait(term) => {}
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
