//! Capturing the window: run the race a set number of fixed ticks, let the picture settle,
//! take one frame, hand it over and exit.
//!
//! Time is driven by hand here — each frame advances the clock by whole fixed ticks — so the
//! frame shows exactly the state after the requested ticks, whatever the machine's speed.
//! The plugin touches no file: the frame goes into a [`CaptureSlot`] the caller reads once
//! the app has exited.

use super::balls::Ticks;
use bevy::prelude::*;
use bevy::render::render_resource::PipelineCache;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::render::{Render, RenderApp, RenderSystems};
use bevy::time::TimeUpdateStrategy;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

/// Captures one frame after `ticks` fixed ticks, then exits the app. Add it after
/// `DefaultPlugins`, with render pipelines compiled synchronously (see [`super::build`]).
pub struct CapturePlugin {
    pub ticks: u64,
    pub slot: CaptureSlot,
}

/// Frames to wait after the last tick: lavapipe's first frames are black or half drawn and
/// egui fades its windows in.
const SETTLE_FRAMES: u32 = 10;
/// Frames in a row with no render pipeline still compiling before the picture is taken.
const READY_FRAMES: u32 = 3;
/// Blank captures tolerated before giving up.
const RETRIES: u32 = 5;
/// Fixed ticks advanced per frame at most while getting to the requested tick: only the
/// last frame is kept, so many ticks a frame cost nothing but keep 20 000 ticks quick.
const TICKS_PER_FRAME: u32 = 200;

#[derive(Resource)]
struct Capture {
    ticks: u64,
    slot: CaptureSlot,
    phase: Phase,
    blank: u32,
    /// Consecutive frames with no pipeline waiting to compile.
    ready: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    Stepping,
    Settling(u32),
    Waiting,
    Done,
}

/// How many render pipelines are still compiling, counted in the render world each frame.
/// Under load, the heightfield's and balls' pipelines can lag behind the lines' and the
/// panel's: a picture taken then would show lines over an empty background.
#[derive(Resource, Clone, Default)]
struct PipelinesPending(Arc<AtomicUsize>);

impl Plugin for CapturePlugin {
    fn build(&self, app: &mut App) {
        let pending = PipelinesPending::default();
        app.insert_resource(Capture {
            ticks: self.ticks,
            slot: self.slot.clone(),
            phase: Phase::Stepping,
            blank: 0,
            ready: 0,
        })
        .insert_resource(pending.clone())
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::ZERO))
        .add_systems(Startup, lift_frame_cap)
        .add_systems(Last, drive_capture);
        if let Some(render) = app.get_sub_app_mut(RenderApp) {
            render
                .insert_resource(pending)
                .add_systems(Render, count_pending.in_set(RenderSystems::Cleanup));
        }
    }
}

fn count_pending(cache: Res<PipelineCache>, pending: Res<PipelinesPending>) {
    pending
        .0
        .store(cache.waiting_pipelines().count(), Ordering::Relaxed);
}

/// The virtual clock caps a frame at 250 ms (16 ticks) by default; lift the cap so a frame
/// can carry `TICKS_PER_FRAME` ticks.
fn lift_frame_cap(mut time: ResMut<Time<Virtual>>, fixed: Res<Time<Fixed>>) {
    time.set_max_delta(fixed.timestep() * TICKS_PER_FRAME);
}

/// Sets how far the clock moves next frame, and asks for the frame once the ticks are done,
/// the picture has settled and no pipeline is still compiling.
fn drive_capture(
    mut commands: Commands,
    mut capture: ResMut<Capture>,
    ticks: Res<Ticks>,
    fixed: Res<Time<Fixed>>,
    pending: Res<PipelinesPending>,
    mut strategy: ResMut<TimeUpdateStrategy>,
    mut virtual_time: ResMut<Time<Virtual>>,
) {
    let remaining = capture.ticks.saturating_sub(ticks.0);
    *strategy = if remaining > 0 {
        let advance = remaining.min(u64::from(TICKS_PER_FRAME)) as u32;
        TimeUpdateStrategy::ManualDuration(fixed.timestep() * advance)
    } else {
        // Done stepping: the virtual clock (and with it the fixed one) stops, while real
        // time runs on at 60 frames a second so the panel can finish fading in.
        virtual_time.pause();
        TimeUpdateStrategy::ManualDuration(Duration::from_secs_f64(1.0 / 60.0))
    };
    capture.ready = if pending.0.load(Ordering::Relaxed) == 0 {
        capture.ready + 1
    } else {
        0
    };
    capture.phase = match capture.phase {
        Phase::Stepping if remaining == 0 => Phase::Settling(SETTLE_FRAMES),
        Phase::Settling(0) if capture.ready >= READY_FRAMES => {
            commands
                .spawn(Screenshot::primary_window())
                .observe(take_frame);
            Phase::Waiting
        }
        Phase::Settling(n) => Phase::Settling(n.saturating_sub(1)),
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
