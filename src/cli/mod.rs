//! The command line: arguments (clap derive, ranges checked at parse time), the commands,
//! and how failures are reported — one line on stderr, exit status 2 for bad input and 1 when
//! the machine cannot do what was asked (no display, no graphics adapter).

pub mod commands;
pub mod parse;
pub mod window;

use clap::{Args, Parser, Subcommand};
use descend::math::{Point, SurfaceKind};
use std::path::PathBuf;
use std::process::ExitCode;

/// Watch gradient descent roll down a loss surface.
///
/// A ball rolls under the update rule v ← μ·v − η·∇f(p), p ← p + v (heavy ball; μ = 0 is
/// plain gradient descent), one fixed tick at a time. With no command, descend opens the app
/// on the bowl, where plain descent races momentum.
#[derive(Debug, Parser)]
#[command(name = "descend", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the app: plain descent races momentum down a surface (the default command)
    App(AppArgs),
    /// Write the course figures and results table (bowl) into a folder
    Plot(PlotArgs),
    /// Run the update rule once and report how it ended
    Run(RunArgs),
    /// Run every combination of learning rates and momenta from one start
    Sweep(SweepArgs),
    /// Run a race for a number of ticks, save the window as a PNG and exit
    Screenshot(ScreenshotArgs),
}

impl Default for Command {
    fn default() -> Self {
        Command::App(AppArgs::default())
    }
}

/// Which surface, with the bowl's curvatures.
#[derive(Debug, Default, Args)]
pub struct SurfaceArgs {
    /// The loss surface: bowl, saddle, rosenbrock or himmelblau
    #[arg(long, default_value = "bowl", value_parser = parse::surface_kind)]
    pub surface: SurfaceKind,
    /// The bowl's curvature A along x, in [1e-6, 1e6] [default: 1]
    #[arg(long = "bowl-a", value_name = "A", value_parser = parse::curvature, allow_hyphen_values = true)]
    pub bowl_a: Option<f64>,
    /// The bowl's curvature B along y, in [1e-6, 1e6] [default: 20]
    #[arg(long = "bowl-b", value_name = "B", value_parser = parse::curvature, allow_hyphen_values = true)]
    pub bowl_b: Option<f64>,
}

/// A surface and where to start on it.
#[derive(Debug, Default, Args)]
pub struct StartArgs {
    #[command(flatten)]
    pub surface: SurfaceArgs,
    /// Where to start, as X,Y [default: the surface's own; -2.5,1.5 on the bowl]
    #[arg(long, value_name = "X,Y", value_parser = parse::point, allow_hyphen_values = true)]
    pub start: Option<Point>,
}

/// A race on a surface: the start and the two balls' settings.
#[derive(Debug, Default, Args)]
pub struct SceneArgs {
    #[command(flatten)]
    pub at: StartArgs,
    /// Both balls' learning rate η, a finite number > 0 [default: the surface's race rate;
    /// 0.02 on the bowl]
    #[arg(long, value_name = "η", value_parser = parse::lr, allow_hyphen_values = true)]
    pub lr: Option<f64>,
    /// The momentum ball's μ, in [0, 1) [default: the surface's race momentum; 0.9 on the
    /// bowl]
    #[arg(long, value_name = "μ", value_parser = parse::momentum, allow_hyphen_values = true)]
    pub momentum: Option<f64>,
}

#[derive(Debug, Default, Args)]
pub struct AppArgs {
    #[command(flatten)]
    pub scene: SceneArgs,
    /// Window size in pixels, as WxH, each side 64 to 4096
    #[arg(long, value_name = "WxH", default_value = "1280x800", value_parser = parse::size, allow_hyphen_values = true)]
    pub size: (u32, u32),
}

#[derive(Debug, Args)]
pub struct ScreenshotArgs {
    /// The PNG file to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Fixed ticks (descent steps) to run before the picture is taken, 0 to 20000
    #[arg(long, default_value_t = 120, value_parser = parse::ticks, allow_hyphen_values = true)]
    pub ticks: u64,
    /// Image size in pixels, as WxH, each side 64 to 4096
    #[arg(long, value_name = "WxH", default_value = "1280x720", value_parser = parse::size, allow_hyphen_values = true)]
    pub size: (u32, u32),
    #[command(flatten)]
    pub scene: SceneArgs,
}

#[derive(Debug, Args)]
pub struct PlotArgs {
    /// The folder to write into; created if missing
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub at: StartArgs,
    /// Learning rate η, a finite number > 0 [default: the surface's race rate; 0.02 on the
    /// bowl]
    #[arg(long, value_name = "η", value_parser = parse::lr, allow_hyphen_values = true)]
    pub lr: Option<f64>,
    /// Momentum μ, in [0, 1); 0 is plain gradient descent
    #[arg(long, value_name = "μ", default_value_t = 0.0, value_parser = parse::momentum, allow_hyphen_values = true)]
    pub momentum: f64,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Print one JSON object (with the whole path) instead of a summary
    #[arg(long)]
    pub json: bool,
}

/// When a run stops.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// The most updates to apply, 1 to 10000000
    #[arg(long, default_value_t = 1000, value_parser = parse::steps, allow_hyphen_values = true)]
    pub steps: usize,
    /// Converged once the gradient's norm is below this, a finite number > 0
    #[arg(long, default_value = "1e-6", value_parser = parse::tol, allow_hyphen_values = true)]
    pub tol: f64,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub at: StartArgs,
    /// Learning rates: a list a,b,c or a range start:stop:count (evenly spaced, ends
    /// included); each a finite number > 0
    #[arg(long, value_name = "LIST", value_parser = parse::lr_list, allow_hyphen_values = true)]
    pub lr: parse::List,
    /// Momenta, as a list or a range like --lr; each in [0, 1)
    #[arg(long, value_name = "LIST", default_value = "0", value_parser = parse::momentum_list, allow_hyphen_values = true)]
    pub momentum: parse::List,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Write the results as CSV to this file (columns surface, lr, momentum, outcome,
    /// steps, final_loss) instead of printing them; `-` prints them
    #[arg(long, value_name = "FILE", conflicts_with = "json")]
    pub csv: Option<PathBuf>,
    /// Print the results as a JSON array instead of CSV
    #[arg(long)]
    pub json: bool,
}

/// A failure that is the machine's, not the input's: exit status 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unavailable(pub String);

/// Reports a clap error: help and version go to stdout as usual; anything else is one line
/// on stderr and exit status 2.
pub fn usage_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            ExitCode::from(2)
        }
        _ => {
            complain(&format!(
                "{} (see --help)",
                first_paragraph(&error.render().to_string())
            ));
            ExitCode::from(2)
        }
    }
}

/// The first paragraph of clap's message on one line: "error: the following required
/// arguments were not provided: --lr <LIST>".
fn first_paragraph(rendered: &str) -> String {
    let lines: Vec<&str> = rendered
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect();
    if lines.is_empty() {
        "error: invalid arguments".into()
    } else {
        lines.join(" ")
    }
}

/// Writes one line to stderr; a stderr that cannot be written is not worth a panic.
fn complain(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Turns a command's result into the exit status, printing a failure as one line.
pub fn finish(outcome: anyhow::Result<()>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let message = format!("{error:#}");
            complain(&format!("error: {}", message.replace('\n', " ")));
            if error.downcast_ref::<Unavailable>().is_some() {
                ExitCode::FAILURE
            } else {
                ExitCode::from(2)
            }
        }
    }
}
