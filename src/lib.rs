//! descend makes gradient descent visible: a ball rolls on a 2D loss surface under an update
//! rule written out by hand, `v ← μ·v − η·∇f(p)`, `p ← p + v`.
//!
//! - [`math`]: surfaces with hand-derived gradients and Hessians, the update rule, runs,
//!   sweeps and quadratic theory. Plain `f64`, no Bevy, no plotting.
//! - [`figures`]: contour lines, the course's PNG figures and results tables, headless.
//! - [`scene`]: what the app shows: a surface, a start and the balls racing from it.
//! - `app` (feature `app`): the Bevy app, one plugin per concern.

pub mod figures;
pub mod math;
pub mod scene;

#[cfg(feature = "app")]
pub mod app;
