//! Speed, printed as figures and ratios (run with `cargo bench`):
//!
//! - a 400 × 400 (η, μ) sweep on the bowl, up to 1000 steps each, with its CSV written,
//!   against a fused reference loop over the same grid on the same cores (target ≈ 0.15 s);
//! - the app's fixed tick with 10 000 balls (target under 1 ms a tick);
//! - `descend plot`'s five files (target under 1 s).
//!
//! Each figure is the best of several repetitions.

use descend::figures::{self, Course, table};
use descend::math::descent::heavy_ball;
use descend::math::sweep::{grid, sweep};
use descend::math::{Limits, Params, Point, Surface};
use std::time::{Duration, Instant};

fn best_of<T>(times: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..times {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one repetition"))
}

fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
        .collect()
}

/// One thread's blocks of configurations and their output slots.
type Share<'a> = Vec<(&'a [(f64, f64)], &'a mut [u32])>;

/// The reference: the same rule on the same grid, fused by hand for the bowl — gradient,
/// update, convergence and bound checks and nothing else — on every core.
fn fused_reference(configs: &[(f64, f64)], start: Point, limits: Limits) -> Vec<u32> {
    let (a, b) = (1.0, 20.0);
    let tol2 = limits.tol * limits.tol;
    let bound = 3000.0;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut out = vec![0u32; configs.len()];
    let chunk = configs.len().div_ceil(threads * 16).max(1);
    let mut shares: Vec<Share> = (0..threads).map(|_| Vec::new()).collect();
    for (i, pair) in configs.chunks(chunk).zip(out.chunks_mut(chunk)).enumerate() {
        shares[i % threads].push(pair);
    }
    std::thread::scope(|s| {
        for share in shares {
            s.spawn(move || {
                for (input, output) in share {
                    for (slot, &(lr, momentum)) in output.iter_mut().zip(input) {
                        let params = Params { lr, momentum };
                        let (mut p, mut v) = (start, Point::ZERO);
                        let mut k = 0;
                        while k < limits.max_steps {
                            let g = Point::new(a * p.x, b * p.y);
                            if g.norm_squared() < tol2 {
                                break;
                            }
                            heavy_ball(&mut p, &mut v, g, params);
                            k += 1;
                            if !(p.x.abs() <= bound && p.y.abs() <= bound) {
                                break;
                            }
                        }
                        *slot = k as u32;
                    }
                }
            });
        }
    });
    out
}

fn bench_sweep() {
    let surface = Surface::default();
    let start = Point::new(-2.5, 1.5);
    let limits = Limits::new(1000, 1e-6).unwrap();
    let pairs = grid(&linspace(0.001, 0.12, 400), &linspace(0.0, 0.99, 400));
    let configs: Vec<Params> = pairs
        .iter()
        .map(|&(lr, mu)| Params::new(lr, mu).unwrap())
        .collect();
    let dir = std::env::temp_dir().join(format!("descend-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv_path = dir.join("sweep.csv");

    let (engine, summaries) = best_of(5, || sweep(&surface, start, &configs, limits));
    let (total, _) = best_of(5, || {
        let summaries = sweep(&surface, start, &configs, limits);
        let csv = table::csv(summaries.iter().map(|s| table::Row::of_summary("bowl", s)));
        figures::output::write_atomic(&csv_path, csv.as_bytes()).unwrap();
    });
    let (fused, steps) = best_of(5, || fused_reference(&pairs, start, limits));
    // The reference must agree with the engine, or the comparison means nothing.
    for (s, &k) in summaries.iter().zip(&steps) {
        assert_eq!(s.stop.steps as u32, k, "{:?}", s.params);
    }
    let updates: usize = summaries.iter().map(|s| s.stop.steps).sum();
    println!(
        "sweep 400 x 400 (η, μ) on the bowl, ≤ 1000 steps, {updates} updates in all:\n  \
         with CSV written {:.3} s (target ≈ 0.15 s: {:.2}x)\n  engine alone {:.3} s, {:.2} ns per update\n  \
         fused reference loop {:.3} s; engine / reference = {:.2}",
        total.as_secs_f64(),
        total.as_secs_f64() / 0.15,
        engine.as_secs_f64(),
        engine.as_nanos() as f64 / updates as f64,
        fused.as_secs_f64(),
        engine.as_secs_f64() / fused.as_secs_f64(),
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "app")]
fn bench_ticks() {
    use bevy::prelude::*;
    use descend::app::balls::SimulationPlugin;
    use descend::scene::{BallSpec, Scene};

    let n = 10_000;
    // Rates small enough that every ball is still rolling after the ticks timed.
    let balls = (0..n)
        .map(|i| BallSpec {
            label: format!("ball {i}"),
            params: Params::new(0.0005 + 0.004 * (i as f64 / n as f64), 0.5 * (i % 2) as f64)
                .unwrap(),
        })
        .collect();
    let scene = Scene {
        balls,
        ..Scene::default()
    };
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, SimulationPlugin { scene }));
    app.update();
    let ticks = 200;
    let (best, _) = best_of(3, || {
        let t = Instant::now();
        for _ in 0..ticks {
            app.world_mut().run_schedule(FixedUpdate);
        }
        t.elapsed()
    });
    let per_tick = best.as_secs_f64() / ticks as f64 * 1e3;
    println!(
        "fixed tick with {n} balls: {per_tick:.3} ms per tick (target < 1 ms: {:.2}x)",
        per_tick / 1.0
    );
}

#[cfg(not(feature = "app"))]
fn bench_ticks() {
    println!("fixed tick: skipped (built without the app)");
}

fn bench_plot() {
    let dir = std::env::temp_dir().join(format!("descend-plot-bench-{}", std::process::id()));
    let (best, _) = best_of(5, || {
        let course = Course::bowl();
        figures::write_course(&course, &dir).unwrap()
    });
    println!(
        "descend plot (runs, five files): {:.3} s (target < 1 s: {:.2}x)",
        best.as_secs_f64(),
        best.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not and only checks it runs.
    if !std::env::args().any(|a| a == "--bench") {
        println!("run with `cargo bench` for timings");
        return;
    }
    println!(
        "cores: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    bench_sweep();
    bench_ticks();
    bench_plot();
}
