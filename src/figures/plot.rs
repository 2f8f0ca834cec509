//! Drawing the course figures with plotters into an RGB buffer: contour maps with paths on
//! them, and loss-against-step curves.
//!
//! Every map is drawn at equal aspect: its plotting area has as many pixels per unit along
//! x as along y, computed from the view before the chart is built. Paths are clipped to the
//! view, so a diverging run is cut at the frame's edge and never rescales it.

use super::contour::Isoline;
use super::geometry::{clip_path, exit_point};
use crate::math::{Outcome, Point, Run, Surface, View};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

/// The font every figure uses, embedded so a machine without fonts still draws text.
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

/// Registers the embedded font once per process.
pub(crate) fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT)
            .unwrap_or_else(|_| panic!("the embedded DejaVu Sans is a valid font"));
    });
}

/// Pixels around a map's plotting area: caption above, tick labels left and below.
pub(crate) const CAPTION: u32 = 34;
pub(crate) const MARGIN: u32 = 14;
pub(crate) const Y_LABELS: u32 = 56;
pub(crate) const X_LABELS: u32 = 44;

/// The pixel size of a map whose plotting area is `plot_width` wide at equal aspect.
pub(crate) fn map_size(view: View, plot_width: u32) -> (u32, u32) {
    let plot_height = (plot_width as f64 * view.height() / view.width()).round() as u32;
    (
        plot_width + Y_LABELS + 2 * MARGIN,
        plot_height + X_LABELS + 2 * MARGIN + CAPTION,
    )
}

/// A path to draw on a map and its loss curve.
pub(crate) struct Trace<'a> {
    pub run: &'a Run,
    pub color: RGBColor,
    /// The run's name in legends: "η = 0.09".
    pub label: String,
}

/// Where a map put its plotting area, for tests: pixel ranges and the data-to-pixel map.
#[derive(Clone, Debug)]
pub(crate) struct MapPixels {
    pub x: std::ops::Range<i32>,
    pub y: std::ops::Range<i32>,
    pub view: View,
}

#[cfg_attr(
    not(test),
    expect(dead_code, reason = "only tests map points to pixels")
)]
impl MapPixels {
    /// The pixel of parameter point `p`: x grows rightwards, y upwards.
    pub fn pixel(&self, p: Point) -> (i32, i32) {
        let fx = (p.x - self.view.x.0) / self.view.width();
        let fy = (p.y - self.view.y.0) / self.view.height();
        let px = self.x.start as f64 + fx * (self.x.end - self.x.start - 1) as f64;
        let py = (self.y.end - 1) as f64 - fy * (self.y.end - self.y.start - 1) as f64;
        (px.round() as i32, py.round() as i32)
    }
}

type Failure = String;

fn fail<E: std::fmt::Display>(e: E) -> Failure {
    e.to_string()
}

/// Contour line colours: dark blue-grey at low levels to pale at high ones.
fn level_color(i: usize, n: usize) -> RGBColor {
    let t = if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        0.0
    };
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(30.0, 150.0), mix(55.0, 180.0), mix(120.0, 215.0))
}

fn text(size: u32) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&BLACK)
}

fn centered(size: u32) -> TextStyle<'static> {
    text(size).pos(Pos::new(HPos::Center, VPos::Center))
}

/// Draws a caption centred in a strip at the top of `area` and returns the rest.
fn captioned<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    height: u32,
    size: u32,
) -> Result<DrawingArea<DB, Shift>, Failure> {
    let (top, rest) = area.split_vertically(height);
    let (w, h) = top.dim_in_pixel();
    top.draw_text(caption, &centered(size), (w as i32 / 2, h as i32 / 2))
        .map_err(fail)?;
    Ok(rest)
}

/// One contour map: the surface's isolines over `view`, its known minima, and each trace's
/// path clipped to the view with its start and end marked.
pub(crate) fn draw_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    surface: &Surface,
    view: View,
    isolines: &[Isoline],
    traces: &[Trace],
    caption: &str,
) -> Result<MapPixels, Failure> {
    let area = captioned(area, caption, CAPTION, 17)?;
    let mut chart = ChartBuilder::on(&area)
        .margin(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS)
        .build_cartesian_2d(view.x.0..view.x.1, view.y.0..view.y.1)
        .map_err(fail)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("x")
        .y_desc("y")
        .label_style(text(13))
        .axis_desc_style(text(15))
        .draw()
        .map_err(fail)?;

    for (i, iso) in isolines.iter().enumerate() {
        let style = level_color(i, isolines.len()).stroke_width(1);
        for line in &iso.lines {
            let points = line.iter().map(|p| (p.x, p.y));
            chart
                .draw_series(LineSeries::new(points, style))
                .map_err(fail)?;
        }
    }
    for m in surface.minima().into_iter().filter(|&m| view.contains(m)) {
        let plus = Cross::new((m.x, m.y), 5, BLACK.stroke_width(2));
        chart.draw_series(std::iter::once(plus)).map_err(fail)?;
    }

    for trace in traces {
        draw_path(&mut chart, view, trace)?;
    }

    let (x, y) = chart.plotting_area().get_pixel_range();
    Ok(MapPixels { x, y, view })
}

type Chart2d<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn draw_path<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    view: View,
    trace: &Trace,
) -> Result<(), Failure> {
    let run = trace.run;
    let color = trace.color;
    // A diverging path is drawn up to where it first leaves the frame: past it, its swings
    // would only cross the frame back and forth.
    let shown = match run.stop.outcome {
        Outcome::Diverged => match run.path.iter().position(|p| !view.contains(*p)) {
            Some(k) => &run.path[..=k],
            None => &run.path[..],
        },
        _ => &run.path[..],
    };
    for piece in clip_path(shown, view) {
        let points = piece.iter().map(|p| (p.x, p.y));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(fail)?;
    }
    // A dot at every iterate inside the view: the steps themselves, not just the curve.
    let dots = shown.iter().filter(|p| view.contains(**p));
    chart
        .draw_series(dots.map(|p| Circle::new((p.x, p.y), 2, color.filled())))
        .map_err(fail)?;

    let start = run.start;
    chart
        .draw_series([
            Circle::new((start.x, start.y), 7, color.filled()),
            Circle::new((start.x, start.y), 7, BLACK.stroke_width(2)),
        ])
        .map_err(fail)?;
    let end = run.final_point();
    if run.stop.outcome == Outcome::Diverged {
        if let Some(exit) = exit_point(&run.path, view) {
            let label = format!("diverged at step {}", run.stop.steps);
            let (px, py) = chart.backend_coord(&(exit.x, exit.y));
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            // Keep the label inside the frame, beside where the path leaves it.
            let hpos = if px > (xr.start + xr.end) / 2 {
                HPos::Right
            } else {
                HPos::Left
            };
            let vpos = if py > (yr.start + yr.end) / 2 {
                VPos::Bottom
            } else {
                VPos::Top
            };
            let style = text(15).color(&color).pos(Pos::new(hpos, vpos));
            let nudge = |v: i32, lo: i32, hi: i32| v.clamp(lo + 8, hi - 8);
            let at = (nudge(px, xr.start, xr.end), nudge(py, yr.start, yr.end));
            let root = chart.plotting_area().strip_coord_spec();
            let (x0, y0) = (xr.start, yr.start);
            root.draw_text(&label, &style, (at.0 - x0, at.1 - y0))
                .map_err(fail)?;
        }
    } else if view.contains(end) {
        chart
            .draw_series(std::iter::once(Cross::new(
                (end.x, end.y),
                8,
                BLACK.stroke_width(3),
            )))
            .map_err(fail)?;
    }
    Ok(())
}

/// Loss against step on a log axis for each trace. A curve that climbs past the top of the
/// axis (a diverging run) is cut where it leaves and labelled there.
pub(crate) fn draw_losses<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    traces: &[Trace],
    caption: &str,
) -> Result<(), Failure> {
    let area = captioned(area, caption, CAPTION, 17)?;
    let last_step = traces
        .iter()
        .map(|t| t.run.path.len() - 1)
        .max()
        .unwrap_or(1)
        .max(1);
    let positive = traces
        .iter()
        .flat_map(|t| t.run.losses.iter().copied())
        .filter(|l| l.is_finite() && *l > 0.0);
    // A decade of room below the lowest loss and three above the highest start, so curves
    // neither sit on the frame nor leave it at once.
    let floor = (positive.fold(f64::INFINITY, f64::min) / 10.0).clamp(1e-17, 0.1);
    let start = traces.iter().map(|t| t.run.losses[0]).fold(0.0, f64::max);
    let ceiling = (start * 1e3).max(floor * 100.0);
    let mut chart = ChartBuilder::on(&area)
        .margin(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS + 14)
        .build_cartesian_2d(0.0..last_step as f64, (floor..ceiling).log_scale())
        .map_err(fail)?;
    chart
        .configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .x_desc("step")
        .y_desc("loss f(p)")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| power_of_ten(*v))
        .label_style(text(13))
        .axis_desc_style(text(15))
        .draw()
        .map_err(fail)?;

    for trace in traces {
        let color = trace.color;
        let mut points: Vec<(f64, f64)> = Vec::new();
        let mut left_at = None;
        for (k, &loss) in trace.run.losses.iter().enumerate() {
            if loss.is_nan() || loss > ceiling {
                // Cut at the top edge, interpolated in log space from the last point kept.
                if let Some(&(k0, l0)) = points.last() {
                    let t = (ceiling.ln() - l0.ln()) / (loss.ln() - l0.ln());
                    let t = if t.is_finite() {
                        t.clamp(0.0, 1.0)
                    } else {
                        1.0
                    };
                    points.push((k0 + t * (k as f64 - k0), ceiling));
                }
                left_at = points.last().copied();
                break;
            }
            points.push((k as f64, loss.max(floor)));
        }
        let label = format!("{}: {}", trace.label, trace.run.stop);
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(fail)?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
            });
        if let Some((k, l)) = left_at {
            let style = text(14).color(&color).pos(Pos::new(HPos::Left, VPos::Top));
            let note = format!("  off the chart; diverged at step {}", trace.run.stop.steps);
            chart
                .draw_series(std::iter::once(Text::new(note, (k, l), style)))
                .map_err(fail)?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(160, 160, 160))
        .label_font(text(14))
        .draw()
        .map_err(fail)?;
    Ok(())
}

/// A log-axis label: "10⁻²" for a power of ten, "3·10⁻²" otherwise.
pub(crate) fn power_of_ten(v: f64) -> String {
    const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    if !(v > 0.0 && v.is_finite()) {
        return format!("{v}");
    }
    let mut exponent = v.log10().floor() as i32;
    let mut mantissa = (v / 10f64.powi(exponent) * 10.0).round() / 10.0;
    if mantissa >= 10.0 {
        // 0.99999… rounds up to the next power.
        mantissa /= 10.0;
        exponent += 1;
    }
    let mut power = String::from("10");
    if exponent < 0 {
        power.push('⁻');
    }
    for digit in exponent.unsigned_abs().to_string().chars() {
        power.push(SUPERSCRIPT[digit.to_digit(10).unwrap_or(0) as usize]);
    }
    if (mantissa - 1.0).abs() < 1e-9 {
        power
    } else {
        format!("{mantissa}·{power}")
    }
}

/// An RGB image drawn by `draw` on a white canvas of `size`.
pub(crate) fn render(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), Failure>,
) -> Result<Vec<u8>, Failure> {
    register_font();
    let mut pixels = vec![255u8; (size.0 * size.1 * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
        draw(&root)?;
        root.present().map_err(fail)?;
    }
    Ok(pixels)
}

/// A figure's title strip across the whole canvas, with a key to the maps' marks below it;
/// returns the area below both.
pub(crate) fn title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, Failure> {
    let rest = captioned(root, title, TITLE - KEY, 22)?;
    captioned(&rest, MAP_KEY, KEY, 14)
}

/// Pixels of a figure's title strip, its key line included.
pub(crate) const TITLE: u32 = 62;
const KEY: u32 = 20;
/// What the marks on every map mean.
pub(crate) const MAP_KEY: &str =
    "● start   × end   + known minimum   contours: f at log-spaced levels, dark low to pale high";
