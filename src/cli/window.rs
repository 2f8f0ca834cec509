//! The commands that open a window: `app` and `screenshot`.
//!
//! Before Bevy starts, the command checks for what it will need — an X11 display and a
//! graphics adapter — so a missing one is a clear line, not a panic inside the renderer.
//! Reading the environment, checking the adapter and writing the PNG happen here, outside
//! the app's plugins.

#[cfg(feature = "app")]
pub use with_app::{open, screenshot};

#[cfg(not(feature = "app"))]
pub fn open(_: super::AppArgs) -> anyhow::Result<()> {
    Err(without_app())
}

#[cfg(not(feature = "app"))]
pub fn screenshot(_: super::ScreenshotArgs) -> anyhow::Result<()> {
    Err(without_app())
}

#[cfg(not(feature = "app"))]
fn without_app() -> anyhow::Error {
    super::Unavailable(
        "this descend was built without its app (feature `app`); build with default features"
            .into(),
    )
    .into()
}

#[cfg(feature = "app")]
mod with_app {
    use super::super::commands::{check_parent, print_out};
    use super::super::{AppArgs, SceneArgs, ScreenshotArgs, Unavailable};
    use anyhow::{Result, bail};
    use bevy::app::AppExit;
    use descend::app::capture::{CapturePlugin, CaptureSlot};
    use descend::figures::output;
    use descend::scene::{Scene, default_race};
    use std::sync::Mutex;

    impl SceneArgs {
        /// The race asked for: the surface's built-in race with any settings overridden.
        pub fn scene(&self) -> Result<Scene> {
            let (surface, start) = self.at.resolve()?;
            let (lr, momentum) = default_race(surface.kind());
            let scene = Scene::race(
                surface,
                start,
                self.lr.unwrap_or(lr),
                self.momentum.unwrap_or(momentum),
            )?;
            Ok(scene)
        }
    }

    /// `descend` / `descend app`: the window, until it is closed.
    pub fn open(args: AppArgs) -> Result<()> {
        let scene = args.scene.scene()?;
        preflight()?;
        let exit = run_caught(|| descend::app::build(scene, args.size, None).run())?;
        match exit {
            AppExit::Success => Ok(()),
            // Ctrl-C in the terminal: the user's own choice, ended the conventional way.
            AppExit::Error(code) if code.get() == 130 => std::process::exit(130),
            AppExit::Error(code) => {
                Err(Unavailable(format!("the app stopped with status {code}")).into())
            }
        }
    }

    /// `descend screenshot`: N ticks of a race, then the window as a PNG.
    pub fn screenshot(args: ScreenshotArgs) -> Result<()> {
        let is_png = args
            .out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("png"));
        if !is_png {
            bail!("output file '{}' must end in .png", args.out.display());
        }
        check_parent(&args.out)?;
        let scene = args.scene.scene()?;
        preflight()?;
        let slot = CaptureSlot::default();
        let capture = CapturePlugin {
            ticks: args.ticks,
            slot: slot.clone(),
        };
        // Building the app opens the window, which can fail too: both go under the catch.
        run_caught(move || descend::app::build(scene, args.size, Some(capture)).run())?;
        let captured = slot
            .lock()
            .map_err(|_| Unavailable("the capture was lost".into()))?
            .take();
        let frame = match captured {
            Some(Ok(frame)) => frame,
            Some(Err(message)) => return Err(Unavailable(message).into()),
            None => {
                return Err(
                    Unavailable("the window closed before the picture was taken".into()).into(),
                );
            }
        };
        let png = output::encode_png(&args.out, &frame.rgb, (frame.width, frame.height), 3)?;
        output::write_atomic(&args.out, &png)?;
        print_out(&format!(
            "wrote {} ({}x{}, after {} ticks)\n",
            args.out.display(),
            frame.width,
            frame.height,
            args.ticks
        ))
    }

    /// Checks that there is a display to open a window on and a graphics adapter to draw
    /// with.
    fn preflight() -> Result<()> {
        check_display()?;
        check_adapter()
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    fn check_display() -> Result<()> {
        let hint =
            "the window needs an X11 display; on a machine without a screen, run under xvfb-run";
        let display = std::env::var("DISPLAY").unwrap_or_default();
        if display.is_empty() {
            bail!(Unavailable(format!(
                "no display: DISPLAY is not set ({hint})"
            )));
        }
        // A local display ":N" has a socket; a missing one would only fail deep in winit.
        if let Some(number) = display.strip_prefix(':') {
            let number = number.split('.').next().unwrap_or_default();
            let socket = std::path::Path::new("/tmp/.X11-unix").join(format!("X{number}"));
            if !socket.exists() {
                bail!(Unavailable(format!(
                    "no display: nothing is listening on DISPLAY={display} ({hint})"
                )));
            }
        }
        Ok(())
    }

    #[cfg(not(all(unix, not(target_os = "macos"))))]
    fn check_display() -> Result<()> {
        Ok(())
    }

    fn check_adapter() -> Result<()> {
        let mut descriptor = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
        descriptor.backends = wgpu::Backends::from_env().unwrap_or(wgpu::Backends::all());
        let backends = descriptor.backends;
        let instance = wgpu::Instance::new(descriptor);
        let adapters = bevy::tasks::block_on(instance.enumerate_adapters(backends));
        if adapters.is_empty() {
            bail!(Unavailable(
                "no graphics adapter found (without a GPU on Linux, install Mesa's software Vulkan: \
                 apt-get install mesa-vulkan-drivers libvulkan1)"
                    .into()
            ));
        }
        Ok(())
    }

    /// The first panic's message, kept by the hook below.
    static PANIC: Mutex<Option<String>> = Mutex::new(None);

    /// Runs the app; a panic inside it becomes one line instead of a backtrace. Set
    /// DESCEND_BACKTRACE=1 to see the panic as Rust prints it, for debugging.
    fn run_caught<T>(app: impl FnOnce() -> T) -> Result<T> {
        if std::env::var_os("DESCEND_BACKTRACE").is_none() {
            std::panic::set_hook(Box::new(|info| {
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown failure".into());
                let first = message.lines().next().unwrap_or_default().to_owned();
                if let Ok(mut slot) = PANIC.lock() {
                    slot.get_or_insert(first);
                }
            }));
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(app));
        let panicked = PANIC.lock().ok().and_then(|mut slot| slot.take());
        match (result, panicked) {
            (Ok(value), None) => Ok(value),
            (_, Some(message)) => Err(Unavailable(explain(&message)).into()),
            (Err(_), None) => Err(Unavailable("the app stopped unexpectedly".into()).into()),
        }
    }

    /// A panic message in the user's terms where it is a known one.
    fn explain(message: &str) -> String {
        if message.contains("event loop") || message.contains("XOpenDisplay") {
            let display = std::env::var("DISPLAY").unwrap_or_default();
            format!(
                "cannot open a window on DISPLAY={display}: the X server is unreachable or \
                 refused the connection"
            )
        } else if message.contains("Unable to find a GPU") {
            "no graphics adapter found (without a GPU on Linux, install Mesa's software \
             Vulkan: apt-get install mesa-vulkan-drivers libvulkan1)"
                .into()
        } else {
            format!("the app stopped: {message}")
        }
    }
}
