//! Contour lines (isolines) of a surface over its view, by marching squares.
//!
//! The surface is sampled on a regular grid and handed to the `contour` crate. Two of its
//! conventions are undone here: it places grid value `(i, j)` at `(i + ½, j + ½)`, so the
//! origin is set half a cell back; and it closes every ring around the grid's border, so
//! vertices outside the view are cut away, splitting a ring into the open lines one sees.
//! Shared by the figures and the app's heightfield.

use crate::math::{Objective, Point, Surface, View};

/// All the lines at one level.
#[derive(Clone, Debug, PartialEq)]
pub struct Isoline {
    pub level: f64,
    /// Polylines in parameter space, each with at least two points.
    pub lines: Vec<Vec<Point>>,
}

/// Grid cells along the view's longer side.
pub const DEFAULT_RESOLUTION: usize = 240;

/// Levels that show a surface's shape over `view`.
///
/// For a surface that is never negative, `count` levels spaced evenly in log f from 10⁻⁴ of
/// the view's largest value up to it: evenly spaced levels would bunch up on the steep walls
/// of a narrow valley and leave its floor empty. Otherwise (the saddle), evenly spaced
/// levels strictly between the smallest and largest value.
pub fn levels(surface: &Surface, view: View, count: usize) -> Vec<f64> {
    let grid = Grid::sample(surface, view, 80);
    let (lo, hi) = grid.range();
    let count = count.max(1);
    if lo >= 0.0 {
        let bottom = (hi * 1e-4).max(lo).max(f64::MIN_POSITIVE);
        let (a, b) = (bottom.ln(), hi.ln());
        (0..count)
            .map(|i| (a + (b - a) * (i as f64 + 0.5) / count as f64).exp())
            .collect()
    } else {
        (0..count)
            .map(|i| lo + (hi - lo) * (i as f64 + 1.0) / (count as f64 + 1.0))
            .collect()
    }
}

/// The isolines of `surface` over `view` at each of `levels`, sampled with `resolution`
/// cells along the view's longer side.
pub fn isolines(surface: &Surface, view: View, levels: &[f64], resolution: usize) -> Vec<Isoline> {
    let grid = Grid::sample(surface, view, resolution);
    let builder = contour::ContourBuilder::new(grid.nx, grid.ny, true)
        .x_origin(view.x.0 - 0.5 * grid.step.0)
        .y_origin(view.y.0 - 0.5 * grid.step.1)
        .x_step(grid.step.0)
        .y_step(grid.step.1);
    let lines = builder
        .lines(&grid.values, levels)
        .expect("the grid holds nx·ny values");
    // Half a cell of slack: vertices on the border itself are real crossings.
    let slack = 0.25 * grid.step.0.min(grid.step.1);
    let inside = View::new(
        (view.x.0 - slack, view.x.1 + slack),
        (view.y.0 - slack, view.y.1 + slack),
    );
    lines
        .into_iter()
        .map(|line| {
            let (geometry, level) = line.into_inner();
            let mut pieces = Vec::new();
            for ring in geometry {
                let mut piece: Vec<Point> = Vec::new();
                for c in ring.coords() {
                    let p = Point::new(c.x, c.y);
                    if inside.contains(p) {
                        piece.push(p);
                    } else if piece.len() >= 2 {
                        pieces.push(std::mem::take(&mut piece));
                    } else {
                        piece.clear();
                    }
                }
                if piece.len() >= 2 {
                    pieces.push(piece);
                }
            }
            Isoline {
                level,
                lines: pieces,
            }
        })
        .collect()
}

/// The surface sampled at the nodes of a regular grid covering the view, row by row from
/// the bottom (y = view.y.0), x varying fastest.
struct Grid {
    nx: usize,
    ny: usize,
    step: (f64, f64),
    values: Vec<f64>,
}

impl Grid {
    fn sample(surface: &Surface, view: View, resolution: usize) -> Self {
        let cells = resolution.max(2) as f64;
        let longer = view.width().max(view.height());
        let nx = (cells * view.width() / longer).round().max(2.0) as usize + 1;
        let ny = (cells * view.height() / longer).round().max(2.0) as usize + 1;
        let step = (
            view.width() / (nx - 1) as f64,
            view.height() / (ny - 1) as f64,
        );
        let mut values = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            let y = view.y.0 + j as f64 * step.1;
            for i in 0..nx {
                let x = view.x.0 + i as f64 * step.0;
                values.push(surface.value(Point::new(x, y)));
            }
        }
        Grid {
            nx,
            ny,
            step,
            values,
        }
    }

    fn range(&self) -> (f64, f64) {
        let lo = self.values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = self
            .values
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::SurfaceKind;
    use crate::math::surface::Bowl;

    #[test]
    fn every_vertex_lies_on_its_level_and_inside_the_view() {
        // On the bowl A = 1, B = 20 a swap of x and y would put vertices at f values up to
        // twenty times off.
        for kind in SurfaceKind::ALL {
            let surface = kind.surface();
            let view = surface.view();
            let levels = levels(&surface, view, 12);
            for iso in isolines(&surface, view, &levels, DEFAULT_RESOLUTION) {
                // Linear interpolation along a grid edge of length h is off by at most
                // h²·|f''|/8: allow that, with the local Hessian bounding f''.
                let cell = view.width().max(view.height()) / DEFAULT_RESOLUTION as f64;
                for line in &iso.lines {
                    for &p in line {
                        let f = surface.value(p);
                        let h = surface.hessian(p);
                        let curvature = h.xx.abs() + h.yy.abs() + 2.0 * h.xy.abs();
                        let tolerance = 1e-9 + 0.25 * cell * cell * curvature;
                        assert!(
                            (f - iso.level).abs() <= tolerance,
                            "{kind}: vertex {p} has f = {f}, level {}",
                            iso.level
                        );
                        let margin = 0.26 * cell;
                        assert!(p.x >= view.x.0 - margin && p.x <= view.x.1 + margin, "{p}");
                        assert!(p.y >= view.y.0 - margin && p.y <= view.y.1 + margin, "{p}");
                    }
                }
            }
        }
    }

    #[test]
    fn bowl_isolines_are_the_expected_ellipses() {
        // f = c on ½(x² + 20·y²) is the ellipse with semi-axes √(2c) along x and √(c/10)
        // along y: its widest point is on the x axis.
        let surface = Surface::Bowl(Bowl::default());
        let view = surface.view();
        let c = 1.0;
        let iso = &isolines(&surface, view, &[c], DEFAULT_RESOLUTION)[0];
        let points: Vec<Point> = iso.lines.iter().flatten().copied().collect();
        let max_x = points.iter().map(|p| p.x.abs()).fold(0.0, f64::max);
        let max_y = points.iter().map(|p| p.y.abs()).fold(0.0, f64::max);
        assert!((max_x - 2f64.sqrt()).abs() < 0.01, "x semi-axis {max_x}");
        assert!((max_y - 0.1f64.sqrt()).abs() < 0.01, "y semi-axis {max_y}");
        // A closed ellipse inside the view: one line, closed.
        assert_eq!(iso.lines.len(), 1);
        let line = &iso.lines[0];
        assert!((line[0] - line[line.len() - 1]).norm() < 1e-12);
    }

    #[test]
    fn levels_are_log_spaced_for_the_bowl_and_linear_for_the_saddle() {
        let bowl = SurfaceKind::Bowl.surface();
        let ls = levels(&bowl, bowl.view(), 10);
        let ratios: Vec<f64> = ls.windows(2).map(|w| w[1] / w[0]).collect();
        assert!(
            ratios.iter().all(|r| (r - ratios[0]).abs() < 1e-9),
            "{ratios:?}"
        );
        // The corners (±3, ±2) hold the largest value, ½(1·9 + 20·4) = 44.5.
        assert!(ls[9] < 44.5 && ls[9] > 44.5 * ratios[0].recip());

        let saddle = SurfaceKind::Saddle.surface();
        let ls = levels(&saddle, saddle.view(), 7);
        assert_eq!(ls.len(), 7);
        assert!(
            (ls[3]).abs() < 1e-12,
            "the middle level is the one through the saddle"
        );
        let gaps: Vec<f64> = ls.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.iter().all(|g| (g - 1.0).abs() < 1e-9), "{gaps:?}");
    }

    #[test]
    fn rings_cut_by_the_border_open_up() {
        // High levels of the bowl leave the view at its left and right edges: what remains
        // are open arcs, none running along the border.
        let surface = SurfaceKind::Bowl.surface();
        let view = surface.view();
        let iso = &isolines(&surface, view, &[20.0], DEFAULT_RESOLUTION)[0];
        assert_eq!(iso.lines.len(), 2, "an upper and a lower arc");
        for line in &iso.lines {
            let ends = (line[0], line[line.len() - 1]);
            assert!(
                (ends.0 - ends.1).norm() > 1.0,
                "arc is not closed: {ends:?}"
            );
        }
    }
}
