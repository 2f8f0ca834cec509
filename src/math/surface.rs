//! Loss surfaces: each a function of two parameters with its gradient and Hessian derived by
//! hand, its known minima, a default view window and a default start.
//!
//! No automatic differentiation stands in for a derivative here: each one is written out in
//! its doc comment and checked against central differences in the tests below.

use super::Point;
use std::fmt;
use std::str::FromStr;

/// The symmetric 2×2 Hessian `[[xx, xy], [xy, yy]]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hessian {
    pub xx: f64,
    pub xy: f64,
    pub yy: f64,
}

impl Hessian {
    /// Both eigenvalues, smaller first: `(tr ∓ √(tr² − 4·det)) / 2`, written so it stays exact
    /// for a diagonal matrix.
    pub fn eigenvalues(&self) -> (f64, f64) {
        let mean = 0.5 * (self.xx + self.yy);
        let half_gap = (0.5 * (self.xx - self.yy)).hypot(self.xy);
        (mean - half_gap, mean + half_gap)
    }
}

/// A twice-differentiable function of two parameters, with hand-derived derivatives.
pub trait Objective {
    /// f(p).
    fn value(&self, p: Point) -> f64;
    /// ∇f(p) = (∂f/∂x, ∂f/∂y).
    fn gradient(&self, p: Point) -> Point;
    /// ∇²f(p).
    fn hessian(&self, p: Point) -> Hessian;
}

/// The bowl f(x, y) = ½(A·x² + B·y²), a quadratic with curvatures A and B along the axes.
///
/// - ∇f = (A·x, B·y)
/// - ∇²f = [[A, 0], [0, B]], constant, so the bowl is where quadratic theory is exact.
/// - One minimum, at (0, 0), with f = 0. With A = 1 and B = 20 (the defaults) the bowl is a
///   narrow valley along x, condition number B/A = 20.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bowl {
    a: f64,
    b: f64,
}

impl Bowl {
    pub const DEFAULT_A: f64 = 1.0;
    pub const DEFAULT_B: f64 = 20.0;
    /// The curvatures accepted: up to 1e6 so f stays finite far outside the view, and from
    /// 1e-6 so the bowl stays a bowl.
    pub const MIN_CURVATURE: f64 = 1e-6;
    pub const MAX_CURVATURE: f64 = 1e6;

    /// A bowl with curvatures `a` along x and `b` along y.
    ///
    /// # Errors
    /// When either curvature is not a number in [1e-6, 1e6].
    pub fn new(a: f64, b: f64) -> Result<Self, SurfaceError> {
        for (name, value) in [("A", a), ("B", b)] {
            if !(Self::MIN_CURVATURE..=Self::MAX_CURVATURE).contains(&value) {
                return Err(SurfaceError::Curvature { name, value });
            }
        }
        Ok(Bowl { a, b })
    }

    pub fn a(&self) -> f64 {
        self.a
    }

    pub fn b(&self) -> f64 {
        self.b
    }
}

impl Default for Bowl {
    fn default() -> Self {
        Bowl {
            a: Self::DEFAULT_A,
            b: Self::DEFAULT_B,
        }
    }
}

impl Objective for Bowl {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        0.5 * (self.a * p.x * p.x + self.b * p.y * p.y)
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        Point::new(self.a * p.x, self.b * p.y)
    }

    fn hessian(&self, _p: Point) -> Hessian {
        Hessian {
            xx: self.a,
            xy: 0.0,
            yy: self.b,
        }
    }
}

/// The saddle f(x, y) = x² − y²: a minimum along x, a maximum along y.
///
/// - ∇f = (2x, −2y)
/// - ∇²f = [[2, 0], [0, −2]]
/// - No minimum: f is unbounded below along y. The only stationary point, (0, 0), is a
///   saddle. Descent started exactly on the x axis converges to it; started off the axis it
///   slides away along y.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Saddle;

impl Objective for Saddle {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        p.x * p.x - p.y * p.y
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        Point::new(2.0 * p.x, -2.0 * p.y)
    }

    fn hessian(&self, _p: Point) -> Hessian {
        Hessian {
            xx: 2.0,
            xy: 0.0,
            yy: -2.0,
        }
    }
}

/// Rosenbrock's banana f(x, y) = (1 − x)² + 100·(y − x²)².
///
/// - ∂f/∂x = −2(1 − x) − 400·x·(y − x²)
/// - ∂f/∂y = 200·(y − x²)
/// - ∂²f/∂x² = 2 − 400·(y − x²) + 800·x² = 2 − 400·y + 1200·x²
/// - ∂²f/∂x∂y = −400·x
/// - ∂²f/∂y² = 200
/// - One minimum, at (1, 1), with f = 0, at the end of a long curved valley y ≈ x². There the
///   Hessian [[802, −400], [−400, 200]] has eigenvalues ≈ 1001.6 and 0.3994, so plain descent
///   is only stable there for η < 2/1001.6 ≈ 0.001997.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rosenbrock;

impl Objective for Rosenbrock {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        let valley = p.y - p.x * p.x;
        (1.0 - p.x).powi(2) + 100.0 * valley * valley
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        let valley = p.y - p.x * p.x;
        Point::new(-2.0 * (1.0 - p.x) - 400.0 * p.x * valley, 200.0 * valley)
    }

    fn hessian(&self, p: Point) -> Hessian {
        Hessian {
            xx: 2.0 - 400.0 * p.y + 1200.0 * p.x * p.x,
            xy: -400.0 * p.x,
            yy: 200.0,
        }
    }
}

/// Himmelblau's function f(x, y) = (x² + y − 11)² + (x + y² − 7)².
///
/// With u = x² + y − 11 and w = x + y² − 7:
/// - ∂f/∂x = 4·x·u + 2·w
/// - ∂f/∂y = 2·u + 4·y·w
/// - ∂²f/∂x² = 4·u + 8·x² + 2
/// - ∂²f/∂x∂y = 4·x + 4·y
/// - ∂²f/∂y² = 2 + 4·w + 8·y²
/// - Four minima, all with f = 0: (3, 2), (−2.805118, 3.131313), (−3.779310, −3.283186) and
///   (3.584428, −1.848127); a local maximum near (−0.270845, −0.923039) and four saddles.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Himmelblau;

impl Objective for Himmelblau {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        let u = p.x * p.x + p.y - 11.0;
        let w = p.x + p.y * p.y - 7.0;
        u * u + w * w
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        let u = p.x * p.x + p.y - 11.0;
        let w = p.x + p.y * p.y - 7.0;
        Point::new(4.0 * p.x * u + 2.0 * w, 2.0 * u + 4.0 * p.y * w)
    }

    fn hessian(&self, p: Point) -> Hessian {
        let u = p.x * p.x + p.y - 11.0;
        let w = p.x + p.y * p.y - 7.0;
        Hessian {
            xx: 4.0 * u + 8.0 * p.x * p.x + 2.0,
            xy: 4.0 * (p.x + p.y),
            yy: 2.0 + 4.0 * w + 8.0 * p.y * p.y,
        }
    }
}

/// The names of the built-in surfaces, as typed on the command line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SurfaceKind {
    #[default]
    Bowl,
    Saddle,
    Rosenbrock,
    Himmelblau,
}

impl SurfaceKind {
    pub const ALL: [SurfaceKind; 4] = [
        SurfaceKind::Bowl,
        SurfaceKind::Saddle,
        SurfaceKind::Rosenbrock,
        SurfaceKind::Himmelblau,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SurfaceKind::Bowl => "bowl",
            SurfaceKind::Saddle => "saddle",
            SurfaceKind::Rosenbrock => "rosenbrock",
            SurfaceKind::Himmelblau => "himmelblau",
        }
    }

    /// The surface with its default parameters.
    pub fn surface(self) -> Surface {
        match self {
            SurfaceKind::Bowl => Surface::Bowl(Bowl::default()),
            SurfaceKind::Saddle => Surface::Saddle(Saddle),
            SurfaceKind::Rosenbrock => Surface::Rosenbrock(Rosenbrock),
            SurfaceKind::Himmelblau => Surface::Himmelblau(Himmelblau),
        }
    }

    /// "bowl, saddle, rosenbrock, himmelblau", for messages.
    pub fn known() -> String {
        let names: Vec<_> = Self::ALL.iter().map(|k| k.name()).collect();
        names.join(", ")
    }
}

impl fmt::Display for SurfaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SurfaceKind {
    type Err = SurfaceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| SurfaceError::Unknown(s.to_owned()))
    }
}

/// Why a surface could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SurfaceError {
    #[error("unknown surface '{0}' (known: {known})", known = SurfaceKind::known())]
    Unknown(String),
    #[error("bowl curvature {name} = '{}' is out of range (a number in [1e-6, 1e6])", super::Num(*.value))]
    Curvature { name: &'static str, value: f64 },
}

/// The rectangle of parameter space a surface is shown over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl View {
    pub const fn new(x: (f64, f64), y: (f64, f64)) -> Self {
        View { x, y }
    }

    pub fn width(&self) -> f64 {
        self.x.1 - self.x.0
    }

    pub fn height(&self) -> f64 {
        self.y.1 - self.y.0
    }

    pub fn center(&self) -> Point {
        Point::new(0.5 * (self.x.0 + self.x.1), 0.5 * (self.y.0 + self.y.1))
    }

    pub fn contains(&self, p: Point) -> bool {
        (self.x.0..=self.x.1).contains(&p.x) && (self.y.0..=self.y.1).contains(&p.y)
    }

    /// The nearest point of the view; a non-finite coordinate goes to the centre's.
    pub fn clamp(&self, p: Point) -> Point {
        let c = self.center();
        let clamp = |v: f64, (lo, hi): (f64, f64), mid: f64| {
            if v.is_nan() { mid } else { v.clamp(lo, hi) }
        };
        Point::new(clamp(p.x, self.x, c.x), clamp(p.y, self.y, c.y))
    }
}

/// One of the built-in surfaces, with its parameters.
///
/// Runs over a `Surface` dispatch once, outside the step loop, to the concrete surface, so
/// the loop itself is monomorphic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Surface {
    Bowl(Bowl),
    Saddle(Saddle),
    Rosenbrock(Rosenbrock),
    Himmelblau(Himmelblau),
}

impl Default for Surface {
    fn default() -> Self {
        Surface::Bowl(Bowl::default())
    }
}

/// Calls `$body` with `$obj` bound to the concrete surface inside `$surface`.
macro_rules! with_objective {
    ($surface:expr, |$obj:ident| $body:expr) => {
        match $surface {
            $crate::math::Surface::Bowl($obj) => $body,
            $crate::math::Surface::Saddle($obj) => $body,
            $crate::math::Surface::Rosenbrock($obj) => $body,
            $crate::math::Surface::Himmelblau($obj) => $body,
        }
    };
}
pub(crate) use with_objective;

impl Surface {
    pub fn kind(&self) -> SurfaceKind {
        match self {
            Surface::Bowl(_) => SurfaceKind::Bowl,
            Surface::Saddle(_) => SurfaceKind::Saddle,
            Surface::Rosenbrock(_) => SurfaceKind::Rosenbrock,
            Surface::Himmelblau(_) => SurfaceKind::Himmelblau,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// The formula, for titles and read-outs.
    pub fn formula(&self) -> String {
        match self {
            Surface::Bowl(b) => format!("½({}·x² + {}·y²)", super::Num(b.a), super::Num(b.b)),
            Surface::Saddle(_) => "x² − y²".into(),
            Surface::Rosenbrock(_) => "(1 − x)² + 100(y − x²)²".into(),
            Surface::Himmelblau(_) => "(x² + y − 11)² + (x + y² − 7)²".into(),
        }
    }

    /// The window the surface is drawn over, chosen so its minima and interesting paths fit.
    pub fn view(&self) -> View {
        match self {
            Surface::Bowl(_) => View::new((-3.0, 3.0), (-2.0, 2.0)),
            Surface::Saddle(_) => View::new((-2.0, 2.0), (-2.0, 2.0)),
            Surface::Rosenbrock(_) => View::new((-2.0, 2.0), (-1.0, 3.0)),
            Surface::Himmelblau(_) => View::new((-5.0, 5.0), (-5.0, 5.0)),
        }
    }

    /// Where a ball starts unless told otherwise.
    pub fn default_start(&self) -> Point {
        match self {
            Surface::Bowl(_) => Point::new(-2.5, 1.5),
            // Just off the ridge, so the ball first heads for the saddle, then slides away.
            Surface::Saddle(_) => Point::new(-1.8, 0.05),
            Surface::Rosenbrock(_) => Point::new(-1.5, 2.0),
            Surface::Himmelblau(_) => Point::new(-0.5, -4.0),
        }
    }

    /// The known minima (empty for the saddle, which has none).
    pub fn minima(&self) -> Vec<Point> {
        match self {
            Surface::Bowl(_) => vec![Point::ZERO],
            Surface::Saddle(_) => vec![],
            Surface::Rosenbrock(_) => vec![Point::new(1.0, 1.0)],
            Surface::Himmelblau(_) => vec![
                Point::new(3.0, 2.0),
                Point::new(-2.805_118_086_952_745, 3.131_312_518_250_573),
                Point::new(-3.779_310_253_377_747, -3.283_185_991_286_17),
                Point::new(3.584_428_340_330_492, -1.848_126_526_964_404),
            ],
        }
    }

    /// Whether the surface's values span so many decades that a plot should use log-spaced
    /// contour levels and the heightfield a log height.
    pub fn wide_range(&self) -> bool {
        matches!(self, Surface::Rosenbrock(_) | Surface::Himmelblau(_))
    }
}

impl Objective for Surface {
    fn value(&self, p: Point) -> f64 {
        with_objective!(self, |o| o.value(p))
    }

    fn gradient(&self, p: Point) -> Point {
        with_objective!(self, |o| o.gradient(p))
    }

    fn hessian(&self, p: Point) -> Hessian {
        with_objective!(self, |o| o.hessian(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces() -> Vec<Surface> {
        let mut all: Vec<Surface> = SurfaceKind::ALL.iter().map(|k| k.surface()).collect();
        all.push(Surface::Bowl(Bowl::new(3.0, 0.5).unwrap()));
        all
    }

    /// A 21 × 21 grid over the view, plus points just outside it.
    fn sample_points(view: View) -> Vec<Point> {
        let n = 20;
        let mut points = Vec::new();
        for i in 0..=n {
            for j in 0..=n {
                let x = view.x.0 + view.width() * (i as f64 / n as f64) * 1.1 - 0.05;
                let y = view.y.0 + view.height() * (j as f64 / n as f64) * 1.1 - 0.05;
                points.push(Point::new(x, y));
            }
        }
        points
    }

    /// Central difference of `g` along x and y with step `h`.
    fn central<F: Fn(Point) -> f64>(g: F, p: Point, h: f64) -> (f64, f64) {
        let dx = (g(Point::new(p.x + h, p.y)) - g(Point::new(p.x - h, p.y))) / (2.0 * h);
        let dy = (g(Point::new(p.x, p.y + h)) - g(Point::new(p.x, p.y - h))) / (2.0 * h);
        (dx, dy)
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * (1.0 + a.abs().max(b.abs()))
    }

    #[test]
    fn gradients_match_central_differences_over_each_view() {
        for s in surfaces() {
            for p in sample_points(s.view()) {
                let g = s.gradient(p);
                let (dx, dy) = central(|q| s.value(q), p, 1e-5);
                assert!(
                    close(g.x, dx, 1e-6) && close(g.y, dy, 1e-6),
                    "{} at {p}: gradient {g} but central differences ({dx}, {dy})",
                    s.name()
                );
            }
        }
    }

    #[test]
    fn hessians_match_central_differences_of_the_gradient() {
        for s in surfaces() {
            for p in sample_points(s.view()) {
                let h = s.hessian(p);
                let (xx, yx) = central(|q| s.gradient(q).x, p, 1e-5);
                let (xy, yy) = central(|q| s.gradient(q).y, p, 1e-5);
                let name = s.name();
                assert!(close(h.xx, xx, 1e-6), "{name} at {p}: fxx {} vs {xx}", h.xx);
                assert!(close(h.yy, yy, 1e-6), "{name} at {p}: fyy {} vs {yy}", h.yy);
                assert!(close(h.xy, yx, 1e-6), "{name} at {p}: fxy {} vs {yx}", h.xy);
                assert!(close(h.xy, xy, 1e-6), "{name} at {p}: fyx {} vs {xy}", h.xy);
            }
        }
    }

    #[test]
    fn known_minima_are_minima() {
        for s in surfaces() {
            for m in s.minima() {
                assert!(
                    s.value(m).abs() < 1e-20,
                    "{}: f{m} = {}",
                    s.name(),
                    s.value(m)
                );
                assert!(s.gradient(m).norm() < 1e-9, "{}: ∇f{m}", s.name());
                let (lo, hi) = s.hessian(m).eigenvalues();
                assert!(
                    lo > 0.0 && hi > 0.0,
                    "{}: Hessian at {m} not positive",
                    s.name()
                );
                assert!(
                    s.view().contains(m),
                    "{}: minimum {m} outside view",
                    s.name()
                );
            }
        }
    }

    #[test]
    fn himmelblau_minima_are_fixed_points_of_newtons_method() {
        // Newton's step uses the hand-derived Hessian: if it were wrong, the minima would
        // drift away from the tabulated values.
        let s = Himmelblau;
        for m in Surface::Himmelblau(s).minima() {
            let mut p = Point::new(m.x + 0.05, m.y - 0.05);
            for _ in 0..20 {
                let h = s.hessian(p);
                let g = s.gradient(p);
                let det = h.xx * h.yy - h.xy * h.xy;
                let step = Point::new(
                    (h.yy * g.x - h.xy * g.y) / det,
                    (h.xx * g.y - h.xy * g.x) / det,
                );
                p = p - step;
            }
            assert!((p - m).norm() < 1e-12, "Newton from near {m} reached {p}");
        }
    }

    #[test]
    fn rosenbrock_hessian_at_the_minimum() {
        let h = Rosenbrock.hessian(Point::new(1.0, 1.0));
        assert_eq!((h.xx, h.xy, h.yy), (802.0, -400.0, 200.0));
        let (lo, hi) = h.eigenvalues();
        assert!((hi - 1001.6006).abs() < 1e-3, "largest eigenvalue {hi}");
        assert!((lo - 0.399_360).abs() < 1e-5, "smallest eigenvalue {lo}");
        assert!((lo * hi - 400.0).abs() < 1e-9, "determinant");
    }

    #[test]
    fn bowl_values_by_hand() {
        let bowl = Bowl::default();
        let p = Point::new(-2.5, 1.5);
        assert_eq!(bowl.value(p), 0.5 * (6.25 + 20.0 * 2.25));
        assert_eq!(bowl.gradient(p), Point::new(-2.5, 30.0));
        assert_eq!(bowl.hessian(p).eigenvalues(), (1.0, 20.0));
    }

    #[test]
    fn saddle_origin_is_a_saddle() {
        let (lo, hi) = Saddle.hessian(Point::ZERO).eigenvalues();
        assert_eq!((lo, hi), (-2.0, 2.0));
        assert!(Surface::Saddle(Saddle).minima().is_empty());
    }

    #[test]
    fn bowl_curvatures_are_validated() {
        assert!(Bowl::new(1.0, 20.0).is_ok());
        for (a, b) in [
            (0.0, 1.0),
            (1.0, -2.0),
            (f64::NAN, 1.0),
            (1.0, f64::INFINITY),
            (1e-7, 1.0),
            (1.0, 2e6),
        ] {
            let err = Bowl::new(a, b).unwrap_err().to_string();
            assert!(err.contains("[1e-6, 1e6]"), "{err}");
        }
    }

    #[test]
    fn surface_names_parse_and_unknown_ones_list_the_known() {
        for k in SurfaceKind::ALL {
            assert_eq!(k.name().parse::<SurfaceKind>(), Ok(k));
        }
        assert_eq!(
            "Rosenbrock".parse::<SurfaceKind>(),
            Ok(SurfaceKind::Rosenbrock)
        );
        let err = "banana".parse::<SurfaceKind>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown surface 'banana' (known: bowl, saddle, rosenbrock, himmelblau)"
        );
    }

    #[test]
    fn default_starts_sit_inside_their_views() {
        for s in surfaces() {
            assert!(s.view().contains(s.default_start()), "{}", s.name());
        }
    }
}
