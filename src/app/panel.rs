//! The overlay: each ball's η, μ, loss, step and outcome, and the keys. Space pauses and
//! resumes, R resets.
//!
//! The panel body is a plain egui function over a [`RaceReadout`]; the Bevy systems only
//! gather the read-out and handle keys.

use super::balls::{Ball, Descent, Position, ResetRace, Ticks, ball_color, loss};
use super::terrain::Heightfield;
use crate::math::{Num, Outcome, Params, Stop};
use crate::scene::Scene;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};

pub fn plugin(app: &mut App) {
    app.add_plugins(EguiPlugin::default())
        .add_systems(EguiPrimaryContextPass, (style_panel, show_panel).chain())
        .add_systems(Update, handle_keys);
}

/// What the panel shows of one ball.
#[derive(Clone, Debug, PartialEq)]
pub struct BallReadout {
    pub label: String,
    pub color: [u8; 3],
    pub params: Params,
    pub loss: f64,
    pub steps: usize,
    pub stop: Option<Stop>,
}

/// What the panel shows of the race.
#[derive(Clone, Debug, PartialEq)]
pub struct RaceReadout {
    pub title: String,
    pub start: String,
    pub ticks: u64,
    pub paused: bool,
    pub balls: Vec<BallReadout>,
}

/// A ball's state in words: "rolling", "converged to a minimum in 269 steps", …
pub fn status(stop: Option<Stop>) -> String {
    match stop {
        None => "rolling".into(),
        Some(stop) => stop.to_string(),
    }
}

/// A loss for display: never "NaN" or "inf" on screen.
pub fn format_loss(loss: f64) -> String {
    if loss.is_finite() {
        format!("{loss:.4e}")
    } else {
        "off the chart".into()
    }
}

/// The panel's body.
pub fn race_panel(ui: &mut egui::Ui, race: &RaceReadout) {
    ui.label(egui::RichText::new(&race.title).strong());
    ui.label(format!("start {}   tick {}", race.start, race.ticks));
    ui.add_space(4.0);
    egui::Grid::new("balls")
        .num_columns(2)
        .spacing([10.0, 2.0])
        .show(ui, |ui| {
            for ball in &race.balls {
                let [r, g, b] = ball.color;
                let color = egui::Color32::from_rgb(r, g, b);
                ui.horizontal(|ui| {
                    let (dot, _) =
                        ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter().circle_filled(dot.center(), 5.0, color);
                    ui.label(egui::RichText::new(&ball.label).color(color).strong());
                });
                ui.label(format!(
                    "η = {}   μ = {}",
                    Num(ball.params.lr),
                    Num(ball.params.momentum)
                ));
                ui.end_row();
                ui.label(format!("step {}", ball.steps));
                ui.horizontal(|ui| {
                    ui.label(format!("loss {}", format_loss(ball.loss)));
                    let text = egui::RichText::new(status(ball.stop));
                    let text = match ball.stop.map(|s| s.outcome) {
                        Some(Outcome::Diverged) => text.color(egui::Color32::from_rgb(230, 70, 70)),
                        Some(Outcome::Converged(_)) => {
                            text.color(egui::Color32::from_rgb(110, 200, 120))
                        }
                        _ => text,
                    };
                    ui.label(text);
                });
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    let state = if race.paused { "paused" } else { "running" };
    ui.label(format!("{state} · Space pause · R reset · drag to orbit"));
}

/// Gathers the read-out from the world.
pub fn readout(
    scene: &Scene,
    field: &Heightfield,
    ticks: u64,
    paused: bool,
    balls: &[(&Ball, &Position, &Descent)],
) -> RaceReadout {
    let mut rows: Vec<_> = balls
        .iter()
        .map(|(ball, position, descent)| {
            let color = ball_color(ball.index).to_srgba();
            let to_u8 = |c: f32| (c * 255.0).round() as u8;
            (
                ball.index,
                BallReadout {
                    label: ball.label.clone(),
                    color: [to_u8(color.red), to_u8(color.green), to_u8(color.blue)],
                    params: descent.config.params,
                    loss: loss(field, position),
                    steps: descent.progress.steps(),
                    stop: descent.stop(),
                },
            )
        })
        .collect();
    rows.sort_by_key(|(i, _)| *i);
    RaceReadout {
        title: format!("{}   f = {}", scene.surface.name(), scene.surface.formula()),
        start: scene.start.to_string(),
        ticks,
        paused,
        balls: rows.into_iter().map(|(_, r)| r).collect(),
    }
}

/// Scales the panel with the window, so it stays readable on a projector and small in a
/// small window, and brightens its text once.
fn style_panel(
    mut contexts: EguiContexts,
    window: Single<&Window>,
    mut styled: Local<bool>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let zoom = (window.height() / 720.0).clamp(0.6, 1.8);
    if (ctx.zoom_factor() - zoom).abs() > 0.01 {
        ctx.set_zoom_factor(zoom);
    }
    if !*styled {
        ctx.all_styles_mut(|style| {
            style.visuals.override_text_color = Some(egui::Color32::from_gray(235));
        });
        *styled = true;
    }
    Ok(())
}

/// The thin adapter: gathers the read-out and shows [`race_panel`] in a window.
fn show_panel(
    mut contexts: EguiContexts,
    race: Res<super::balls::Race>,
    field: Res<Heightfield>,
    ticks: Res<Ticks>,
    time: Res<Time<Virtual>>,
    balls: Query<(&Ball, &Position, &Descent)>,
) -> Result {
    let balls: Vec<_> = balls.iter().collect();
    let readout = readout(&race, &field, ticks.0, time.is_paused(), &balls);
    egui::Window::new("descend")
        .anchor(egui::Align2::LEFT_BOTTOM, [10.0, -10.0])
        .resizable(false)
        .collapsible(true)
        .show(contexts.ctx_mut()?, |ui| race_panel(ui, &readout));
    Ok(())
}

/// Space pauses and resumes the fixed clock; R sends the balls back to the start.
fn handle_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut time: ResMut<Time<Virtual>>,
    mut reset: MessageWriter<ResetRace>,
) {
    if keys.just_pressed(KeyCode::Space) {
        if time.is_paused() {
            time.unpause();
        } else {
            time.pause();
        }
    }
    if keys.just_pressed(KeyCode::KeyR) {
        reset.write(ResetRace);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::{Stationary, SurfaceKind};

    #[test]
    fn status_words_and_losses_never_show_nan() {
        assert_eq!(status(None), "rolling");
        let stop = Stop {
            outcome: Outcome::Converged(Stationary::Saddle),
            steps: 12,
        };
        assert_eq!(status(Some(stop)), "converged to a saddle in 12 steps");
        assert_eq!(format_loss(f64::NAN), "off the chart");
        assert_eq!(format_loss(f64::INFINITY), "off the chart");
        assert_eq!(format_loss(0.5), "5.0000e-1");
    }

    #[test]
    fn the_readout_lists_balls_in_scene_order_with_their_settings() {
        let scene = Scene::default();
        let field = Heightfield::new(SurfaceKind::Bowl.surface());
        let mut world = World::new();
        let spawn = |world: &mut World, index: usize| {
            let spec = &scene.balls[index];
            world
                .spawn((
                    Ball {
                        index,
                        label: spec.label.clone(),
                    },
                    Position(scene.start),
                    Descent {
                        config: crate::math::Config::new(&scene.surface, spec.params, scene.limits),
                        progress: Default::default(),
                    },
                ))
                .id()
        };
        spawn(&mut world, 1);
        spawn(&mut world, 0);
        let mut q = world.query::<(&Ball, &Position, &Descent)>();
        let balls: Vec<_> = q.iter(&world).collect();
        let r = readout(&scene, &field, 7, true, &balls);
        assert_eq!(r.balls.len(), 2);
        assert_eq!(r.balls[0].label, "plain descent");
        assert_eq!(r.balls[1].params, Params::new(0.02, 0.9).unwrap());
        assert_eq!(r.balls[0].loss, 0.5 * (6.25 + 20.0 * 2.25));
        assert_eq!(r.balls[0].color, crate::figures::PLAIN_RGB);
        assert!(r.title.starts_with("bowl"));
        assert!(r.paused);
    }
}
