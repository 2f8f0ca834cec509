//! Balls: entities that roll under the update rule, one step per fixed tick.
//!
//! Each ball carries its simulated state in f64 — [`Position`], [`Velocity`] and the run's
//! [`Descent`] progress — and [`step_balls`] calls the math core's
//! [`Config::advance`](crate::math::Config::advance) once per `FixedUpdate` tick, so after N
//! ticks a ball stands exactly where a [`Run`](crate::math::Run) is after N steps. The drawn
//! [`Transform`] is blended between the last two ticks' positions by the overstep fraction:
//! smooth at any frame rate, exact at every tick. Conversion to f32 happens only there.
//!
//! [`SimulationPlugin`] needs no renderer (tests run it under `MinimalPlugins`);
//! [`BallViewPlugin`] adds meshes, trails and the diverged marker.

use super::terrain::{Heightfield, LIFT};
use crate::math::{Config, Objective, Outcome, Point, Progress, Stop};
use crate::scene::Scene;
use bevy::prelude::*;

/// The scene being shown.
#[derive(Resource, Clone, Debug, Deref)]
pub struct Race(pub Scene);

/// Fixed ticks run since the start or the last reset.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq, Deref)]
pub struct Ticks(pub u64);

/// Ask for every ball to go back to the start.
#[derive(Message, Clone, Copy, Debug, Default)]
pub struct ResetRace;

/// The systems that move balls, for others to order against.
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BallSystems {
    /// One descent step per ball, in `FixedUpdate`.
    Step,
    /// Drawn positions blended between ticks, after the fixed loop.
    Place,
}

/// A ball in the race: its index in the scene and its label.
#[derive(Component, Clone, Debug)]
#[require(Position, PreviousPosition, Velocity, Trail, Transform)]
pub struct Ball {
    pub index: usize,
    pub label: String,
}

/// The simulated position p, in parameter space.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Deref)]
pub struct Position(pub Point);

/// The position one tick ago, to blend the drawn position between ticks.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Deref)]
pub struct PreviousPosition(pub Point);

/// The heavy ball's velocity v.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Deref)]
pub struct Velocity(pub Point);

/// The rule's settings for this ball and how far its run has got.
#[derive(Component, Clone, Copy, Debug)]
pub struct Descent {
    pub config: Config,
    pub progress: Progress,
}

impl Descent {
    pub fn stop(&self) -> Option<Stop> {
        self.progress.stop()
    }
}

/// The world positions a ball has passed, for drawing its trail. Each step is draped over
/// the surface — sampled along its straight line in parameter space and lifted onto the
/// heightfield — so a long jump follows the terrain instead of cutting through the air.
#[derive(Component, Clone, Debug, Default)]
pub struct Trail {
    pub points: Vec<Vec3>,
    /// The parameter-space point the trail last reached.
    last: Point,
}

/// Trail points closer than this (world units) to the last one are not kept: a crawling
/// ball's trail stays short.
const TRAIL_SPACING: f32 = 0.01;
/// The most world units between samples along one step.
const TRAIL_SAMPLE: f64 = 0.05;
/// The most samples one step is draped with.
const TRAIL_SAMPLES_PER_STEP: usize = 64;

impl Trail {
    fn starting_at(field: &Heightfield, start: Point) -> Self {
        Trail {
            points: vec![field.world(start) + Vec3::Y * LIFT],
            last: start,
        }
    }

    fn extend_to(&mut self, field: &Heightfield, to: Point) {
        let (a, b) = (field.view.clamp(self.last), field.view.clamp(to));
        let length = (b - a).norm() * field.world_per_unit();
        let samples = ((length / TRAIL_SAMPLE).ceil() as usize).clamp(1, TRAIL_SAMPLES_PER_STEP);
        for i in 1..=samples {
            let q = a + (i as f64 / samples as f64) * (b - a);
            let at = field.world(q) + Vec3::Y * LIFT;
            match self.points.last() {
                Some(last) if last.distance(at) < TRAIL_SPACING => {}
                _ => self.points.push(at),
            }
        }
        self.last = to;
    }
}

/// The race's logic: balls, fixed-tick descent, interpolation, reset. No rendering.
pub struct SimulationPlugin {
    pub scene: Scene,
}

impl Plugin for SimulationPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Race(self.scene.clone()))
            .insert_resource(Heightfield::new(self.scene.surface))
            .init_resource::<Ticks>()
            .add_message::<ResetRace>()
            .add_systems(Startup, spawn_balls)
            // The descent step belongs to the fixed clock, so that ticks, not frames, count.
            .add_systems(
                FixedUpdate,
                (step_balls, count_tick).in_set(BallSystems::Step),
            )
            // After the fixed loop, so the blend uses this frame's overstep.
            .add_systems(
                RunFixedMainLoop,
                place_balls
                    .in_set(BallSystems::Place)
                    .in_set(RunFixedMainLoopSystems::AfterFixedMainLoop),
            )
            .add_systems(PreUpdate, reset_race.run_if(on_message::<ResetRace>));
    }
}

/// The ball's components at the start: one per ball in the scene.
fn ball_at_start(scene: &Scene, index: usize, field: &Heightfield) -> impl Bundle {
    let spec = &scene.balls[index];
    let start = scene.start;
    (
        Name::new(spec.label.clone()),
        Ball {
            index,
            label: spec.label.clone(),
        },
        Position(start),
        PreviousPosition(start),
        Velocity(Point::ZERO),
        Descent {
            config: Config::new(&scene.surface, spec.params, scene.limits),
            progress: Progress::default(),
        },
        Trail::starting_at(field, start),
        Transform::from_translation(field.world(start)),
    )
}

fn spawn_balls(mut commands: Commands, race: Res<Race>, field: Res<Heightfield>) {
    for index in 0..race.balls.len() {
        commands.spawn(ball_at_start(&race, index, &field));
    }
}

/// One step of the update rule for every ball still running.
pub fn step_balls(
    field: Res<Heightfield>,
    mut balls: Query<(
        &mut Position,
        &mut PreviousPosition,
        &mut Velocity,
        &mut Descent,
        &mut Trail,
    )>,
) {
    let surface = field.surface;
    for (mut position, mut previous, mut velocity, mut descent, mut trail) in &mut balls {
        previous.0 = position.0;
        if descent.stop().is_some() {
            continue;
        }
        let Descent { config, progress } = &mut *descent;
        let (mut p, mut v) = (position.0, velocity.0);
        config.advance(&surface, &mut p, &mut v, progress);
        position.0 = p;
        velocity.0 = v;
        trail.extend_to(&field, p);
    }
}

fn count_tick(mut ticks: ResMut<Ticks>) {
    ticks.0 += 1;
}

/// Where a ball is drawn: between its last two positions by the overstep fraction, on the
/// heightfield, clamped to the view, its centre one radius above the surface.
pub fn place_balls(
    time: Res<Time<Fixed>>,
    field: Res<Heightfield>,
    mut balls: Query<(&mut Transform, &Position, &PreviousPosition), With<Ball>>,
) {
    let t = time.overstep_fraction_f64().clamp(0.0, 1.0);
    for (mut transform, position, previous) in &mut balls {
        let (a, b) = (previous.0, position.0);
        let shown = if a.is_finite() && b.is_finite() {
            a + t * (b - a)
        } else {
            a
        };
        transform.translation = field.world(shown) + Vec3::Y * BALL_RADIUS;
    }
}

/// Every ball back to the start: previous = current = start, velocity zero, trail one point.
fn reset_race(
    mut commands: Commands,
    mut messages: MessageReader<ResetRace>,
    race: Res<Race>,
    field: Res<Heightfield>,
    balls: Query<(Entity, &Ball)>,
    mut ticks: ResMut<Ticks>,
) {
    messages.clear();
    for (entity, ball) in &balls {
        commands
            .entity(entity)
            .insert(ball_at_start(&race, ball.index, &field));
    }
    ticks.0 = 0;
}

/// A ball's radius in world units.
pub const BALL_RADIUS: f32 = 0.2;

/// Meshes and materials for the balls, their trails, markers that show where each ball is
/// even inside a pit or behind a wall, the start, the known minima, and a ring around a
/// diverged ball.
pub fn view_plugin(app: &mut App) {
    app.init_gizmo_group::<OnTop>()
        .add_systems(Startup, (dress_balls.after(spawn_balls), draw_on_top))
        .add_systems(Update, (draw_trails, draw_landmarks));
}

/// Gizmos drawn in front of everything.
#[derive(Default, Reflect, GizmoConfigGroup)]
struct OnTop;

fn draw_on_top(mut store: ResMut<GizmoConfigStore>) {
    let (config, _) = store.config_mut::<OnTop>();
    config.depth_bias = -1.0;
    config.line.width = 2.5;
}

/// The colour of ball `index`: plain descent orange, momentum magenta, as in the figures.
pub fn ball_color(index: usize) -> Color {
    let [r, g, b] = match index {
        0 => crate::figures::PLAIN_RGB,
        1 => crate::figures::MOMENTUM_RGB,
        _ => [60, 170, 230],
    };
    Color::srgb_u8(r, g, b)
}

fn dress_balls(
    mut commands: Commands,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    balls: Query<(Entity, &Ball)>,
) {
    let sphere = meshes.add(Sphere::new(BALL_RADIUS).mesh().uv(32, 18));
    for (entity, ball) in &balls {
        let color = ball_color(ball.index);
        let material = materials.add(StandardMaterial {
            base_color: color,
            emissive: LinearRgba::from(color) * 0.35,
            perceptual_roughness: 0.35,
            ..default()
        });
        commands
            .entity(entity)
            .insert((Mesh3d(sphere.clone()), MeshMaterial3d(material)));
    }
}

fn draw_trails(
    mut gizmos: Gizmos,
    mut on_top: Gizmos<OnTop>,
    balls: Query<(&Ball, &Trail, &Transform, &Descent)>,
) {
    let flat = Quat::from_rotation_x(std::f32::consts::FRAC_PI_2);
    for (ball, trail, transform, descent) in &balls {
        let color = ball_color(ball.index);
        gizmos.linestrip(trail.points.iter().copied(), color);
        // A pin above each ball, in front of everything: a ball in a pit or behind a wall
        // can still be found.
        let top = transform.translation + Vec3::Y * PIN_HEIGHT;
        on_top.line(transform.translation + Vec3::Y * BALL_RADIUS, top, color);
        on_top.circle(Isometry3d::new(top, flat), 0.08, color);
        if descent.stop().map(|s| s.outcome) == Some(Outcome::Diverged) {
            // A diverged ball stays clamped at the edge; a red ring says why it stopped.
            let ring = Isometry3d::new(transform.translation, flat);
            on_top.circle(ring, BALL_RADIUS * 2.0, Color::srgb(0.9, 0.1, 0.1));
        }
    }
}

/// How far above its ball a pin reaches, in world units.
const PIN_HEIGHT: f32 = 0.9;

/// The start (a white ring) and the surface's known minima (white crosses), in front of
/// everything: a minimum at the bottom of a deep pit is hidden by the pit's rim.
fn draw_landmarks(mut gizmos: Gizmos<OnTop>, race: Res<Race>, field: Res<Heightfield>) {
    let white = Color::srgb(0.95, 0.95, 0.95);
    let flat = Quat::from_rotation_x(std::f32::consts::FRAC_PI_2);
    let start = field.world(race.start) + Vec3::Y * LIFT;
    gizmos.circle(Isometry3d::new(start, flat), BALL_RADIUS * 1.6, white);
    for minimum in race.surface.minima() {
        if !field.view.contains(minimum) {
            continue;
        }
        let at = field.world(minimum) + Vec3::Y * LIFT;
        let arm = 0.18;
        gizmos.line(at - Vec3::X * arm, at + Vec3::X * arm, white);
        gizmos.line(at - Vec3::Z * arm, at + Vec3::Z * arm, white);
    }
}

/// The loss at a ball's current position, for read-outs.
pub fn loss(field: &Heightfield, position: &Position) -> f64 {
    field.surface.value(position.0)
}

#[cfg(test)]
mod tests;
