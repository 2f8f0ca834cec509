//! The app's logic without a GPU: a headless `App` stepped a known number of fixed ticks
//! must put every ball exactly where the math core's run is after that many steps.

use super::*;
use crate::math::{Run, Stationary, SurfaceKind};
use bevy::time::TimeUpdateStrategy;
use std::time::Duration;

fn headless(scene: Scene) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, SimulationPlugin { scene }));
    app.update(); // Startup: spawns the balls.
    app
}

/// The core's runs for each ball of the scene, in ball order.
fn core_runs(scene: &Scene) -> Vec<Run> {
    scene
        .balls
        .iter()
        .map(|b| Run::new(&scene.surface, scene.start, b.params, scene.limits).unwrap())
        .collect()
}

/// (index, position, stop) of every ball, by index.
fn balls(app: &mut App) -> Vec<(usize, Point, Option<Stop>)> {
    let mut q = app.world_mut().query::<(&Ball, &Position, &Descent)>();
    let mut out: Vec<_> = q
        .iter(app.world())
        .map(|(b, p, d)| (b.index, p.0, d.stop()))
        .collect();
    out.sort_by_key(|b| b.0);
    out
}

fn assert_at_core_step(app: &mut App, runs: &[Run], ticks: usize) {
    for (index, position, stop) in balls(app) {
        let run = &runs[index];
        let k = ticks.min(run.path.len() - 1);
        assert_eq!(
            position, run.path[k],
            "ball {index} after {ticks} ticks is not at the core's step {k}"
        );
        let finished = ticks > run.stop.steps || (ticks == run.stop.steps && stop.is_some());
        if finished {
            assert_eq!(stop, Some(run.stop), "ball {index} after {ticks} ticks");
        }
    }
}

#[test]
fn n_fixed_ticks_put_each_ball_at_the_cores_step_n() {
    let scene = Scene::default();
    let runs = core_runs(&scene);
    // The bowl race: plain descent converges at step 730, momentum at 269.
    assert_eq!(runs[0].stop.steps, 730);
    assert_eq!(runs[1].stop.steps, 269);
    let mut app = headless(scene);
    let mut ticks = 0;
    for target in [0, 1, 2, 3, 50, 268, 269, 270, 271, 729, 730, 731, 800] {
        while ticks < target {
            app.world_mut().run_schedule(FixedUpdate);
            ticks += 1;
        }
        assert_at_core_step(&mut app, &runs, ticks);
    }
    let stops: Vec<_> = balls(&mut app).into_iter().map(|b| b.2.unwrap()).collect();
    let minimum = Outcome::Converged(Stationary::Minimum);
    assert_eq!(
        stops[0],
        Stop {
            outcome: minimum,
            steps: 730
        }
    );
    assert_eq!(
        stops[1],
        Stop {
            outcome: minimum,
            steps: 269
        }
    );
    assert_eq!(app.world().resource::<Ticks>().0, 800);
}

#[test]
fn the_frame_rate_changes_when_ticks_happen_not_where_balls_end_up() {
    let scene = Scene::default();
    let runs = core_runs(&scene);
    let timestep = Time::<Fixed>::default().timestep();
    // 144 Hz, 60 Hz, 7 Hz, and frames longer than the virtual clock's 250 ms cap.
    for frame in [1.0 / 144.0, 1.0 / 60.0, 1.0 / 7.0, 0.4] {
        let mut app = headless(scene.clone());
        let frame = Duration::from_secs_f64(frame);
        app.insert_resource(TimeUpdateStrategy::ManualDuration(frame));
        for _ in 0..60 {
            app.update();
        }
        let ticks = app.world().resource::<Ticks>().0 as usize;
        let fixed = app.world().resource::<Time<Fixed>>();
        assert_eq!(
            ticks as u128,
            fixed.elapsed().as_nanos() / timestep.as_nanos(),
            "ticks counted equal fixed time elapsed"
        );
        assert!(ticks > 0, "frame {frame:?}: no tick ran");
        assert_at_core_step(&mut app, &runs, ticks);
    }
}

#[test]
fn drawn_positions_blend_the_last_two_ticks_by_the_overstep() {
    let scene = Scene::default();
    let runs = core_runs(&scene);
    let mut app = headless(scene);
    let timestep = Time::<Fixed>::default().timestep();
    // A frame and a half per tick: the overstep alternates between ½ and 0.
    app.insert_resource(TimeUpdateStrategy::ManualDuration(timestep * 3 / 2));
    for _ in 0..7 {
        app.update();
    }
    let ticks = app.world().resource::<Ticks>().0 as usize;
    let t = app
        .world()
        .resource::<Time<Fixed>>()
        .overstep_fraction_f64();
    assert!(t > 0.0 && t < 1.0, "overstep {t}");
    let field = app.world().resource::<Heightfield>().clone();
    let mut q = app.world_mut().query::<(&Ball, &Transform)>();
    for (ball, transform) in q.iter(app.world()) {
        let path = &runs[ball.index].path;
        let (a, b) = (path[ticks - 1], path[ticks]);
        let expected = field.world(a + t * (b - a)) + Vec3::Y * BALL_RADIUS;
        assert_eq!(transform.translation, expected, "ball {}", ball.index);
    }
}

#[test]
fn reset_puts_every_ball_back_at_the_start_with_no_velocity_and_a_fresh_trail() {
    let scene = Scene::default();
    let start = scene.start;
    let mut app = headless(scene);
    for _ in 0..40 {
        app.world_mut().run_schedule(FixedUpdate);
    }
    app.world_mut().write_message(ResetRace);
    app.update();
    let mut q = app
        .world_mut()
        .query::<(&Position, &PreviousPosition, &Velocity, &Descent, &Trail)>();
    for (p, prev, v, d, trail) in q.iter(app.world()) {
        assert_eq!((p.0, prev.0, v.0), (start, start, Point::ZERO));
        assert_eq!(d.progress.steps(), 0);
        assert_eq!(trail.points.len(), 1);
    }
    assert_eq!(app.world().resource::<Ticks>().0, 0);
    // And the race runs again exactly as before.
    let runs = core_runs(&Scene::default());
    for _ in 0..25 {
        app.world_mut().run_schedule(FixedUpdate);
    }
    assert_at_core_step(&mut app, &runs, 25);
}

#[test]
fn a_diverging_ball_stops_where_the_core_says_and_is_drawn_finite_inside_the_view() {
    let bowl = SurfaceKind::Bowl.surface();
    let scene = Scene::race(bowl, bowl.default_start(), 0.3, 0.5).unwrap();
    let runs = core_runs(&scene);
    assert_eq!(runs[0].stop.outcome, Outcome::Diverged);
    let mut app = headless(scene);
    for _ in 0..200 {
        app.world_mut().run_schedule(FixedUpdate);
    }
    app.update();
    assert_at_core_step(&mut app, &runs, 200);
    let half = app.world().resource::<Heightfield>().footprint() / 2.0;
    let mut q = app.world_mut().query::<&Transform>();
    for transform in q.iter(app.world()) {
        let at = transform.translation;
        assert!(at.is_finite(), "{at}");
        assert!(
            at.x.abs() <= half.x + 1e-4 && at.z.abs() <= half.y + 1e-4,
            "{at} outside"
        );
    }
}

#[test]
fn a_ball_on_the_saddle_ridge_stops_on_the_saddle() {
    let saddle = SurfaceKind::Saddle.surface();
    let scene = Scene::race(saddle, Point::new(-1.5, 0.0), 0.1, 0.5).unwrap();
    let mut app = headless(scene);
    for _ in 0..400 {
        app.world_mut().run_schedule(FixedUpdate);
    }
    for (_, _, stop) in balls(&mut app) {
        let stop = stop.expect("both balls stop within 400 ticks");
        assert_eq!(stop.outcome, Outcome::Converged(Stationary::Saddle));
    }
}

#[test]
fn trails_drape_long_steps_over_the_surface() {
    // η = 0.09 zig-zags across the bowl's valley: each step is long, and its trail follows
    // the surface, every point at the surface's height (plus the lift), none in the air.
    let bowl = SurfaceKind::Bowl.surface();
    let scene = Scene::race(bowl, bowl.default_start(), 0.09, 0.0).unwrap();
    let mut app = headless(scene);
    app.world_mut().run_schedule(FixedUpdate);
    let field = app.world().resource::<Heightfield>().clone();
    let mut q = app.world_mut().query::<&Trail>();
    let trail = q.iter(app.world()).next().unwrap();
    assert!(
        trail.points.len() > 10,
        "one long step, {} points",
        trail.points.len()
    );
    let per_unit = field.world_per_unit();
    for at in &trail.points {
        let c = field.view.center();
        let p = Point::new(c.x + at.x as f64 / per_unit, c.y - at.z as f64 / per_unit);
        let surface = field.world(p);
        assert!(
            (at.y - surface.y - crate::app::terrain::LIFT).abs() < 1e-3,
            "{at} vs {surface}"
        );
    }
}
