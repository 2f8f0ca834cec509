//! The surface as a 3D heightfield: a lit mesh coloured by height, with contour lines on it.
//!
//! [`Heightfield`] is the one map from parameter space to the world, used by the mesh, the
//! contour lines, the balls and their trails. The world's x is the surface's x, the world's
//! −z its y, and the world's y (up) its height. Surfaces whose values span many decades are
//! drawn with a log height for the eye; descent always uses the true f.

use crate::figures::contour;
use crate::math::{Objective, Point, Surface, View};
use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;

/// How tall the heightfield stands, and how wide its longer side is, in world units.
const HEIGHT: f32 = 3.5;
const WIDTH: f32 = 10.0;
/// Grid cells along the mesh's longer side.
const MESH_CELLS: usize = 160;
/// How far contour lines and trails float above the mesh, against z-fighting.
pub const LIFT: f32 = 0.025;

/// Maps points of the surface's view to world positions on the heightfield.
#[derive(Resource, Clone, Debug)]
pub struct Heightfield {
    pub surface: Surface,
    pub view: View,
    /// World units per parameter unit, the same along x and y.
    scale: f64,
    /// The height transform's value at the view's lowest and highest sampled points.
    range: (f64, f64),
    lowest: f64,
    log: bool,
}

impl Heightfield {
    pub fn new(surface: Surface) -> Self {
        let view = surface.view();
        let log = surface.wide_range();
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let n = 100;
        for i in 0..=n {
            for j in 0..=n {
                let x = view.x.0 + view.width() * i as f64 / n as f64;
                let y = view.y.0 + view.height() * j as f64 / n as f64;
                let f = surface.value(Point::new(x, y));
                lo = lo.min(f);
                hi = hi.max(f);
            }
        }
        let mut field = Heightfield {
            surface,
            view,
            scale: WIDTH as f64 / view.width().max(view.height()),
            range: (0.0, 1.0),
            lowest: lo,
            log,
        };
        field.range = (field.transform(lo), field.transform(hi));
        field
    }

    /// log(1 + f − f_min) for wide-range surfaces, f itself otherwise.
    fn transform(&self, f: f64) -> f64 {
        if self.log {
            (f - self.lowest).max(0.0).ln_1p()
        } else {
            f
        }
    }

    /// The height, in world units, drawn for loss `f`.
    pub fn height_of(&self, f: f64) -> f32 {
        let (lo, hi) = self.range;
        let t = (self.transform(f) - lo) / (hi - lo).max(f64::MIN_POSITIVE);
        // Outside the view a diverging ball may be far above; keep the picture finite.
        (t.clamp(-0.5, 1.5) * HEIGHT as f64) as f32
    }

    /// The world position of parameter point `p` on the surface, clamped to the view.
    pub fn world(&self, p: Point) -> Vec3 {
        let p = self.view.clamp(p);
        self.world_at_height(p, self.height_of(self.surface.value(p)))
    }

    fn world_at_height(&self, p: Point, height: f32) -> Vec3 {
        let c = self.view.center();
        Vec3::new(
            ((p.x - c.x) * self.scale) as f32,
            height,
            (-(p.y - c.y) * self.scale) as f32,
        )
    }

    /// World units per parameter unit.
    pub fn world_per_unit(&self) -> f64 {
        self.scale
    }

    /// The heightfield's extent in world units: (width along x, depth along z).
    pub fn footprint(&self) -> Vec2 {
        Vec2::new(
            (self.view.width() * self.scale) as f32,
            (self.view.height() * self.scale) as f32,
        )
    }

    pub fn max_height(&self) -> f32 {
        HEIGHT
    }

    /// A triangle mesh over the view, with smooth normals and colours by height.
    pub fn mesh(&self) -> Mesh {
        let view = self.view;
        let longer = view.width().max(view.height());
        let nx = (MESH_CELLS as f64 * view.width() / longer).round() as usize + 1;
        let nz = (MESH_CELLS as f64 * view.height() / longer).round() as usize + 1;
        let mut positions = Vec::with_capacity(nx * nz);
        let mut colors = Vec::with_capacity(nx * nz);
        for j in 0..nz {
            for i in 0..nx {
                let x = view.x.0 + view.width() * i as f64 / (nx - 1) as f64;
                let y = view.y.0 + view.height() * j as f64 / (nz - 1) as f64;
                let world = self.world(Point::new(x, y));
                positions.push(world.to_array());
                colors.push(height_color(world.y / HEIGHT));
            }
        }
        let mut indices = Vec::with_capacity(6 * (nx - 1) * (nz - 1));
        for j in 0..nz - 1 {
            for i in 0..nx - 1 {
                let a = (j * nx + i) as u32;
                let (b, c, d) = (a + 1, a + nx as u32, a + nx as u32 + 1);
                // Counter-clockwise seen from above (+y), with z = −y.
                indices.extend_from_slice(&[a, b, c, b, d, c]);
            }
        }
        let mut mesh = Mesh::new(
            PrimitiveTopology::TriangleList,
            RenderAssetUsages::RENDER_WORLD,
        )
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
        .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, colors)
        .with_inserted_indices(Indices::U32(indices));
        mesh.compute_smooth_normals();
        mesh
    }

    /// The surface's contour lines lifted onto the heightfield: (level, 3D polylines).
    pub fn contour_lines(&self, count: usize) -> Vec<(f32, Vec<Vec<Vec3>>)> {
        let levels = contour::levels(&self.surface, self.view, count);
        let isolines = contour::isolines(&self.surface, self.view, &levels, 200);
        isolines
            .into_iter()
            .map(|iso| {
                let height = self.height_of(iso.level) + LIFT;
                let lines = iso
                    .lines
                    .iter()
                    .map(|line| {
                        line.iter()
                            .map(|&p| self.world_at_height(p, height))
                            .collect()
                    })
                    .collect();
                (height / HEIGHT, lines)
            })
            .collect()
    }
}

/// A perceptual ramp from deep blue (low) through teal and green to warm yellow (high), as
/// linear RGBA for vertex colours.
fn height_color(t: f32) -> [f32; 4] {
    const STOPS: [[f32; 3]; 5] = [
        [0.16, 0.11, 0.42],
        [0.13, 0.36, 0.55],
        [0.13, 0.57, 0.55],
        [0.37, 0.79, 0.38],
        [0.99, 0.91, 0.15],
    ];
    let t = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f32;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f32;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let srgb = Color::srgb(
        a[0] + (b[0] - a[0]) * f,
        a[1] + (b[1] - a[1]) * f,
        a[2] + (b[2] - a[2]) * f,
    );
    srgb.to_linear().to_f32_array()
}

/// Spawns the heightfield mesh and its contour lines.
pub fn plugin(app: &mut App) {
    app.add_systems(Startup, spawn_terrain);
}

fn spawn_terrain(
    mut commands: Commands,
    field: Res<Heightfield>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut gizmo_assets: ResMut<Assets<GizmoAsset>>,
) {
    commands.spawn((
        Name::new("heightfield"),
        Mesh3d(meshes.add(field.mesh())),
        MeshMaterial3d(materials.add(StandardMaterial {
            base_color: Color::WHITE,
            perceptual_roughness: 0.8,
            reflectance: 0.2,
            double_sided: true,
            cull_mode: None,
            ..default()
        })),
    ));

    let mut lines = GizmoAsset::new();
    for (_, polylines) in field.contour_lines(16) {
        for polyline in polylines {
            lines.linestrip(polyline, Color::srgba(0.05, 0.05, 0.08, 0.75));
        }
    }
    commands.spawn((
        Name::new("contour lines"),
        Gizmo {
            handle: gizmo_assets.add(lines),
            line_config: GizmoLineConfig {
                width: 1.5,
                ..default()
            },
            depth_bias: -0.0005,
        },
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::SurfaceKind;

    #[test]
    fn the_map_keeps_x_and_turns_y_into_minus_z() {
        let field = Heightfield::new(SurfaceKind::Bowl.surface());
        let (a, b) = (
            field.world(Point::new(1.0, 0.0)),
            field.world(Point::new(0.0, 1.0)),
        );
        assert!(a.x > 0.0 && a.z == 0.0, "{a}");
        assert!(b.x == 0.0 && b.z < 0.0, "{b}");
        // Equal scale on both axes, the longer side WIDTH wide.
        assert!((a.x + b.z).abs() < 1e-6);
        assert_eq!(field.footprint(), Vec2::new(10.0, 10.0 * 4.0 / 6.0));
        // The minimum is the lowest point, the corners the highest.
        assert_eq!(field.world(Point::ZERO).y, 0.0);
        assert!((field.world(Point::new(3.0, 2.0)).y - HEIGHT).abs() < 1e-5);
    }

    #[test]
    fn points_off_the_view_are_clamped_to_its_edge() {
        let field = Heightfield::new(SurfaceKind::Bowl.surface());
        let far = field.world(Point::new(1e9, f64::NAN));
        assert_eq!(far, field.world(Point::new(3.0, 0.0)));
        assert!(far.is_finite());
    }

    #[test]
    fn wide_range_surfaces_get_a_log_height_that_keeps_their_valley_visible() {
        let field = Heightfield::new(SurfaceKind::Rosenbrock.surface());
        // f = 1 is 0.04 % of Rosenbrock's range, but stands a tenth of the way up.
        let h = field.height_of(1.0) / HEIGHT;
        assert!(h > 0.05 && h < 0.2, "{h}");
    }

    #[test]
    fn the_mesh_covers_the_view() {
        let field = Heightfield::new(SurfaceKind::Bowl.surface());
        let mesh = field.mesh();
        let count = mesh.count_vertices();
        assert_eq!(count, 161 * 108);
        assert!(mesh.attribute(Mesh::ATTRIBUTE_NORMAL).is_some());
    }
}
