//! A scene: what the app shows. A surface, a start, and the balls that race from it.
//!
//! Built-in scenes race plain descent against momentum at the same learning rate. A scene is
//! plain data with no Bevy in it, so the command line can build one, tests can check one, and
//! later a file can hold one.

use crate::math::{Config, Limits, Params, Point, SettingError, Surface, SurfaceKind};

/// One ball: a label and the rule's parameters it rolls under.
#[derive(Clone, Debug, PartialEq)]
pub struct BallSpec {
    pub label: String,
    pub params: Params,
}

/// A surface, a start, the balls, and the limits every ball runs under.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    pub surface: Surface,
    pub start: Point,
    pub balls: Vec<BallSpec>,
    pub limits: Limits,
}

/// The step limit in the app: long enough for the slowest built-in race to finish.
pub const APP_MAX_STEPS: usize = 20_000;

/// The learning rate and momentum a built-in race uses on each surface, chosen so momentum's
/// difference is plain to see: on the bowl both converge and momentum takes about a third of
/// the steps; on the saddle both slide off and momentum escapes sooner; on Rosenbrock plain
/// descent crawls along the valley while momentum converges; on Himmelblau momentum carries
/// its ball past the nearest minimum into another basin.
pub fn default_race(kind: SurfaceKind) -> (f64, f64) {
    match kind {
        SurfaceKind::Bowl => (0.02, 0.9),
        SurfaceKind::Saddle => (0.05, 0.9),
        SurfaceKind::Rosenbrock => (0.001, 0.95),
        SurfaceKind::Himmelblau => (0.01, 0.9),
    }
}

impl Scene {
    /// Plain descent against momentum μ, both at learning rate η, from `start`.
    ///
    /// # Errors
    /// When η, μ or the start are out of range.
    pub fn race(
        surface: Surface,
        start: Point,
        lr: f64,
        momentum: f64,
    ) -> Result<Self, SettingError> {
        let plain = Params::plain(lr)?;
        let heavy = Params::new(lr, momentum)?;
        let limits = Limits::new(APP_MAX_STEPS, 1e-6)?;
        Config::new(&surface, plain, limits).check_start(start)?;
        Ok(Scene {
            surface,
            start,
            balls: vec![
                BallSpec {
                    label: "plain descent".into(),
                    params: plain,
                },
                BallSpec {
                    label: "momentum".into(),
                    params: heavy,
                },
            ],
            limits,
        })
    }

    /// The built-in race on `surface`, from its default start.
    pub fn builtin(surface: Surface) -> Self {
        let (lr, momentum) = default_race(surface.kind());
        Self::race(surface, surface.default_start(), lr, momentum)
            .expect("built-in races use in-range settings")
    }
}

impl Default for Scene {
    /// The bowl race.
    fn default() -> Self {
        Self::builtin(Surface::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::{Outcome, Run, Stationary, Stop};

    fn stops(scene: &Scene) -> Vec<(Stop, Point)> {
        let run = |b: &BallSpec| Run::new(&scene.surface, scene.start, b.params, scene.limits);
        let runs = scene.balls.iter().map(|b| run(b).unwrap());
        runs.map(|r| (r.stop, r.final_point())).collect()
    }

    #[test]
    fn each_builtin_race_shows_what_its_doc_says() {
        let minimum = Outcome::Converged(Stationary::Minimum);

        let bowl = stops(&Scene::builtin(SurfaceKind::Bowl.surface()));
        assert_eq!((bowl[0].0.outcome, bowl[1].0.outcome), (minimum, minimum));
        assert!(
            3 * bowl[1].0.steps < bowl[0].0.steps + bowl[0].0.steps / 5,
            "{bowl:?}"
        );

        let saddle = stops(&Scene::builtin(SurfaceKind::Saddle.surface()));
        assert_eq!(saddle[0].0.outcome, Outcome::Diverged);
        assert_eq!(saddle[1].0.outcome, Outcome::Diverged);
        assert!(saddle[1].0.steps < saddle[0].0.steps / 2, "{saddle:?}");

        let banana = stops(&Scene::builtin(SurfaceKind::Rosenbrock.surface()));
        assert_eq!(banana[0].0.outcome, Outcome::Crawling);
        assert_eq!(banana[1].0.outcome, minimum);

        let himmelblau = SurfaceKind::Himmelblau.surface();
        let four = stops(&Scene::builtin(himmelblau));
        assert_eq!((four[0].0.outcome, four[1].0.outcome), (minimum, minimum));
        assert!(
            (four[0].1 - four[1].1).norm() > 1.0,
            "same minimum: {four:?}"
        );
    }

    #[test]
    fn races_refuse_out_of_range_settings() {
        let bowl = SurfaceKind::Bowl.surface();
        let start = bowl.default_start();
        assert!(Scene::race(bowl, start, 0.0, 0.5).is_err());
        assert!(Scene::race(bowl, start, 0.1, 1.0).is_err());
        assert!(Scene::race(bowl, Point::new(f64::NAN, 0.0), 0.1, 0.5).is_err());
        assert_eq!(
            Scene::race(bowl, start, 0.02, 0.9).unwrap(),
            Scene::default()
        );
    }
}
