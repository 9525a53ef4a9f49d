//! Command-line arguments (clap). Only parsing lives here; each command's work is in
//! `cmd/<command>.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "gazette",
    version,
    about = "A fast static site generator for tech-news publishing"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import seeds, then render the site into the output folder
    Build(BuildArgs),
    /// Turn raw scraped seeds (seeds/*.txt) into content files, or bring another site's
    /// archive in (`--from wordpress|hugo|zola|jekyll SOURCE`)
    Import(ImportArgs),
    /// Build, then rebuild whatever each change to the sources touches
    Watch(WatchArgs),
    /// Watch, and serve the site locally with live reload
    Serve(ServeArgs),
    /// Start a new article: content/<slug>.md, a draft with its front matter filled in
    New(NewArgs),
    /// Give an article a new slug, keeping its old URL answering with an alias
    Mv(MvArgs),
    /// Start a new site in a folder
    Init(InitArgs),
    /// Render the site in memory and report broken links and anchors, authors without a
    /// profile and tags used once, without touching the output
    Check(CheckArgs),
    /// Print a checksum of the built site (`digest=…`) and, with `--since FILE`, whether it
    /// differs from the one in FILE (`changed=true|false`): a scheduled deploy publishes
    /// only when something came due or changed
    Digest(DigestArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `gazette man > gazette.1`
    Man,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The article's title
    pub title: String,
    /// An author (repeat for several)
    #[arg(long)]
    pub author: Vec<String>,
    /// A tag (repeat for several)
    #[arg(long)]
    pub tag: Vec<String>,
    /// The section to put it in: content/<section>/<slug>.md
    #[arg(long)]
    pub section: Option<String>,
    /// Make it a folder, for images and files beside it: content/<slug>/index.md
    #[arg(long)]
    pub folder: bool,
}

#[derive(Debug, Args)]
pub struct MvArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The article: its file (content/old-name.md) or its slug
    pub article: String,
    /// Its new slug
    pub new_slug: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Also request every external link (eight at a time, 10 s timeout each)
    #[arg(long)]
    pub external: bool,
    /// Check drafts too, as they will be once published
    #[arg(long)]
    pub drafts: bool,
    /// Check the site as built for this base URL (as `build --base-url` builds it)
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder for the new site (created if missing)
    pub dir: PathBuf,
    /// Also use a folder that is not empty (existing files are still never overwritten)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DigestArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The built site [default: output_dir from config.toml, "public"]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// A file holding the digest of the site last deployed (missing: nothing deployed yet)
    #[arg(long)]
    pub since: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub articles: SelectionArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The port to listen on
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on (127.0.0.1 keeps the site on this machine)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Where to write the site [default: a temporary folder, removed on exit]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Build the site for this URL (a tunnel's, say) rather than this server's address,
    /// whose links follow whatever address each page is asked at
    #[arg(long)]
    pub base_url: Option<String>,
    /// Leave drafts out, as `gazette build` does (a preview shows them, marked, by default)
    #[arg(long)]
    pub no_drafts: bool,
    #[command(flatten)]
    pub articles: SelectionArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Where a build goes and which URL it is for (`build`, `watch`).
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Where to write the site [default: output_dir from config.toml, "public"]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Use this base URL instead of config.toml's (for deploy previews)
    #[arg(long)]
    pub base_url: Option<String>,
}

/// How much a command says (`build`, `import`, `watch`, `serve`).
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Print every warning, rather than one line per kind once a kind repeats
    #[arg(long)]
    pub verbose: bool,
}

/// Which articles a build publishes (`build`, `watch`, `serve`).
#[derive(Debug, Args)]
pub struct SelectionArgs {
    /// Include articles marked `draft = true`
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated after the build's reference time (SOURCE_DATE_EPOCH when
    /// set, else now), which are otherwise scheduled and left out
    #[arg(long)]
    pub future: bool,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder (holding config.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

impl SiteArgs {
    /// The site folder as paths should be shown: "." becomes empty, so messages say
    /// `content/a.md` rather than `./content/a.md`.
    pub fn root(&self) -> PathBuf {
        if self.root == std::path::Path::new(".") {
            PathBuf::new()
        } else {
            self.root.clone()
        }
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub articles: SelectionArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Print how long each stage of the build took
    #[arg(long)]
    pub timings: bool,
    /// Ignore the build cache: render every page, as into an empty folder, and write the
    /// files that differ
    #[arg(long)]
    pub no_cache: bool,
    /// How many MiB of the site's rendered HTML the build holds in memory; past that, the
    /// rest waits in a file in .gazette-cache/ and pages are rendered in an order that
    /// lets each article's values go once shown (for sites of 100,000s of articles)
    #[arg(long, value_name = "MIB", default_value_t = crate::content::HELD_HTML >> 20)]
    pub held_html: usize,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Import another site instead of the seeds: its platform
    #[arg(long, value_enum, requires = "source")]
    pub from: Option<crate::import::migrate::Platform>,
    /// With --from: the WordPress export (WXR file), or the Hugo, Zola or Jekyll site folder
    #[arg(requires = "from")]
    pub source: Option<PathBuf>,
    /// With --from wordpress: the site's `wp-content/uploads` folder, whose files are
    /// copied into static/ (else pages keep linking them on the old site)
    #[arg(long, requires = "from")]
    pub uploads: Option<PathBuf>,
    /// Write nothing: print what the import would do
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite content files that were edited by hand
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}
