//! `gazette serve`: watch, and serve the site locally with live reload.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::cli::ServeArgs;
use crate::engine::{BuildOptions, Engine, Holder, Reference};
use crate::error::Error;
use crate::serve::{self, Addresses, LiveReload, ServeError, ServedOutput};
use crate::watch::{self, StopSignals};

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
    let (listener, port) = serve::listen(SocketAddr::new(args.bind, args.port)).await?;
    let addresses = Addresses::of(args.bind, port, args.base_url.as_deref())?;
    let output = ServedOutput::new(args.output.clone())?;
    let root = args.site.root();
    let engine = Engine::new(BuildOptions {
        root: root.clone(),
        output: Some(output.path().to_path_buf()),
        base_url: Some(addresses.base_url.clone()),
        drafts: !args.no_drafts,
        reference: Reference::of_command(args.articles.future)?,
        holder: Holder::Session,
        ..BuildOptions::default()
    });
    let live = Arc::new(LiveReload::default());
    let (stopper, session) = start_session(root, engine, live.clone(), args.report.verbose).await?;
    output.create()?;
    eprintln!(
        "serving the site at {} from {} (Ctrl-C to stop)",
        addresses.local,
        output.path().display()
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
    let Addresses {
        rewritten, also, ..
    } = addresses;
    tokio::select! {
        result = serve::serve(listener, output.path(), live, rewritten, also, stopped(stop.clone())) => result?,
        _ = async {
            stopped(stop).await;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        } => {}
    }
    // The rebuild under way, if any, is finished (and its staging folder gone) before
    // the output is left, or removed.
    stopper.stop();
    let _ = tokio::task::spawn_blocking(move || session.join()).await;
    drop(output);
    Ok(())
}

/// The first build, then watching, on a thread of their own: rebuilding is blocking,
/// parallel work (rayon), kept off the server's threads. Returns once watching started.
async fn start_session(
    root: PathBuf,
    mut engine: Engine,
    live: Arc<LiveReload>,
    verbose: bool,
) -> Result<(watch::Stopper, std::thread::JoinHandle<()>), Error> {
    let (ready_tx, ready) = tokio::sync::oneshot::channel();
    let session = std::thread::spawn(move || {
        let mut watcher = match super::watch::start(&root, &mut engine, verbose) {
            Ok(watcher) => {
                let _ = ready_tx.send(Ok(watcher.stopper()));
                watcher
            }
            Err(e) => {
                let _ = ready_tx.send(Err(e));
                return;
            }
        };
        watch::drive(&mut engine, &mut watcher, |changes, result| {
            super::watch::report(&root, changes, &result, verbose);
            match &result {
                Ok(_) => live.rebuilt(changes.styles_only()),
                Err(e) => live.failed(&e.to_string()),
            }
        });
    });
    match ready.await {
        Ok(Ok(stopper)) => Ok((stopper, session)),
        Ok(Err(e)) => Err(e.into()),
        Err(_) => Err(ServeError::WatcherStopped.into()),
    }
}
