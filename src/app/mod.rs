//! The Bevy app: the surface as a heightfield, balls racing down it, an overlay, an orbit
//! camera. One plugin per concern:
//!
//! - [`terrain`]: the heightfield mesh and its contour lines, and the one map from parameter
//!   space to the world.
//! - [`balls`]: ball entities stepped by the math core in `FixedUpdate`, smoothed between
//!   ticks, with trails.
//! - [`camera`]: orbit camera and lights.
//! - [`panel`]: the egui overlay and the keys.
//! - [`capture`]: one frame after a set number of ticks, for screenshots.
//!
//! No plugin here touches files, processes or threads: the command line does that, so the
//! same plugins can later run in a browser.

pub mod balls;
pub mod camera;
pub mod capture;
pub mod panel;
pub mod terrain;

use crate::scene::Scene;
use bevy::log::{Level, LogPlugin};
use bevy::prelude::*;
use bevy::render::RenderPlugin;
use bevy::window::{ExitCondition, WindowResolution};

/// Everything the race needs on screen, on top of `DefaultPlugins`.
pub struct DescendPlugin {
    pub scene: Scene,
}

impl Plugin for DescendPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins((
            balls::SimulationPlugin {
                scene: self.scene.clone(),
            },
            balls::view_plugin,
            terrain::plugin,
            camera::plugin,
            panel::plugin,
        ));
    }
}

/// The window's size in pixels.
pub const DEFAULT_SIZE: (u32, u32) = (1280, 800);

/// The whole app on `scene`, in a window of `size` pixels; with `capture`, it takes one
/// picture and exits.
pub fn build(scene: Scene, size: (u32, u32), capture: Option<capture::CapturePlugin>) -> App {
    let title = format!("descend: {}", scene.surface.name());
    let window = Window {
        title,
        resolution: WindowResolution::new(size.0, size.1).with_scale_factor_override(1.0),
        ..default()
    };
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(window),
                exit_condition: ExitCondition::OnPrimaryClosed,
                ..default()
            })
            .set(RenderPlugin {
                // A picture must not be taken while a shader is still compiling.
                synchronous_pipeline_compilation: capture.is_some(),
                ..default()
            })
            .set(LogPlugin {
                level: Level::WARN,
                filter: "wgpu=error,naga=warn".into(),
                ..default()
            }),
    )
    .add_plugins(DescendPlugin { scene });
    if let Some(capture) = capture {
        app.add_plugins(capture);
    }
    app
}
