//! What quadratic theory predicts for the update rule.
//!
//! On a quadratic with Hessian eigenvalue λ, each eigen-direction evolves on its own. Plain
//! descent multiplies the error along it by (1 − η·λ) every step. The heavy ball follows
//! e_{k+1} = (1 + μ − η·λ)·e_k − μ·e_{k−1}, whose rate is the larger root, in size, of
//! z² − (1 + μ − η·λ)·z + μ = 0. These are exact on the bowl and hold near any minimum.

/// Plain descent's per-step contraction along an eigenvalue λ: |1 − η·λ|.
pub fn plain_contraction(lr: f64, lambda: f64) -> f64 {
    (1.0 - lr * lambda).abs()
}

/// Whether plain descent converges on a quadratic whose largest eigenvalue is `lambda_max`:
/// 0 < η < 2/λ_max.
pub fn plain_stable(lr: f64, lambda_max: f64) -> bool {
    lr > 0.0 && lr * lambda_max < 2.0
}

/// The learning rate that makes plain descent fastest on a quadratic with eigenvalues in
/// [λ_min, λ_max]: 2/(λ_min + λ_max), where both ends contract equally.
pub fn best_plain_lr(lambda_min: f64, lambda_max: f64) -> f64 {
    2.0 / (lambda_min + lambda_max)
}

/// The heavy ball's per-step rate along an eigenvalue λ: the spectral radius of its
/// two-step recurrence. √μ whenever the roots are complex.
pub fn heavy_ball_rate(lr: f64, momentum: f64, lambda: f64) -> f64 {
    let t = 1.0 + momentum - lr * lambda;
    let discriminant = t * t - 4.0 * momentum;
    if discriminant < 0.0 {
        momentum.sqrt()
    } else {
        let root = discriminant.sqrt();
        (0.5 * (t + root)).abs().max((0.5 * (t - root)).abs())
    }
}

/// Whether the heavy ball converges along an eigenvalue λ > 0: 0 ≤ μ < 1 and
/// 0 < η·λ < 2·(1 + μ).
pub fn heavy_ball_stable(lr: f64, momentum: f64, lambda: f64) -> bool {
    (0.0..1.0).contains(&momentum) && lr * lambda > 0.0 && lr * lambda < 2.0 * (1.0 + momentum)
}

/// The heavy ball's best (η, μ) on a quadratic with eigenvalues in [λ_min, λ_max]:
/// η = 4/(√λ_min + √λ_max)², μ = ((√κ − 1)/(√κ + 1))² with κ = λ_max/λ_min.
pub fn best_heavy_ball(lambda_min: f64, lambda_max: f64) -> (f64, f64) {
    let (a, b) = (lambda_min.sqrt(), lambda_max.sqrt());
    let lr = 4.0 / ((a + b) * (a + b));
    let momentum = ((b - a) / (b + a)).powi(2);
    (lr, momentum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rates_on_the_default_bowl() {
        assert_eq!(plain_contraction(0.05, 20.0), 0.0);
        assert!((plain_contraction(0.1, 20.0) - 1.0).abs() < 1e-15);
        assert!(plain_stable(0.0999, 20.0) && !plain_stable(0.1, 20.0) && !plain_stable(0.0, 20.0));
        let best = best_plain_lr(1.0, 20.0);
        // At the best rate both ends contract by (κ − 1)/(κ + 1) = 19/21.
        assert!((plain_contraction(best, 1.0) - 19.0 / 21.0).abs() < 1e-15);
        assert!((plain_contraction(best, 20.0) - 19.0 / 21.0).abs() < 1e-14);
    }

    #[test]
    fn heavy_ball_rate_reduces_to_plain_at_zero_momentum() {
        for lr in [0.01, 0.05, 0.09, 0.12] {
            for lambda in [1.0, 20.0] {
                let hb = heavy_ball_rate(lr, 0.0, lambda);
                assert!((hb - plain_contraction(lr, lambda)).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn heavy_ball_best_parameters_balance_both_ends() {
        let (lr, mu) = best_heavy_ball(1.0, 20.0);
        let sqrt_mu = mu.sqrt();
        // At the optimum both ends sit on the circle |z| = √μ = (√κ − 1)/(√κ + 1).
        assert!((sqrt_mu - (20f64.sqrt() - 1.0) / (20f64.sqrt() + 1.0)).abs() < 1e-15);
        assert!((heavy_ball_rate(lr, mu, 1.0) - sqrt_mu).abs() < 1e-6);
        assert!((heavy_ball_rate(lr, mu, 20.0) - sqrt_mu).abs() < 1e-6);
        assert!(heavy_ball_rate(lr, mu, 20.0) < plain_contraction(best_plain_lr(1.0, 20.0), 20.0));
    }

    #[test]
    fn heavy_ball_stability_edge() {
        for mu in [0.0, 0.5, 0.9] {
            let edge = 2.0 * (1.0 + mu) / 20.0;
            assert!(heavy_ball_rate(0.999 * edge, mu, 20.0) < 1.0);
            assert!(heavy_ball_rate(1.001 * edge, mu, 20.0) > 1.0);
            assert!(heavy_ball_stable(0.999 * edge, mu, 20.0));
            assert!(!heavy_ball_stable(1.001 * edge, mu, 20.0));
        }
        assert!(!heavy_ball_stable(0.01, 1.0, 20.0));
    }
}
