//! Capturing the window: run the race a set number of fixed ticks, let the picture settle,
//! take one frame, hand it over and exit.
//!
//! Time is driven by hand here — each frame advances the clock by whole fixed ticks — so the
//! frame shows exactly the state after the requested ticks, whatever the machine's speed.
//! The plugin touches no file: the frame goes into a [`CaptureSlot`] the caller reads once
//! the app has exited.

use super::balls::Ticks;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::time::TimeUpdateStrategy;
use std::sync::{Arc, Mutex};

/// A captured frame as 8-bit RGB, rows top to bottom.
#[derive(Clone, Debug)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Frame {
    /// Whether every pixel has the same colour: a frame drawn before the scene was.
    pub fn is_blank(&self) -> bool {
        let first = self.rgb.get(..3);
        self.rgb.chunks_exact(3).all(|px| Some(px) == first)
    }
}

/// Where the captured frame, or why there is none, is left for the caller.
pub type CaptureSlot = Arc<Mutex<Option<Result<Frame, String>>>>;

/// Captures one frame after `ticks` fixed ticks, then exits the app.
pub struct CapturePlugin {
    pub ticks: u64,
    pub slot: CaptureSlot,
}

/// Frames to wait after the last tick: lavapipe's first frames are black or half drawn and
/// egui fades its windows in.
const SETTLE_FRAMES: u32 = 6;
/// Blank captures tolerated before giving up.
const RETRIES: u32 = 5;
/// Fixed ticks advanced per frame at most while getting to the requested tick.
const TICKS_PER_FRAME: u64 = 8;

#[derive(Resource)]
struct Capture {
    ticks: u64,
    slot: CaptureSlot,
    phase: Phase,
    blank: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    Stepping,
    Settling(u32),
    Waiting,
    Done,
}

impl Plugin for CapturePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Capture {
            ticks: self.ticks,
            slot: self.slot.clone(),
            phase: Phase::Stepping,
            blank: 0,
        })
        .insert_resource(TimeUpdateStrategy::ManualDuration(
            std::time::Duration::ZERO,
        ))
        .add_systems(Last, drive_capture);
    }
}

/// Sets how far the clock moves next frame, and asks for the frame once the ticks are done.
fn drive_capture(
    mut commands: Commands,
    mut capture: ResMut<Capture>,
    ticks: Res<Ticks>,
    fixed: Res<Time<Fixed>>,
    mut strategy: ResMut<TimeUpdateStrategy>,
) {
    let remaining = capture.ticks.saturating_sub(ticks.0);
    let advance = remaining.min(TICKS_PER_FRAME) as u32;
    *strategy = TimeUpdateStrategy::ManualDuration(fixed.timestep() * advance);
    capture.phase = match capture.phase {
        Phase::Stepping if remaining == 0 => Phase::Settling(SETTLE_FRAMES),
        Phase::Settling(0) => {
            commands
                .spawn(Screenshot::primary_window())
                .observe(take_frame);
            Phase::Waiting
        }
        Phase::Settling(n) => Phase::Settling(n - 1),
        phase => phase,
    };
}

fn take_frame(
    captured: On<ScreenshotCaptured>,
    mut capture: ResMut<Capture>,
    mut exit: MessageWriter<AppExit>,
) {
    let frame = match captured.image.clone().try_into_dynamic() {
        Ok(image) => {
            let rgb = image.to_rgb8();
            Ok(Frame {
                width: rgb.width(),
                height: rgb.height(),
                rgb: rgb.into_raw(),
            })
        }
        Err(e) => Err(format!("the captured frame could not be read: {e}")),
    };
    if matches!(&frame, Ok(f) if f.is_blank()) && capture.blank < RETRIES {
        capture.blank += 1;
        capture.phase = Phase::Settling(SETTLE_FRAMES);
        return;
    }
    let frame = frame.and_then(|f| {
        if f.is_blank() {
            Err(format!(
                "every captured frame was one colour ({} tries)",
                RETRIES + 1
            ))
        } else {
            Ok(f)
        }
    });
    let failed = frame.is_err();
    *capture
        .slot
        .lock()
        .expect("the capture slot is only locked briefly") = Some(frame);
    capture.phase = Phase::Done;
    exit.write(if failed {
        AppExit::error()
    } else {
        AppExit::Success
    });
}
