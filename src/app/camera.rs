//! The orbit camera and the lights: drag to orbit, right-drag to pan, scroll to zoom; quiet
//! while the pointer is over the panel.

use super::terrain::Heightfield;
use bevy::core_pipeline::tonemapping::Tonemapping;
use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;
use bevy_panorbit_camera::{PanOrbitCamera, PanOrbitCameraPlugin, PanOrbitCameraSystemSet};

pub fn plugin(app: &mut App) {
    app.add_plugins(PanOrbitCameraPlugin)
        .insert_resource(ClearColor(Color::srgb(0.07, 0.08, 0.10)))
        .insert_resource(GlobalAmbientLight {
            color: Color::WHITE,
            brightness: 350.0,
            ..default()
        })
        .add_systems(Startup, spawn_camera_and_light)
        .add_systems(
            PostUpdate,
            quiet_orbit_over_panel.before(PanOrbitCameraSystemSet),
        );
}

fn spawn_camera_and_light(mut commands: Commands, field: Res<Heightfield>) {
    let size = field.footprint();
    let (yaw, pitch) = (0.95f32, 0.8f32);
    // Nudge the orbit centre so the surface sits right of the panel in the top-left corner:
    // left along the screen's right vector (cos yaw, 0, −sin yaw).
    let screen_right = Vec3::new(yaw.cos(), 0.0, -yaw.sin());
    let focus =
        Vec3::new(0.0, 0.25 * field.max_height(), 0.0) - 0.2 * size.x.max(size.y) * screen_right;
    commands.spawn((
        Name::new("camera"),
        Camera3d::default(),
        // Needs no lookup-table assets, unlike the default.
        Tonemapping::AcesFitted,
        PanOrbitCamera {
            focus,
            radius: Some(1.5 * size.x.max(size.y)),
            // From beyond the valley's far end, above: the bowl's valley runs along x, so
            // looking along it shows the zig-zag across it and the crawl down it.
            yaw: Some(yaw),
            pitch: Some(pitch),
            ..default()
        },
    ));
    commands.spawn((
        Name::new("sun"),
        DirectionalLight {
            illuminance: 9_000.0,
            shadow_maps_enabled: false,
            ..default()
        },
        Transform::default().looking_to(Vec3::new(-0.5, -1.0, -0.35), Vec3::Y),
    ));
}

/// The camera ignores drags and scrolls that egui is using.
fn quiet_orbit_over_panel(wants: Res<EguiWantsInput>, mut cameras: Query<&mut PanOrbitCamera>) {
    let busy = wants.wants_pointer_input() || wants.is_pointer_over_area();
    for mut camera in &mut cameras {
        if camera.enabled == busy {
            camera.enabled = !busy;
        }
    }
}
