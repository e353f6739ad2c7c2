//! The `protokol` command line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use chrono::NaiveDate;
use protokol::build::{self, BuildOptions, Progress};
use protokol::config::Config;
use protokol::error::BuildError;
use protokol::import::{self, ImportOptions};
use protokol::incremental::{DiskTarget, Engine};
use protokol::serve::{self, ServeOptions};
use protokol::watch::SiteWatcher;
use protokol::watch::rebuild::{describe, rebuild_on_change};

// Rendering allocates many small strings; mimalloc makes builds markedly faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "protokol",
    version,
    about = "Publishes committee agendas and minutes as a static website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct SiteArgs {
    /// The site folder, holding config.toml and content/
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Publish with this base URL instead of config.toml's
    #[arg(long)]
    base_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: config.toml's output_dir, "public")
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Keep running: rebuild what changed whenever files are saved
        #[arg(long)]
        watch: bool,
    },
    /// Build into memory, serve on 127.0.0.1, rebuild and reload pages on changes
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Load, check and render everything without writing; report all problems
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Search the site's decisions from the terminal (the build's search index)
    Search {
        /// Words, a case number ("24/277") or both; every word must match.
        /// No quotes needed; put `--` before a query that starts with `-`
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        #[command(flatten)]
        site: SiteArgs,
        /// Only this committee (its folder name, name or short name)
        #[arg(long)]
        committee: Option<String>,
        /// Only meetings of this year
        #[arg(long)]
        year: Option<i32>,
        /// Only items with a decision
        #[arg(long)]
        decisions: bool,
        /// How many results to show
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print the results as JSON
        #[arg(long)]
        json: bool,
    },
    /// Turn exported minutes (one text file per agenda item) into content files
    Import {
        /// The site folder, holding config.toml and content/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Committee folder to import into (default: the committee named in
        /// "Beslutning i <udvalg> den ...")
        #[arg(long, value_name = "SLUG")]
        committee: Option<String>,
        /// Meeting date, YYYY-MM-DD (default: the date in the decision heading)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// Overwrite item files imported before that differ now
        #[arg(long)]
        force: bool,
        /// Show what would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
        /// Text files, or folders of .txt files
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        inputs: Vec<PathBuf>,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date as YYYY-MM-DD"))
}

/// `protokol import`: exit status 1 when any file was skipped (the others
/// are imported all the same), 2 when the import could not start.
fn run_import(opts: ImportOptions, inputs: &[PathBuf]) -> ExitCode {
    match import::import(&opts, inputs) {
        Ok(report) => {
            print!("{}", report.summary());
            if report.failed() > 0 {
                eprint!("{}", report.failures());
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    build::no_huge_pages();
    let cli = Cli::parse();
    let start = Instant::now();
    // Only build and check may leave a half-made site; say it is safe.
    let publishes = !matches!(cli.command, Command::Search { .. });
    let result = match cli.command {
        Command::Import {
            root,
            committee,
            date,
            force,
            dry_run,
            inputs,
        } => {
            let opts = ImportOptions {
                root,
                committee,
                date,
                force,
                dry_run,
            };
            return run_import(opts, &inputs);
        }
        Command::Build {
            site,
            output,
            watch: true,
        } => {
            let opts = BuildOptions {
                root: site.root,
                output,
                base_url: site.base_url,
            };
            build_and_watch(opts)
        }
        Command::Serve { site, port, open } => {
            let opts = ServeOptions {
                site: BuildOptions {
                    root: site.root,
                    output: None,
                    base_url: site.base_url,
                },
                port,
                open,
            };
            serve::serve(opts, &Progress::new())
        }
        Command::Build {
            site,
            output,
            watch: false,
        } => {
            let opts = BuildOptions {
                root: site.root,
                output,
                base_url: site.base_url,
            };
            warn_of_localhost(&opts);
            build::build(&opts, &Progress::new()).map(|r| {
                let secs = start.elapsed().as_secs_f64();
                if r.pages == 0 {
                    eprintln!(
                        "Nothing changed since the last build ({} files) in {secs:.2} s",
                        r.files
                    );
                } else {
                    eprintln!(
                        "Built {} pages, {} files ({} written, {} removed) in {secs:.2} s",
                        r.pages, r.files, r.written, r.removed
                    );
                }
            })
        }
        Command::Check { site } => {
            let opts = BuildOptions {
                root: site.root,
                output: None,
                base_url: site.base_url,
            };
            build::check(&opts, &Progress::new()).map(|r| {
                eprintln!("No problems found ({} pages checked)", r.pages);
            })
        }
        Command::Search {
            query,
            site,
            committee,
            year,
            decisions,
            limit,
            json,
        } => {
            let opts = BuildOptions {
                root: site.root,
                output: None,
                base_url: site.base_url,
            };
            let args = protokol::search::cli::Args {
                query: query.join(" "),
                committee,
                year,
                decisions_only: decisions,
                limit,
                json,
            };
            protokol::search::cli::run(&opts, &args, &mut std::io::stdout().lock())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            if publishes && !matches!(e, BuildError::PartlyWritten(_)) {
                eprintln!("Nothing was written; the published site is unchanged.");
            }
            ExitCode::FAILURE
        }
    }
}

/// A site built without a `base_url` works, but its feeds, sitemap,
/// calendar and sharing links point at this machine: worth a line.
fn warn_of_localhost(opts: &BuildOptions) {
    if opts.base_url.is_none()
        && build::load_config(opts).is_ok_and(|c| c.base_url == Config::fallback().base_url)
    {
        eprintln!(
            "Note: config.toml sets no base_url, so feeds, the sitemap and canonical links point at {}. Set it to the address the site is published at (or use --base-url).",
            Config::fallback().base_url
        );
    }
}

/// `protokol build --watch`: a build, then incremental rebuilds into the
/// output folder whenever files are saved. Problems are printed and the
/// output keeps the last good site.
fn build_and_watch(opts: BuildOptions) -> Result<(), BuildError> {
    // A broken config.toml is reported by the first build; until it is
    // fixed, the default output folder.
    let config = build::load_config(&opts).unwrap_or_else(|_| Config::fallback());
    let out = build::output_dir(&opts, &config)?;
    let mut target = DiskTarget::new(out.clone(), opts.clone());
    let mut engine = Engine::new(opts);
    engine.ignore(&out);
    let mut done =
        |_: &Engine, result: Result<protokol::incremental::Report, BuildError>| match result {
            Ok(report) => eprintln!("{} → {}", describe(&report), out.display()),
            Err(e @ BuildError::PartlyWritten(_)) => eprintln!("{e}"),
            Err(e) => eprintln!("{e}\nThe output folder keeps the last good site."),
        };
    // Watch before the first build, so that a file saved while it runs is not missed.
    let mut watcher = SiteWatcher::new(engine.root())
        .map_err(|e| BuildError::Other(format!("cannot watch the site folder: {e}")))?;
    let first = engine.build_all(&mut target);
    done(&engine, first);
    eprintln!(
        "Watching {} for changes (Ctrl-C stops)",
        watcher.root().display()
    );
    rebuild_on_change(&mut watcher, &mut engine, &mut target, &mut done);
    Err(BuildError::Other("watching the site folder stopped".into()))
}
