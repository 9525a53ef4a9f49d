//! `gazette serve`: watch, and serve the site locally with live reload.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use crate::cli::ServeArgs;
use crate::engine::Engine;
use crate::error::Error;
use crate::pipeline::{BuildOptions, Holder, Reference};
use crate::serve::{self, LiveReload, ServeError};
use crate::watch;

pub fn run(args: ServeArgs) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Server)?;
    runtime.block_on(serve_site(args))
}

async fn serve_site(args: ServeArgs) -> Result<(), Error> {
    // Caught from the start: a signal during the first build stops the server cleanly.
    let signals = StopSignals::register().map_err(ServeError::Server)?;
    let root = args.site.root();
    // Listen first: a busy port is reported before any work.
    let addr = SocketAddr::new(args.bind, args.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let port = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })?
        .port();
    // Links point at this server, whatever base_url says; an unspecified address is
    // reached through the loopback one.
    let host = match args.bind {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    let local_base = format!("http://{}/", SocketAddr::new(host, port));
    // `--base-url` (a tunnel's address, say) is built with and left alone; this server's
    // own address is rewritten to whichever one each request came to.
    let (base_url, rewritten) = match &args.base_url {
        Some(url) => (
            crate::config::normalize_base_url(url)
                .map_err(|m| Error::Usage(format!("--base-url: {m}")))?,
            None,
        ),
        None => (local_base.clone(), Some(local_base.clone())),
    };
    // The host a tunnel or proxy in front names: `example.org`, or `example.org:8080`.
    let also = args.base_url.as_ref().and_then(|_| {
        let url = url::Url::parse(&base_url).ok()?;
        let host = url.host_str()?;
        Some(match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        })
    });
    // A temporary folder unless told otherwise: public/ keeps the production base_url.
    let temp = match args.output {
        Some(_) => None,
        None => Some({
            // Memory-backed where there is such a folder: a dev server's output is
            // rewritten constantly and thrown away on exit.
            let shm = std::path::Path::new("/dev/shm");
            let builder = {
                let mut b = tempfile::Builder::new();
                b.prefix("gazette-serve-");
                b
            };
            if shm.is_dir() {
                builder.tempdir_in(shm).or_else(|_| builder.tempdir())
            } else {
                builder.tempdir()
            }
            .map_err(ServeError::TempDir)?
        }),
    };
    let output = match (&args.output, &temp) {
        (Some(dir), _) => dir.clone(),
        (None, Some(temp)) => temp.path().join("site"),
        (None, None) => unreachable!("a temporary folder was made"),
    };
    let mut engine = Engine::new(BuildOptions {
        root: root.clone(),
        output: Some(output.clone()),
        base_url: Some(base_url.clone()),
        drafts: !args.no_drafts,
        reference: Reference::of_command(args.articles.future)?,
        holder: Holder::Session,
        ..BuildOptions::default()
    });
    let live = Arc::new(LiveReload::default());

    // The first build, then watching, on a thread of their own: rebuilding is blocking,
    // parallel work (rayon), kept off the server's threads.
    let (ready_tx, ready) = tokio::sync::oneshot::channel();
    let watch_live = live.clone();
    let verbose = args.report.verbose;
    let session_thread = std::thread::spawn(move || {
        let watcher = super::watch::start(&root, &mut engine, verbose);
        let _ = ready_tx.send(
            watcher
                .as_ref()
                .map(|w| w.stopper())
                .map_err(|e| e.to_string()),
        );
        let Ok(mut watcher) = watcher else { return };
        watch::drive(&mut engine, &mut watcher, |changes, result| {
            super::watch::report(&root, changes, &result, verbose);
            match &result {
                Ok(_) => watch_live.rebuilt(changes.styles_only()),
                Err(e) => watch_live.failed(&e.to_string()),
            }
        });
    });
    let stopper = match ready.await {
        Ok(Ok(stopper)) => stopper,
        Ok(Err(message)) => return Err(Error::Usage(message)),
        Err(_) => return Err(Error::Usage("the watcher stopped".into())),
    };
    std::fs::create_dir_all(&output).map_err(ServeError::TempDir)?;
    eprintln!(
        "serving the site at {local_base} from {} (Ctrl-C to stop)",
        output.display()
    );
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        signals.wait().await;
        let _ = stop_tx.send(true);
    });
    let stopped = |mut stop: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stop.wait_for(|s| *s).await;
    };
    // Graceful shutdown waits for open connections; live-reload sockets stay open, so
    // they get a moment, then the server stops regardless.
    tokio::select! {
        result = serve::serve(listener, &output, live, rewritten, also, stopped(stop.clone())) => result?,
        _ = async {
            stopped(stop).await;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        } => {}
    }
    // The rebuild under way, if any, is finished (and its staging folder gone) before
    // the output is left, or removed.
    stopper.stop();
    let _ = tokio::task::spawn_blocking(move || session_thread.join()).await;
    drop(temp);
    Ok(())
}

/// Ctrl-C and SIGTERM, caught from the moment they are registered (inside a tokio
/// runtime): one that arrives before anyone waits is kept, not fatal, so a signal sent
/// right after a command says it is ready still stops it cleanly.
pub(super) struct StopSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    pub(super) fn register() -> std::io::Result<StopSignals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(StopSignals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(StopSignals {})
    }

    /// Waits for the first of them.
    pub(super) async fn wait(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {},
            _ = self.terminate.recv() => {},
        }
        #[cfg(not(unix))]
        {
            let _ = &mut self;
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
