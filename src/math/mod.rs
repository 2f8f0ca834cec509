//! The math core: loss surfaces, the heavy-ball update rule, runs, sweeps and what quadratic
//! theory predicts about them.
//!
//! Everything here is plain `f64` arithmetic with hand-derived gradients and Hessians. It
//! imports nothing from the figures or the app: they call into it, never the other way round,
//! and none of them reimplements the update rule, the stopping rule or a gradient.

pub mod descent;
mod point;
pub mod surface;
pub mod sweep;
pub mod theory;

pub use descent::{Config, Limits, Outcome, Params, Progress, Run, SettingError, Stationary, Stop};
pub use point::{Num, Point};
pub use surface::{Objective, Surface, SurfaceKind, View};
