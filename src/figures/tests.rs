//! Tests of the course figures: what they show, where, and that they line up.

use super::plot::{MapPixels, Trace, draw_map, map_size, render};
use super::*;
use crate::math::{Outcome, Stationary, SurfaceKind};

fn pixel(image: &[u8], width: u32, (x, y): (i32, i32)) -> [u8; 3] {
    let i = 3 * (y as usize * width as usize + x as usize);
    [image[i], image[i + 1], image[i + 2]]
}

/// Whether any pixel within `radius` of `at` has colour `rgb`.
fn near(image: &[u8], width: u32, at: (i32, i32), radius: i32, rgb: [u8; 3]) -> bool {
    (-radius..=radius)
        .any(|dx| (-radius..=radius).any(|dy| pixel(image, width, (at.0 + dx, at.1 + dy)) == rgb))
}

#[test]
fn the_bowl_course_shows_a_crawl_a_convergence_and_a_divergence() {
    let course = Course::bowl();
    let outcomes: Vec<Outcome> = course.rates.iter().map(|r| r.stop.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Crawling,
            Outcome::Converged(Stationary::Minimum),
            Outcome::Diverged
        ]
    );
    let [plain, heavy] = &course.momentum;
    assert!(heavy.stop.steps < plain.stop.steps);
    assert_eq!(course.runs().count(), 5);
}

#[test]
fn maps_have_equal_aspect_and_put_points_where_they_belong() {
    // One isoline and one path through known points on the anisotropic bowl: if x and y
    // were swapped anywhere, the marker, the path and the ellipse would land elsewhere.
    let surface = SurfaceKind::Bowl.surface();
    let view = surface.view();
    let c = 2.0; // f = 2: the ellipse through (±2, 0) and (0, ±√0.2)
    let iso = contour::isolines(&surface, view, &[c], contour::DEFAULT_RESOLUTION);
    let params = Params::new(0.05, 0.0).unwrap();
    let limits = Limits::new(1, 1e-6).unwrap();
    let mut run = Run::new(&surface, Point::new(-2.5, 1.5), params, limits).unwrap();
    run.path = vec![Point::new(-2.5, 1.5), Point::new(1.0, -1.0)];
    let red = RGBColor(255, 0, 0);
    let trace = Trace {
        run: &run,
        color: red,
        label: String::new(),
    };
    let size = map_size(view, 600);
    let mut placed: Option<MapPixels> = None;
    let image = render(size, |root| {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        placed = Some(draw_map(root, &surface, view, &iso, &[trace], "test")?);
        Ok(())
    })
    .unwrap();
    let px = placed.unwrap();
    let per_x = (px.x.end - px.x.start) as f64 / view.width();
    let per_y = (px.y.end - px.y.start) as f64 / view.height();
    assert!(
        (per_x - per_y).abs() < 0.5,
        "pixels per unit: x {per_x}, y {per_y}"
    );

    // y grows upwards: the start (−2.5, 1.5) is left and above the end (1, −1).
    let (start, end) = (
        px.pixel(Point::new(-2.5, 1.5)),
        px.pixel(Point::new(1.0, -1.0)),
    );
    assert!(start.0 < end.0 && start.1 < end.1);
    assert!(
        near(&image, size.0, start, 2, [255, 0, 0]),
        "start marker at {start:?}"
    );
    let mid = px.pixel(Point::new(-0.75, 0.25));
    assert!(
        near(&image, size.0, mid, 1, [255, 0, 0]),
        "path midpoint at {mid:?}"
    );
    // The ellipse crosses the x axis at ±2 and the y axis at ±√0.2 ≈ ±0.447.
    let blue = pixel(&image, size.0, px.pixel(Point::new(2.0, 0.0)));
    assert!(blue != [255, 255, 255], "no contour at (2, 0)");
    let on_y = px.pixel(Point::new(0.0, 0.2f64.sqrt()));
    assert!(
        near(&image, size.0, on_y, 1, blue),
        "no contour at (0, √0.2)"
    );
    // Swapped, (0, 2) would be on it: it is blank there.
    let swapped = px.pixel(Point::new(0.0, 1.9));
    assert_eq!(pixel(&image, size.0, swapped), [255, 255, 255]);
}

#[test]
fn the_course_renders_and_writes_five_files() {
    let course = Course::bowl();
    let dir = tempfile::tempdir().unwrap();
    let written = write_course(&course, dir.path()).unwrap();
    let names: Vec<_> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "trajectory.png",
            "lr_sweep.png",
            "momentum.png",
            "results.md",
            "results.csv"
        ]
    );
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 5, "no temporary files remain");
    let csv = std::fs::read_to_string(dir.path().join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 6);
    assert!(csv.contains("bowl,0.105,0,diverged,80,"), "{csv}");
}

#[test]
fn an_unwritable_folder_is_refused_and_nothing_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let err = write_course(&Course::bowl(), &blocker.join("out")).unwrap_err();
    assert!(
        err.to_string().starts_with("cannot create output folder"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn log_axis_labels_are_powers_of_ten_with_superscripts() {
    use super::plot::power_of_ten;
    assert_eq!(power_of_ten(100.0), "10²");
    assert_eq!(power_of_ten(1e-13), "10⁻¹³");
    assert_eq!(power_of_ten(0.999_999_999), "10⁰");
    assert_eq!(power_of_ten(3e-5), "3·10⁻⁵");
}
