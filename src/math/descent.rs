//! The update rule and runs built on it.
//!
//! The rule is the heavy ball in velocity form, with the velocity starting at zero:
//!
//! ```text
//! v ← μ·v − η·∇f(p)
//! p ← p + v
//! ```
//!
//! η is the learning rate and μ the momentum; μ = 0 is plain gradient descent. [`heavy_ball`]
//! is the only place the rule is written, and [`Config::advance`] the only place the stopping
//! rule is: single runs, sweeps and the app's fixed tick all step through it.

use super::surface::Hessian;
use super::{Num, Objective, Point, Surface};
use serde::Serialize;
use std::fmt;

/// One heavy-ball update of position `p` and velocity `v`, given the gradient `g` at `p`.
#[inline]
pub fn heavy_ball(p: &mut Point, v: &mut Point, g: Point, params: Params) {
    v.x = params.momentum * v.x - params.lr * g.x;
    v.y = params.momentum * v.y - params.lr * g.y;
    p.x += v.x;
    p.y += v.y;
}

/// The learning rate η and momentum μ of the update rule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Params {
    pub lr: f64,
    pub momentum: f64,
}

impl Params {
    /// # Errors
    /// When η is not a finite number > 0, or μ is not in [0, 1).
    pub fn new(lr: f64, momentum: f64) -> Result<Self, SettingError> {
        check_lr(lr)?;
        check_momentum(momentum)?;
        Ok(Params { lr, momentum })
    }

    /// Plain gradient descent: μ = 0.
    ///
    /// # Errors
    /// When η is not a finite number > 0.
    pub fn plain(lr: f64) -> Result<Self, SettingError> {
        Self::new(lr, 0.0)
    }
}

/// Checks a learning rate: a finite number > 0.
///
/// # Errors
/// [`SettingError::LearningRate`] otherwise.
pub fn check_lr(lr: f64) -> Result<f64, SettingError> {
    if lr > 0.0 && lr.is_finite() {
        Ok(lr)
    } else {
        Err(SettingError::LearningRate(lr))
    }
}

/// Checks a momentum: a number in [0, 1).
///
/// # Errors
/// [`SettingError::Momentum`] otherwise.
pub fn check_momentum(momentum: f64) -> Result<f64, SettingError> {
    if (0.0..1.0).contains(&momentum) {
        // −0 is 0: it would otherwise print as "-0".
        Ok(momentum + 0.0)
    } else {
        Err(SettingError::Momentum(momentum))
    }
}

/// How long a run may go on and when it counts as converged.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Limits {
    /// The most updates a run applies.
    pub max_steps: usize,
    /// A run has converged once ‖∇f(p)‖ < tol.
    pub tol: f64,
}

impl Limits {
    /// The most steps a run may take: a recorded path of this length is about 400 MB.
    pub const MAX_STEPS: usize = 10_000_000;

    /// # Errors
    /// When `max_steps` is not in 1..=10 000 000, or `tol` is not a finite number > 0.
    pub fn new(max_steps: usize, tol: f64) -> Result<Self, SettingError> {
        if !(1..=Self::MAX_STEPS).contains(&max_steps) {
            return Err(SettingError::Steps(max_steps));
        }
        if !(tol > 0.0 && tol.is_finite()) {
            return Err(SettingError::Tolerance(tol));
        }
        Ok(Limits { max_steps, tol })
    }
}

impl Default for Limits {
    /// 1000 steps, tolerance 1e-6.
    fn default() -> Self {
        Limits {
            max_steps: 1000,
            tol: 1e-6,
        }
    }
}

/// A setting outside its accepted range. Messages name the value and the range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingError {
    #[error("learning rate '{}' is out of range (a finite number > 0)", Num(*.0))]
    LearningRate(f64),
    #[error("momentum '{}' is out of range (a number in [0, 1))", Num(*.0))]
    Momentum(f64),
    #[error("steps '{0}' is out of range (1 to 10000000)")]
    Steps(usize),
    #[error("tolerance '{}' is out of range (a finite number > 0)", Num(*.0))]
    Tolerance(f64),
    #[error("start '{0}' is not two finite numbers")]
    StartNotFinite(Point),
    #[error("start {start} is outside the region tracked for {surface} (x in [{}, {}], y in [{}, {}])", Num(.bounds.x.0), Num(.bounds.x.1), Num(.bounds.y.0), Num(.bounds.y.1))]
    StartOutside {
        start: Point,
        surface: &'static str,
        bounds: super::View,
    },
}

/// What the Hessian says about a point where the gradient vanished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stationary {
    /// Both curvatures positive.
    Minimum,
    /// Curvatures of opposite sign: downhill one way, uphill the other.
    Saddle,
    /// Both curvatures negative.
    Maximum,
    /// A curvature is exactly zero (or not a number): the Hessian cannot tell.
    Degenerate,
}

impl Stationary {
    /// Classifies by the signs of the Hessian's eigenvalues.
    pub fn classify(h: Hessian) -> Self {
        let (lo, hi) = h.eigenvalues();
        if lo > 0.0 {
            Stationary::Minimum
        } else if hi < 0.0 {
            Stationary::Maximum
        } else if lo < 0.0 && hi > 0.0 {
            Stationary::Saddle
        } else {
            Stationary::Degenerate
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Stationary::Minimum => "minimum",
            Stationary::Saddle => "saddle",
            Stationary::Maximum => "maximum",
            Stationary::Degenerate => "degenerate",
        }
    }
}

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// ‖∇f(p)‖ fell below the tolerance, at a stationary point of this kind.
    Converged(Stationary),
    /// A coordinate became non-finite or left the tracked region far outside the view.
    Diverged,
    /// Out of steps while still going downhill (or standing still) every step.
    Crawling,
    /// Out of steps, bounded, but not settling: bouncing back and forth, or circling.
    Oscillating,
}

impl Outcome {
    /// "converged", "diverged", "crawling" or "oscillating".
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Converged(_) => "converged",
            Outcome::Diverged => "diverged",
            Outcome::Crawling => "crawling",
            Outcome::Oscillating => "oscillating",
        }
    }

    pub fn stationary(self) -> Option<Stationary> {
        match self {
            Outcome::Converged(s) => Some(s),
            _ => None,
        }
    }
}

/// An outcome and the number of updates applied when it was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stop {
    pub outcome: Outcome,
    /// Converged: the updates applied when ‖∇f‖ < tol first held (the start is step 0).
    /// Diverged: the update that left the region. Otherwise: the step limit.
    pub steps: usize,
}

impl fmt::Display for Stop {
    /// "converged to a minimum in 156 steps", "diverged at step 80", "crawling after 1000
    /// steps".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.steps;
        let steps = if n == 1 { "step" } else { "steps" };
        match self.outcome {
            Outcome::Converged(s) => write!(f, "converged to a {} in {n} {steps}", s.name()),
            Outcome::Diverged => write!(f, "diverged at step {n}"),
            Outcome::Crawling => write!(f, "crawling after {n} {steps}"),
            Outcome::Oscillating => write!(f, "oscillating after {n} {steps}"),
        }
    }
}

/// How many of the last updates decide between crawling and oscillating.
const WINDOW: usize = 32;

/// How far outside its view, in view sizes, a run is still tracked before it counts as
/// diverged.
pub const DIVERGENCE_FACTOR: f64 = 1000.0;

/// Everything a run needs besides the surface and the start: the rule's parameters, the
/// limits, and the region outside which a ball counts as diverged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Config {
    pub params: Params,
    pub limits: Limits,
    tol_squared: f64,
    tiny_tol: bool,
    bounds: super::View,
    surface: &'static str,
}

impl Config {
    pub fn new(surface: &Surface, params: Params, limits: Limits) -> Self {
        let view = surface.view();
        let c = view.center();
        let half = 0.5 * DIVERGENCE_FACTOR * view.width().max(view.height());
        Config {
            params,
            limits,
            tol_squared: limits.tol * limits.tol,
            tiny_tol: limits.tol < 1e-150,
            bounds: super::View::new((c.x - half, c.x + half), (c.y - half, c.y + half)),
            surface: surface.name(),
        }
    }

    /// The region a ball must stay in: a square around the view's centre, a thousand times
    /// the view's longer side across.
    pub fn bounds(&self) -> super::View {
        self.bounds
    }

    /// Checks a start point: two finite numbers inside [`Config::bounds`].
    ///
    /// # Errors
    /// When it is not.
    pub fn check_start(&self, start: Point) -> Result<Point, SettingError> {
        if !start.is_finite() {
            Err(SettingError::StartNotFinite(start))
        } else if !self.bounds.contains(start) {
            Err(SettingError::StartOutside {
                start,
                surface: self.surface,
                bounds: self.bounds,
            })
        } else {
            Ok(start)
        }
    }

    /// Takes one step of a run: decides whether the run has stopped at `p`, and if not,
    /// applies one heavy-ball update to `p` and `v`.
    ///
    /// A call that finds ‖∇f(p)‖ < tol, or the step limit reached, stops the run without
    /// moving; a call that moves the ball out of [`Config::bounds`] moves it and stops the
    /// run as diverged. Once stopped, further calls change nothing and return the same stop.
    #[inline]
    pub fn advance<O: Objective>(
        &self,
        objective: &O,
        p: &mut Point,
        v: &mut Point,
        progress: &mut Progress,
    ) -> Option<Stop> {
        if progress.stop.is_some() {
            return progress.stop;
        }
        let g = objective.gradient(*p);
        let steps = progress.steps;
        let converged = if self.tiny_tol {
            // tol² would underflow: compare the norm itself.
            g.x.hypot(g.y) < self.limits.tol
        } else {
            g.norm_squared() < self.tol_squared
        };
        if converged {
            let stationary = Stationary::classify(objective.hessian(*p));
            return progress.finish(Outcome::Converged(stationary));
        }
        if steps >= self.limits.max_steps {
            return progress.finish(progress.verdict());
        }
        // Only the last WINDOW updates before the limit decide crawling against oscillating;
        // the loss is evaluated just for those.
        let watched = steps + WINDOW.min(self.limits.max_steps) >= self.limits.max_steps;
        let before = if watched { objective.value(*p) } else { 0.0 };
        let previous_velocity = *v;
        heavy_ball(p, v, g, self.params);
        progress.steps = steps + 1;
        let (x, y) = (self.bounds.x, self.bounds.y);
        // Written so that NaN fails the test too.
        if !(p.x >= x.0 && p.x <= x.1 && p.y >= y.0 && p.y <= y.1) {
            return progress.finish(Outcome::Diverged);
        }
        if watched {
            progress.watch(v.dot(previous_velocity) < 0.0, objective.value(*p) > before);
        }
        None
    }

    /// Runs from `start` until it stops, calling `visit` with every point after the start,
    /// the one that left the tracked region included.
    /// Returns the stop and the final point.
    #[inline]
    pub fn drive<O: Objective>(
        &self,
        objective: &O,
        start: Point,
        mut visit: impl FnMut(Point),
    ) -> (Stop, Point) {
        let (mut p, mut v) = (start, Point::ZERO);
        let mut progress = Progress::default();
        loop {
            if let Some(stop) = self.advance(objective, &mut p, &mut v, &mut progress) {
                if stop.outcome == Outcome::Diverged {
                    visit(p);
                }
                return (stop, p);
            }
            visit(p);
        }
    }
}

/// Where a run is: the updates applied so far, what the last of them looked like, and the
/// stop once there is one.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    steps: usize,
    /// One bit per watched update, newest lowest: set when the update reversed direction.
    reversals: u64,
    watched: u32,
    /// Watched updates that raised the loss.
    uphill: u32,
    stop: Option<Stop>,
}

impl Progress {
    /// Updates applied so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    pub fn stop(&self) -> Option<Stop> {
        self.stop
    }

    fn finish(&mut self, outcome: Outcome) -> Option<Stop> {
        self.stop = Some(Stop {
            outcome,
            steps: self.steps,
        });
        self.stop
    }

    fn watch(&mut self, reversed: bool, uphill: bool) {
        self.reversals = (self.reversals << 1) | u64::from(reversed);
        self.watched += 1;
        self.uphill += u32::from(uphill);
    }

    /// Out of steps: oscillating if at least half the watched updates reversed direction or
    /// any of them went uphill; crawling otherwise (still going downhill, or too slowly to
    /// change the loss at all).
    fn verdict(&self) -> Outcome {
        let reversed = self.reversals.count_ones();
        if 2 * reversed >= self.watched || self.uphill > 0 {
            Outcome::Oscillating
        } else {
            Outcome::Crawling
        }
    }
}

/// A run with its whole path: every point from the start on, and the loss at each.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub surface: Surface,
    pub start: Point,
    pub config: Config,
    pub stop: Stop,
    /// `path[k]` is the point after k updates; `path[0]` is the start.
    pub path: Vec<Point>,
    /// `losses[k]` is f(`path[k]`).
    pub losses: Vec<f64>,
}

impl Run {
    /// Runs the rule on `surface` from `start` until it stops, recording every point.
    ///
    /// # Errors
    /// When `start` is not two finite numbers inside the tracked region.
    pub fn new(
        surface: &Surface,
        start: Point,
        params: Params,
        limits: Limits,
    ) -> Result<Self, SettingError> {
        let config = Config::new(surface, params, limits);
        config.check_start(start)?;
        let mut path = vec![start];
        let (stop, _) =
            super::surface::with_objective!(surface, |o| config.drive(o, start, |p| path.push(p)));
        let losses = path.iter().map(|&p| surface.value(p)).collect();
        Ok(Run {
            surface: *surface,
            start,
            config,
            stop,
            path,
            losses,
        })
    }

    pub fn params(&self) -> Params {
        self.config.params
    }

    pub fn final_point(&self) -> Point {
        *self.path.last().expect("a path holds at least its start")
    }

    pub fn final_loss(&self) -> f64 {
        *self.losses.last().expect("a path holds at least its start")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::surface::{Bowl, Rosenbrock};
    use crate::math::{SurfaceKind, theory};

    fn bowl() -> Surface {
        Surface::Bowl(Bowl::default())
    }

    fn run(surface: Surface, start: (f64, f64), lr: f64, mu: f64, steps: usize) -> Run {
        let params = Params::new(lr, mu).unwrap();
        let limits = Limits::new(steps, 1e-6).unwrap();
        Run::new(&surface, Point::new(start.0, start.1), params, limits).unwrap()
    }

    #[test]
    fn first_two_heavy_ball_steps_by_hand() {
        // Bowl A = 1, B = 20, from (−2.5, 1.5), η = 0.05, μ = 0.9:
        // g0 = (−2.5, 30);            v1 = −0.05·g0 = (0.125, −1.5);     p1 = (−2.375, 0)
        // g1 = (−2.375, 0);           v2 = 0.9·v1 − 0.05·g1 = (0.23125, −1.35)
        //                             p2 = (−2.14375, −1.35)
        let r = run(bowl(), (-2.5, 1.5), 0.05, 0.9, 2);
        let close = |a: Point, b: Point| (a - b).norm() < 1e-15;
        assert!(
            close(r.path[1], Point::new(-2.375, 0.0)),
            "p1 = {}",
            r.path[1]
        );
        assert!(
            close(r.path[2], Point::new(-2.14375, -1.35)),
            "p2 = {}",
            r.path[2]
        );
        assert!((r.losses[2] - 0.5 * (2.14375f64.powi(2) + 20.0 * 1.35f64.powi(2))).abs() < 1e-12);
    }

    #[test]
    fn plain_descent_on_the_bowl_converges_iff_lr_below_two_over_b() {
        // 2/B = 0.1. Far below it the x axis is slow (|1 − η·A| near 1): give it the steps.
        for lr in [0.001, 0.01, 0.05, 0.09, 0.095, 0.099] {
            let r = run(bowl(), (-2.5, 1.5), lr, 0.0, 100_000);
            assert_eq!(
                r.stop.outcome,
                Outcome::Converged(Stationary::Minimum),
                "η = {lr}: {}",
                r.stop
            );
        }
        for lr in [0.101, 0.11, 0.2, 1.0, 1e6] {
            let r = run(bowl(), (-2.5, 1.5), lr, 0.0, 100_000);
            assert_eq!(r.stop.outcome, Outcome::Diverged, "η = {lr}: {}", r.stop);
        }
    }

    #[test]
    fn at_lr_two_over_b_the_bowl_oscillates_forever() {
        for steps in [1000, 20_000] {
            let r = run(bowl(), (-2.5, 1.5), 0.1, 0.0, steps);
            assert_eq!(
                r.stop.outcome,
                Outcome::Oscillating,
                "{steps} steps: {}",
                r.stop
            );
            assert_eq!(r.stop.steps, steps);
            // y flips sign every step with unchanged size: 1 − η·B = −1.
            let n = r.path.len() - 1;
            assert_eq!(r.path[n].y, -r.path[n - 1].y);
            assert_eq!(r.path[n].y.abs(), 1.5);
        }
    }

    #[test]
    fn per_step_contraction_is_one_minus_lr_lambda_on_each_axis() {
        for lr in [0.01, 0.03, 0.08, 0.099] {
            let r = run(bowl(), (-2.5, 1.5), lr, 0.0, 30);
            for k in 0..30 {
                let (p, q) = (r.path[k], r.path[k + 1]);
                let (rx, ry) = (q.x / p.x, q.y / p.y);
                assert!(
                    (rx - (1.0 - lr)).abs() < 1e-12,
                    "η = {lr}, step {k}: x ratio {rx}"
                );
                assert!(
                    (ry - (1.0 - 20.0 * lr)).abs() < 1e-9,
                    "η = {lr}, step {k}: y ratio {ry}"
                );
                assert!((rx.abs() - theory::plain_contraction(lr, 1.0)).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn heavy_ball_is_stable_iff_lr_b_below_two_times_one_plus_mu() {
        for mu in [0.0, 0.3, 0.6, 0.9, 0.95] {
            let edge = 2.0 * (1.0 + mu) / 20.0;
            let below = run(bowl(), (-2.5, 1.5), 0.97 * edge, mu, 200_000);
            assert_eq!(
                below.stop.outcome,
                Outcome::Converged(Stationary::Minimum),
                "μ = {mu}, η = 0.97·edge: {}",
                below.stop
            );
            let above = run(bowl(), (-2.5, 1.5), 1.03 * edge, mu, 200_000);
            assert_eq!(
                above.stop.outcome,
                Outcome::Diverged,
                "μ = {mu}: {}",
                above.stop
            );
            assert!(theory::heavy_ball_stable(0.97 * edge, mu, 20.0));
            assert!(!theory::heavy_ball_stable(1.03 * edge, mu, 20.0));
        }
    }

    #[test]
    fn momentum_wins_at_a_small_rate_and_loses_near_the_best_plain_rate() {
        // The pinned numbers the README quotes (a test there keeps them in sync).
        let small = 0.02;
        let plain = run(bowl(), (-2.5, 1.5), small, 0.0, 5000).stop;
        let heavy = run(bowl(), (-2.5, 1.5), small, 0.9, 5000).stop;
        assert_eq!(plain.outcome, Outcome::Converged(Stationary::Minimum));
        assert_eq!(heavy.outcome, Outcome::Converged(Stationary::Minimum));
        assert!(
            heavy.steps * 2 < plain.steps,
            "η = {small}: {heavy} vs {plain}"
        );

        let best = theory::best_plain_lr(1.0, 20.0);
        assert!((best - 2.0 / 21.0).abs() < 1e-15);
        let plain = run(bowl(), (-2.5, 1.5), best, 0.0, 5000).stop;
        let heavy = run(bowl(), (-2.5, 1.5), best, 0.9, 5000).stop;
        assert_eq!(heavy.outcome, Outcome::Converged(Stationary::Minimum));
        assert!(heavy.steps > plain.steps, "η = 2/21: {heavy} vs {plain}");

        // And the counts are what the rates predict: steps ≈ ln(‖g0‖/tol) / −ln(rate).
        let predict = |rate: f64| (2.5e6f64).ln() / -rate.ln();
        let plain_small = run(bowl(), (-2.5, 1.5), small, 0.0, 5000).stop.steps as f64;
        let rate = theory::plain_contraction(small, 1.0);
        assert!(
            (plain_small / predict(rate) - 1.0).abs() < 0.02,
            "{plain_small}"
        );
        let heavy_best = heavy.steps as f64;
        let rate =
            theory::heavy_ball_rate(best, 0.9, 1.0).max(theory::heavy_ball_rate(best, 0.9, 20.0));
        assert!(
            (heavy_best / predict(rate) - 1.0).abs() < 0.25,
            "{heavy_best} vs {}",
            predict(rate)
        );
    }

    #[test]
    fn steps_count_updates_with_the_start_as_step_zero() {
        let at_min = run(bowl(), (0.0, 0.0), 0.05, 0.0, 10);
        assert_eq!(
            at_min.stop,
            Stop {
                outcome: Outcome::Converged(Stationary::Minimum),
                steps: 0
            }
        );
        assert_eq!(at_min.path.len(), 1);
        // On the round bowl A = B = 2, η = 1/2 lands on the minimum in one update.
        let round = Surface::Bowl(Bowl::new(2.0, 2.0).unwrap());
        let one = run(round, (1.5, -0.5), 0.5, 0.0, 10);
        assert_eq!(one.stop.steps, 1);
        assert_eq!(one.final_point(), Point::ZERO);
        assert_eq!(one.path.len(), 2);
    }

    #[test]
    fn small_rates_crawl() {
        let r = run(bowl(), (-2.5, 1.5), 0.001, 0.0, 500);
        assert_eq!(
            r.stop,
            Stop {
                outcome: Outcome::Crawling,
                steps: 500
            }
        );
        assert_eq!(r.path.len(), 501);
        assert!(r.losses.windows(2).all(|w| w[1] < w[0]));
    }

    #[test]
    fn diverged_runs_record_the_step_that_left() {
        let r = run(bowl(), (-2.5, 1.5), 0.105, 0.0, 1000);
        assert_eq!(r.stop.outcome, Outcome::Diverged);
        // |y| grows by |1 − 0.105·20| = 1.1 a step, from 1.5 to past the bound 3000.
        let k = r.stop.steps;
        let predicted = ((3000.0f64 / 1.5).ln() / 1.1f64.ln()).ceil() as usize;
        assert_eq!(k, predicted);
        assert_eq!(r.path.len(), k + 1);
        assert!(r.final_point().y.abs() > 3000.0 && r.path[k - 1].y.abs() <= 3000.0);
    }

    #[test]
    fn rosenbrock_at_lr_0_002_settles_into_a_two_point_cycle() {
        let s = Surface::Rosenbrock(Rosenbrock);
        for steps in [20_000, 100_000] {
            let r = run(s, (-1.5, 2.0), 0.002, 0.0, steps);
            assert_eq!(
                r.stop.outcome,
                Outcome::Oscillating,
                "{steps} steps: {}",
                r.stop
            );
        }
        // The slow direction takes its time to settle; by 100 000 steps the cycle is exact.
        let r = run(s, (-1.5, 2.0), 0.002, 0.0, 100_000);
        let n = r.path.len() - 1;
        let (a, b, c) = (r.path[n], r.path[n - 1], r.path[n - 2]);
        assert!((a - c).norm() < 1e-12, "period two: {a} vs {c}");
        assert!((a - b).norm() > 1e-4, "but not a fixed point: {a} vs {b}");
        // The cycle straddles the minimum's stiff direction: 0.002 > 2/1001.6.
        assert!(!theory::plain_stable(0.002, 1001.6));
        let converged = run(s, (-1.5, 2.0), 0.001, 0.0, 100_000);
        assert_eq!(
            converged.stop.outcome,
            Outcome::Converged(Stationary::Minimum)
        );
        assert!((converged.final_point() - Point::new(1.0, 1.0)).norm() < 1e-5);
    }

    #[test]
    fn a_run_that_stops_on_the_saddle_says_so() {
        let saddle = SurfaceKind::Saddle.surface();
        let on_axis = run(saddle, (-1.5, 0.0), 0.1, 0.0, 1000);
        assert_eq!(on_axis.stop.outcome, Outcome::Converged(Stationary::Saddle));
        let off_axis = run(saddle, (-1.5, 0.05), 0.1, 0.0, 1000);
        assert_eq!(off_axis.stop.outcome, Outcome::Diverged);
    }

    #[test]
    fn himmelblau_descent_reaches_a_known_minimum() {
        let s = SurfaceKind::Himmelblau.surface();
        let r = run(s, (-0.5, -4.0), 0.01, 0.0, 5000);
        assert_eq!(
            r.stop.outcome,
            Outcome::Converged(Stationary::Minimum),
            "{}",
            r.stop
        );
        let nearest = s.minima().into_iter().map(|m| (m - r.final_point()).norm());
        assert!(nearest.fold(f64::INFINITY, f64::min) < 1e-6);
    }

    #[test]
    fn the_local_maximum_of_himmelblau_is_classified() {
        let h = SurfaceKind::Himmelblau
            .surface()
            .hessian(Point::new(-0.270845, -0.923039));
        assert_eq!(Stationary::classify(h), Stationary::Maximum);
    }

    #[test]
    fn stopped_progress_stays_stopped() {
        let s = bowl();
        let config = Config::new(
            &s,
            Params::plain(0.05).unwrap(),
            Limits::new(3, 1e-6).unwrap(),
        );
        let (mut p, mut v, mut progress) = (Point::new(1.0, 1.0), Point::ZERO, Progress::default());
        let mut stops = Vec::new();
        for _ in 0..6 {
            stops.push(config.advance(&s, &mut p, &mut v, &mut progress));
        }
        assert_eq!(stops[..3], [None, None, None]);
        let stop = Stop {
            outcome: Outcome::Crawling,
            steps: 3,
        };
        assert_eq!(stops[3..], [Some(stop); 3]);
        assert_eq!(progress.steps(), 3);
    }

    #[test]
    fn a_ball_too_slow_to_move_is_crawling_not_oscillating() {
        // η·∇f below one floating-point step of p: the ball never moves, the loss never rises.
        let r = run(bowl(), (-2.5, 1.5), 1e-20, 0.0, 100);
        assert_eq!(
            r.stop,
            Stop {
                outcome: Outcome::Crawling,
                steps: 100
            }
        );
        assert_eq!(r.final_point(), Point::new(-2.5, 1.5));
    }

    #[test]
    fn a_tolerance_whose_square_underflows_still_converges_on_an_exact_zero_gradient() {
        // On the round bowl A = B = 2, η = 1/2 lands exactly on the minimum: ‖∇f‖ = 0 < tol
        // for any tol > 0, though tol² = 0 in f64.
        let round = Surface::Bowl(Bowl::new(2.0, 2.0).unwrap());
        let limits = Limits::new(10, 5e-324).unwrap();
        let r = Run::new(
            &round,
            Point::new(1.5, -0.5),
            Params::plain(0.5).unwrap(),
            limits,
        )
        .unwrap();
        assert_eq!(
            r.stop,
            Stop {
                outcome: Outcome::Converged(Stationary::Minimum),
                steps: 1
            }
        );
    }

    #[test]
    fn stationary_points_are_classified_by_the_signs_of_the_curvatures() {
        let h = |xx, xy, yy| Hessian { xx, xy, yy };
        assert_eq!(Stationary::classify(h(1e6, 0.0, 1e-6)), Stationary::Minimum);
        assert_eq!(
            Stationary::classify(h(-1.0, 0.0, -3.0)),
            Stationary::Maximum
        );
        assert_eq!(Stationary::classify(h(1.0, 2.0, 1.0)), Stationary::Saddle);
        assert_eq!(
            Stationary::classify(h(1.0, 1.0, 1.0)),
            Stationary::Degenerate
        );
    }

    #[test]
    fn settings_outside_their_ranges_are_refused_with_the_range() {
        let cases = [
            (
                Params::new(0.0, 0.0).unwrap_err(),
                "learning rate '0' is out of range (a finite number > 0)",
            ),
            (
                Params::new(-1.0, 0.0).unwrap_err(),
                "learning rate '-1' is out of range (a finite number > 0)",
            ),
            (
                Params::new(f64::NAN, 0.0).unwrap_err(),
                "learning rate 'NaN' is out of range (a finite number > 0)",
            ),
            (
                Params::new(0.1, 1.0).unwrap_err(),
                "momentum '1' is out of range (a number in [0, 1))",
            ),
            (
                Params::new(0.1, -0.1).unwrap_err(),
                "momentum '-0.1' is out of range (a number in [0, 1))",
            ),
            (
                Limits::new(0, 1e-6).unwrap_err(),
                "steps '0' is out of range (1 to 10000000)",
            ),
            (
                Limits::new(10, 0.0).unwrap_err(),
                "tolerance '0' is out of range (a finite number > 0)",
            ),
        ];
        for (err, expected) in cases {
            assert_eq!(err.to_string(), expected);
        }
        let config = Config::new(&bowl(), Params::plain(0.1).unwrap(), Limits::default());
        let err = config
            .check_start(Point::new(f64::INFINITY, 0.0))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "start '(inf, 0)' is not two finite numbers"
        );
        let err = config.check_start(Point::new(1e4, 0.0)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "start (10000, 0) is outside the region tracked for bowl (x in [-3000, 3000], y in [-3000, 3000])"
        );
    }
}
