//! The course figures and results tables, drawn headless (no window, no GPU, no system
//! fonts): `descend plot` writes them.
//!
//! - `trajectory.png`: one run's path over the bowl's contours.
//! - `lr_sweep.png`: a learning rate that crawls, one that converges and one that diverges,
//!   side by side, with their loss curves.
//! - `momentum.png`: the same learning rate without and with momentum.
//! - `results.md`, `results.csv`: one row per run shown.

pub mod contour;
pub mod geometry;
pub mod output;
mod plot;
pub mod table;

use crate::math::{Limits, Params, Point, Run, Surface};
use output::{OutputError, Staged};
use plot::{Trace, draw_losses, draw_map, map_size, render, title};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// The colours of plain descent and momentum, shared with the app's balls.
pub const PLAIN_RGB: [u8; 3] = [235, 120, 20];
pub const MOMENTUM_RGB: [u8; 3] = [200, 30, 150];
/// The crawl, converge and diverge colours of the learning-rate sweep.
const RATE_RGB: [[u8; 3]; 3] = [[230, 150, 0], [0, 150, 70], [215, 25, 28]];

fn rgb([r, g, b]: [u8; 3]) -> RGBColor {
    RGBColor(r, g, b)
}

/// The runs the course figures show, all from one start on one surface.
#[derive(Clone, Debug)]
pub struct Course {
    pub surface: Surface,
    pub start: Point,
    pub limits: Limits,
    /// A learning rate that crawls, one that converges, one that diverges; all with μ = 0.
    pub rates: [Run; 3],
    /// One learning rate without momentum, then with it.
    pub momentum: [Run; 2],
}

/// The bowl course's learning rates: crawl, converge, diverge (2/B = 0.1 is the edge).
pub const BOWL_RATES: [f64; 3] = [0.005, 0.09, 0.105];
/// The bowl course's momentum comparison: η and μ, the same as the app's bowl race.
pub const BOWL_MOMENTUM: (f64, f64) = (0.02, 0.9);

impl Course {
    /// The course on the default bowl, from its default start, 1000 steps, tol 1e-6.
    pub fn bowl() -> Self {
        let surface = Surface::default();
        let start = surface.default_start();
        let limits = Limits::default();
        let run = |lr: f64, momentum: f64| {
            let params = Params::new(lr, momentum).expect("course settings are in range");
            Run::new(&surface, start, params, limits).expect("the default start is valid")
        };
        let (lr, mu) = BOWL_MOMENTUM;
        Course {
            surface,
            start,
            limits,
            rates: BOWL_RATES.map(|lr| run(lr, 0.0)),
            momentum: [run(lr, 0.0), run(lr, mu)],
        }
    }

    /// The run `trajectory.png` shows: the converging rate.
    pub fn trajectory(&self) -> &Run {
        &self.rates[1]
    }

    /// Every run shown, once each, in the order of the results table.
    pub fn runs(&self) -> impl Iterator<Item = &Run> {
        self.rates.iter().chain(&self.momentum)
    }
}

/// Why the figures could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot draw '{name}': {message}")]
    Draw { name: &'static str, message: String },
}

/// A rendered RGB image.
pub struct Image {
    pub size: (u32, u32),
    pub rgb: Vec<u8>,
}

/// Renders the three course figures in memory: (file name, image).
///
/// # Errors
/// When plotters fails to draw.
pub fn render_course(course: &Course) -> Result<Vec<(&'static str, Image)>, FigureError> {
    let maps = Maps::new(&course.surface);
    let draw = |name: &'static str, f: fn(&Course, &Maps) -> Result<Image, String>| {
        f(course, &maps)
            .map(|image| (name, image))
            .map_err(|message| FigureError::Draw { name, message })
    };
    Ok(vec![
        draw("trajectory.png", trajectory_png)?,
        draw("lr_sweep.png", lr_sweep_png)?,
        draw("momentum.png", momentum_png)?,
    ])
}

/// Writes the five course files into `folder`, creating it if needed. Either all five are
/// written or none is replaced.
///
/// # Errors
/// When the folder cannot be created or a file cannot be written.
pub fn write_course(course: &Course, folder: &Path) -> Result<Vec<PathBuf>, FigureError> {
    output::ensure_folder(folder)?;
    let images = render_course(course)?;
    let mut staged = Staged::new();
    for (name, image) in &images {
        let path = folder.join(name);
        let png = output::encode_png(&path, &image.rgb, image.size, 3)?;
        staged.add(&path, &png)?;
    }
    let rows = || course.runs().map(table::Row::of_run);
    staged.add(
        &folder.join("results.md"),
        table::markdown(rows()).as_bytes(),
    )?;
    staged.add(&folder.join("results.csv"), table::csv(rows()).as_bytes())?;
    Ok(staged.commit()?)
}

/// The contour lines of one surface, computed once for every map of a course.
struct Maps {
    isolines: Vec<contour::Isoline>,
}

impl Maps {
    fn new(surface: &Surface) -> Self {
        let view = surface.view();
        let levels = contour::levels(surface, view, 18);
        Maps {
            isolines: contour::isolines(surface, view, &levels, contour::DEFAULT_RESOLUTION),
        }
    }
}

fn settings(run: &Run) -> String {
    let p = run.params();
    format!("η = {}, μ = {}", p.lr, p.momentum)
}

fn trajectory_png(course: &Course, maps: &Maps) -> Result<Image, String> {
    let run = course.trajectory();
    let view = course.surface.view();
    let size = map_size(view, 720);
    let caption = format!(
        "{} f = {}, {}: {}",
        course.surface.name(),
        course.surface.formula(),
        settings(run),
        run.stop
    );
    let trace = Trace {
        run,
        color: rgb(RATE_RGB[1]),
        label: settings(run),
    };
    let size = (size.0, size.1 + plot::TITLE);
    let rgb = render(size, |root| {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let body = title(root, &caption)?;
        draw_map(&body, &course.surface, view, &maps.isolines, &[trace], "").map(drop)
    })?;
    Ok(Image { size, rgb })
}

/// One map per trace, side by side and captioned with its outcome, over a loss-curve chart
/// as wide as all of them.
fn panels_with_losses(
    course: &Course,
    maps: &Maps,
    figure_title: &str,
    traces: &[Trace],
    plot_width: u32,
) -> Result<Image, String> {
    let view = course.surface.view();
    let (map_w, map_h) = map_size(view, plot_width);
    let n = traces.len() as u32;
    let (title_h, losses_h) = (plot::TITLE, 330);
    let size = (map_w * n, title_h + map_h + losses_h);
    let rgb = render(size, |root| {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let body = title(root, figure_title)?;
        let (row, below) = body.split_vertically(map_h);
        let cells = row.split_evenly((1, traces.len()));
        for (cell, trace) in cells.iter().zip(traces) {
            let caption = format!("{}: {}", trace.label, trace.run.stop);
            let traces = std::slice::from_ref(trace);
            draw_map(
                cell,
                &course.surface,
                view,
                &maps.isolines,
                traces,
                &caption,
            )?;
        }
        draw_losses(&below, traces, "loss against step (log scale)")
    })?;
    Ok(Image { size, rgb })
}

fn lr_sweep_png(course: &Course, maps: &Maps) -> Result<Image, String> {
    let traces: Vec<Trace> = course
        .rates
        .iter()
        .zip(RATE_RGB)
        .map(|(run, color)| Trace {
            run,
            color: rgb(color),
            label: format!("η = {}", run.params().lr),
        })
        .collect();
    let title = format!(
        "{} f = {}: learning rate sweep, μ = 0, from {} (stable iff η < 2/B = {})",
        course.surface.name(),
        course.surface.formula(),
        course.start,
        stability_edge(&course.surface),
    );
    panels_with_losses(course, maps, &title, &traces, 420)
}

fn momentum_png(course: &Course, maps: &Maps) -> Result<Image, String> {
    let [plain, heavy] = &course.momentum;
    let traces = [
        Trace {
            run: plain,
            color: rgb(PLAIN_RGB),
            label: "plain, μ = 0".into(),
        },
        Trace {
            run: heavy,
            color: rgb(MOMENTUM_RGB),
            label: format!("momentum, μ = {}", heavy.params().momentum),
        },
    ];
    let title = format!(
        "{} f = {}: plain descent against momentum, η = {}",
        course.surface.name(),
        course.surface.formula(),
        plain.params().lr
    );
    panels_with_losses(course, maps, &title, &traces, 560)
}

/// 2/λ_max for a quadratic surface, shown in titles.
fn stability_edge(surface: &Surface) -> String {
    use crate::math::Objective;
    let (_, hi) = surface.hessian(surface.view().center()).eigenvalues();
    format!("{}", 2.0 / hi)
}

#[cfg(test)]
mod tests;
