//! The headless commands: `plot`, `run` and `sweep`. None needs a display or Bevy.

use super::{PlotArgs, RunArgs, StartArgs, SurfaceArgs, SweepArgs, Unavailable};
use anyhow::{Context, Result, bail};
use descend::figures::{self, Course, FigureError, table};
use descend::math::surface::Bowl;
use descend::math::sweep::{self, Summary};
use descend::math::{Config, Limits, Num, Params, Point, Run, Surface, SurfaceKind};
use descend::scene::default_race;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

impl SurfaceArgs {
    /// The surface asked for, with the bowl's curvatures when given.
    pub fn surface(&self) -> Result<Surface> {
        if self.surface != SurfaceKind::Bowl && (self.bowl_a.is_some() || self.bowl_b.is_some()) {
            bail!(
                "--bowl-a and --bowl-b apply only to --surface bowl (got --surface {})",
                self.surface
            );
        }
        Ok(match self.surface {
            SurfaceKind::Bowl => Surface::Bowl(Bowl::new(
                self.bowl_a.unwrap_or(Bowl::DEFAULT_A),
                self.bowl_b.unwrap_or(Bowl::DEFAULT_B),
            )?),
            other => other.surface(),
        })
    }
}

impl StartArgs {
    /// The surface and the start, the surface's own unless given.
    pub fn resolve(&self) -> Result<(Surface, Point)> {
        let surface = self.surface.surface()?;
        Ok((surface, self.start.unwrap_or(surface.default_start())))
    }
}

/// Writes `text` to stdout. A closed pipe (`descend sweep … | head`) is not an error.
pub fn print_out(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to stdout")
        }
        _ => Ok(()),
    }
}

fn figure_error(error: FigureError) -> anyhow::Error {
    match error {
        FigureError::Output(e) => e.into(),
        draw @ FigureError::Draw { .. } => Unavailable(draw.to_string()).into(),
    }
}

/// `descend plot`: the course figures and results table.
pub fn plot(args: PlotArgs) -> Result<()> {
    let course = Course::bowl();
    let written = figures::write_course(&course, &args.out).map_err(figure_error)?;
    let lines: String = written
        .iter()
        .map(|p| format!("wrote {}\n", p.display()))
        .collect();
    print_out(&lines)
}

/// One run, as printed by `descend run --json`.
#[derive(Serialize)]
struct RunReport<'a> {
    surface: &'static str,
    formula: String,
    start: Point,
    lr: f64,
    momentum: f64,
    max_steps: usize,
    tol: f64,
    outcome: &'static str,
    steps: usize,
    stationary: Option<&'static str>,
    final_loss: f64,
    final_point: Point,
    path: &'a [Point],
    losses: &'a [f64],
}

/// `descend run`: one run, summarised or as JSON.
pub fn run(args: RunArgs) -> Result<()> {
    let (surface, start) = args.at.resolve()?;
    let lr = args.lr.unwrap_or(default_race(surface.kind()).0);
    let params = Params::new(lr, args.momentum)?;
    let limits = Limits::new(args.limits.steps, args.limits.tol)?;
    let run = Run::new(&surface, start, params, limits)?;
    if args.json {
        let report = RunReport {
            surface: surface.name(),
            formula: surface.formula(),
            start,
            lr,
            momentum: params.momentum,
            max_steps: limits.max_steps,
            tol: limits.tol,
            outcome: run.stop.outcome.name(),
            steps: run.stop.steps,
            stationary: run.stop.outcome.stationary().map(|s| s.name()),
            final_loss: run.final_loss(),
            final_point: run.final_point(),
            path: &run.path,
            losses: &run.losses,
        };
        let mut text = serde_json::to_string(&report)?;
        text.push('\n');
        return print_out(&text);
    }
    let (end, loss) = (run.final_point(), run.final_loss());
    let (end, loss) = if end.is_finite() && loss.is_finite() {
        (end.to_string(), Num(loss).to_string())
    } else {
        ("off the chart".to_owned(), "not finite".to_owned())
    };
    print_out(&format!(
        "{} f = {}\nstart {start}, η = {}, μ = {}, at most {} steps, tol {}\n{}\nfinal point {end}, final loss {loss}\n",
        surface.name(),
        surface.formula(),
        Num(lr),
        Num(params.momentum),
        limits.max_steps,
        Num(limits.tol),
        run.stop,
    ))
}

/// The most configurations one sweep may run: its results are held in memory.
pub const MAX_CONFIGURATIONS: usize = 4_000_000;

/// One configuration, as printed by `descend sweep --json`.
#[derive(Serialize)]
struct SweepRow {
    surface: &'static str,
    lr: f64,
    momentum: f64,
    outcome: &'static str,
    steps: usize,
    stationary: Option<&'static str>,
    final_loss: f64,
}

/// `descend sweep`: every (η, μ) combination, as CSV or JSON.
pub fn sweep(args: SweepArgs) -> Result<()> {
    let (surface, start) = args.at.resolve()?;
    let limits = Limits::new(args.limits.steps, args.limits.tol)?;
    let (lrs, momenta) = (&args.lr.0, &args.momentum.0);
    let count = lrs.len().saturating_mul(momenta.len());
    if count > MAX_CONFIGURATIONS {
        bail!(
            "sweep of {} × {} = {count} configurations is too large (at most {MAX_CONFIGURATIONS})",
            lrs.len(),
            momenta.len()
        );
    }
    if let Some(path) = args.csv.as_ref().filter(|p| p.as_os_str() != "-") {
        check_parent(path)?;
    }
    let configs = sweep::grid(lrs, momenta)
        .into_iter()
        .map(|(lr, mu)| Params::new(lr, mu))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(first) = configs.first() {
        Config::new(&surface, *first, limits).check_start(start)?;
    }
    let summaries = sweep::sweep(&surface, start, &configs, limits);
    let name = surface.name();
    let rows = || {
        summaries
            .iter()
            .map(|s: &Summary| table::Row::of_summary(name, s))
    };
    if args.json {
        let rows: Vec<SweepRow> = summaries
            .iter()
            .map(|s| SweepRow {
                surface: name,
                lr: s.params.lr,
                momentum: s.params.momentum,
                outcome: s.stop.outcome.name(),
                steps: s.stop.steps,
                stationary: s.stop.outcome.stationary().map(|k| k.name()),
                final_loss: s.final_loss,
            })
            .collect();
        let mut text = serde_json::to_string(&rows)?;
        text.push('\n');
        return print_out(&text);
    }
    let csv = table::csv(rows());
    match &args.csv {
        Some(path) if path.as_os_str() != "-" => {
            figures::output::write_atomic(path, csv.as_bytes())?;
            let runs = if summaries.len() == 1 { "run" } else { "runs" };
            let count = summaries.len();
            print_out(&format!("wrote {} ({count} {runs})\n", path.display()))
        }
        _ => print_out(&csv),
    }
}

/// Checks that a file can be created at `path`: its folder exists and is a folder.
pub fn check_parent(path: &Path) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        bail!(
            "cannot write '{}': folder '{}' does not exist",
            path.display(),
            parent.display()
        );
    }
    if path.is_dir() {
        bail!("cannot write '{}': it is a folder", path.display());
    }
    Ok(())
}
