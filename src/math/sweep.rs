//! Many (learning rate, momentum) configurations run from one start, on every core.
//!
//! A sweep keeps no paths: each configuration steps through the same [`Config::advance`] as a
//! single [`Run`](super::Run), so it reaches the same outcome and step count, but only its
//! summary is stored. The work is dealt out in fixed blocks, block `b` to thread `b mod n`,
//! so there are no locks and no per-configuration allocations.

use super::surface::with_objective;
use super::{Config, Limits, Objective, Params, Point, Stop, Surface};
use std::num::NonZeroUsize;

/// The result of one configuration of a sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub params: Params,
    pub stop: Stop,
    /// f at the point where the run stopped.
    pub final_loss: f64,
}

/// Every combination of `lrs` × `momenta`, learning rate outermost.
pub fn grid(lrs: &[f64], momenta: &[f64]) -> Vec<(f64, f64)> {
    lrs.iter()
        .flat_map(|&lr| momenta.iter().map(move |&mu| (lr, mu)))
        .collect()
}

/// Configurations per block dealt to a thread.
const BLOCK: usize = 64;

/// Runs every configuration from `start` and returns their summaries in the same order.
///
/// `start` must already be valid for `surface` (see [`Config::check_start`]).
pub fn sweep(surface: &Surface, start: Point, configs: &[Params], limits: Limits) -> Vec<Summary> {
    with_objective!(surface, |o| sweep_on(surface, o, start, configs, limits))
}

fn sweep_on<O: Objective + Sync>(
    surface: &Surface,
    objective: &O,
    start: Point,
    configs: &[Params],
    limits: Limits,
) -> Vec<Summary> {
    let placeholder = Summary {
        params: Params {
            lr: 0.0,
            momentum: 0.0,
        },
        stop: Stop {
            outcome: super::Outcome::Crawling,
            steps: 0,
        },
        final_loss: 0.0,
    };
    let mut out = vec![placeholder; configs.len()];
    let summarise = |params: Params| {
        let config = Config::new(surface, params, limits);
        let (stop, last) = config.drive(objective, start, |_| {});
        Summary {
            params,
            stop,
            final_loss: objective.value(last),
        }
    };
    let threads = threads().min(configs.len().div_ceil(BLOCK)).max(1);
    if threads == 1 {
        for (slot, &params) in out.iter_mut().zip(configs) {
            *slot = summarise(params);
        }
        return out;
    }
    let mut shares: Vec<Vec<(&[Params], &mut [Summary])>> =
        (0..threads).map(|_| Vec::new()).collect();
    for (b, (input, output)) in configs.chunks(BLOCK).zip(out.chunks_mut(BLOCK)).enumerate() {
        shares[b % threads].push((input, output));
    }
    std::thread::scope(|scope| {
        for share in shares {
            scope.spawn(|| {
                for (input, output) in share {
                    for (slot, &params) in output.iter_mut().zip(input) {
                        *slot = summarise(params);
                    }
                }
            });
        }
    });
    out
}

/// Threads a sweep may use: every core, or one where there are no threads (the browser).
fn threads() -> usize {
    if cfg!(target_family = "wasm") {
        1
    } else {
        std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::{Outcome, Run, SurfaceKind};

    #[test]
    fn each_summary_matches_a_single_run() {
        for kind in SurfaceKind::ALL {
            let surface = kind.surface();
            let start = surface.default_start();
            let limits = Limits::new(700, 1e-6).unwrap();
            let lrs = [0.0005, 0.002, 0.01, 0.05, 0.09, 0.1, 0.11, 0.3];
            let momenta = [0.0, 0.5, 0.9, 0.99];
            let configs: Vec<Params> = grid(&lrs, &momenta)
                .into_iter()
                .map(|(lr, mu)| Params::new(lr, mu).unwrap())
                .collect();
            let summaries = sweep(&surface, start, &configs, limits);
            assert_eq!(summaries.len(), configs.len());
            for (summary, &params) in summaries.iter().zip(&configs) {
                let run = Run::new(&surface, start, params, limits).unwrap();
                assert_eq!(summary.params, params);
                assert_eq!(summary.stop, run.stop, "{} at {params:?}", kind.name());
                let same = summary.final_loss == run.final_loss()
                    || (summary.final_loss.is_nan() && run.final_loss().is_nan());
                assert!(same, "{} at {params:?}", kind.name());
            }
        }
    }

    #[test]
    fn a_large_sweep_splits_across_threads_and_keeps_order() {
        let surface = SurfaceKind::Bowl.surface();
        let lrs: Vec<f64> = (1..=40).map(|i| 0.003 * i as f64).collect();
        let momenta: Vec<f64> = (0..20).map(|i| 0.05 * i as f64).collect();
        let configs: Vec<Params> = grid(&lrs, &momenta)
            .into_iter()
            .map(|(lr, mu)| Params::new(lr, mu).unwrap())
            .collect();
        let limits = Limits::new(2000, 1e-6).unwrap();
        let summaries = sweep(&surface, Point::new(-2.5, 1.5), &configs, limits);
        for (s, p) in summaries.iter().zip(&configs) {
            assert_eq!(s.params, *p);
            // On the bowl the stability edge is exact: η·20 < 2(1 + μ).
            if p.lr * 20.0 > 2.0 * (1.0 + p.momentum) * 1.01 {
                assert_eq!(s.stop.outcome, Outcome::Diverged, "{p:?}");
            }
        }
    }

    #[test]
    fn grid_is_learning_rate_major() {
        assert_eq!(
            grid(&[1.0, 2.0], &[0.0, 0.5]),
            [(1.0, 0.0), (1.0, 0.5), (2.0, 0.0), (2.0, 0.5)]
        );
    }
}
