//! Writing files whole or not at all: each goes to a temporary file beside its target and is
//! renamed into place once complete, so a reader never sees half a file.
//!
//! Temporary files are created exclusively (never through an existing file or link) under
//! short hidden names, and a target that exists must be a writable regular file: a folder,
//! a device, a pipe or a read-only file is refused rather than replaced.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot create output folder '{path}': {error}")]
    Folder { path: PathBuf, error: io::Error },
    #[error("cannot create output folder '{}': a file of that name exists", .0.display())]
    NotAFolder(PathBuf),
    #[error("cannot write '{path}': {error}")]
    File { path: PathBuf, error: io::Error },
    #[error("cannot write '{}': {}", .0.display(), .1)]
    Target(PathBuf, &'static str),
    #[error("cannot encode PNG '{path}': {message}")]
    Png { path: PathBuf, message: String },
}

/// Files written to temporary names, renamed into place together by [`Staged::commit`]; any
/// still staged when dropped are removed.
#[derive(Default)]
pub struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    pub fn new() -> Self {
        Staged::default()
    }

    /// Writes `bytes` to a new temporary file next to `target`.
    ///
    /// # Errors
    /// When `target` exists and is not a writable regular file, or the temporary file
    /// cannot be created or written.
    pub fn add(&mut self, target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        check_target(target)?;
        let fail = |error| OutputError::File {
            path: target.to_owned(),
            error,
        };
        let (temp, mut file) = create_temporary(target).map_err(fail)?;
        // Staged before writing, so a failed write still removes it.
        self.files.push((temp, target.to_owned()));
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(fail)
    }

    /// Renames every staged file into place; returns the targets. Every target is checked
    /// again first, so one that became a folder meanwhile stops the commit before any
    /// rename.
    ///
    /// # Errors
    /// When a target is refused or a rename fails; the files not yet renamed are removed.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, OutputError> {
        for (_, target) in &self.files {
            check_target(target)?;
        }
        let mut done = Vec::new();
        while !self.files.is_empty() {
            let (temp, target) = self.files.remove(0);
            if let Err(error) = fs::rename(&temp, &target) {
                let _ = fs::remove_file(&temp);
                return Err(OutputError::File {
                    path: target,
                    error,
                });
            }
            done.push(target);
        }
        Ok(done)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (temp, _) in &self.files {
            let _ = fs::remove_file(temp);
        }
    }
}

/// Refuses a target that exists and is not a regular file we may write.
fn check_target(target: &Path) -> Result<(), OutputError> {
    let refuse = |why| Err(OutputError::Target(target.to_owned(), why));
    match fs::symlink_metadata(target) {
        Err(_) => Ok(()),
        Ok(meta) if meta.is_dir() => refuse("it is a folder"),
        Ok(meta) if meta.file_type().is_symlink() => refuse("it is a symbolic link"),
        Ok(meta) if !meta.is_file() => refuse("it is not a regular file"),
        Ok(meta) if meta.permissions().readonly() => refuse("it is read-only"),
        Ok(_) => Ok(()),
    }
}

/// A new, empty file `.descend-PID-N.tmp` in the target's folder: hidden, short enough for
/// any legal target name, on the same file system (so the rename is atomic), and created
/// exclusively, so an existing file or link of that name is never written through.
fn create_temporary(target: &Path) -> io::Result<(PathBuf, fs::File)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = folder.join(format!(".descend-{}-{n}.tmp", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Writes one file atomically.
///
/// # Errors
/// When it cannot be written or renamed into place.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut staged = Staged::new();
    staged.add(target, bytes)?;
    staged.commit().map(drop)
}

/// Creates `folder` (and its parents) if missing.
///
/// # Errors
/// When it cannot be created, or exists and is not a folder.
pub fn ensure_folder(folder: &Path) -> Result<(), OutputError> {
    if folder.exists() && !folder.is_dir() {
        return Err(OutputError::NotAFolder(folder.to_owned()));
    }
    fs::create_dir_all(folder).map_err(|error| OutputError::Folder {
        path: folder.to_owned(),
        error,
    })
}

/// Encodes 8-bit pixels, `channels` per pixel (3 for RGB, 4 for RGBA), as a PNG.
///
/// # Errors
/// When the buffer does not hold `width × height` pixels.
pub fn encode_png(
    path: &Path,
    pixels: &[u8],
    (width, height): (u32, u32),
    channels: usize,
) -> Result<Vec<u8>, OutputError> {
    let fail = |message: String| OutputError::Png {
        path: path.to_owned(),
        message,
    };
    let color = match channels {
        3 => png::ColorType::Rgb,
        4 => png::ColorType::Rgba,
        n => return Err(fail(format!("{n} channels per pixel"))),
    };
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| fail(e.to_string()))?;
    writer
        .write_image_data(pixels)
        .map_err(|e| fail(e.to_string()))?;
    writer.finish().map_err(|e| fail(e.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_files_appear_only_on_commit_and_vanish_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        let mut staged = Staged::new();
        staged.add(&a, b"first").unwrap();
        staged.add(&b, b"second").unwrap();
        assert!(!a.exists() && !b.exists());
        assert_eq!(staged.commit().unwrap(), vec![a.clone(), b.clone()]);
        assert_eq!(fs::read(&a).unwrap(), b"first");

        let c = dir.path().join("c.txt");
        let mut abandoned = Staged::new();
        abandoned.add(&c, b"never").unwrap();
        drop(abandoned);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "only a and b remain: {names:?}");
    }

    #[test]
    fn folders_devices_links_and_read_only_files_are_refused_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("taken");
        fs::create_dir(&folder).unwrap();
        let err = write_atomic(&folder, b"x").unwrap_err().to_string();
        assert!(err.ends_with("it is a folder"), "{err}");
        let err = write_atomic(Path::new("/dev/null"), b"x")
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("it is not a regular file"), "{err}");
        let locked = dir.path().join("locked.csv");
        fs::write(&locked, b"keep").unwrap();
        let mut perms = fs::metadata(&locked).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&locked, perms).unwrap();
        let err = write_atomic(&locked, b"x").unwrap_err().to_string();
        assert!(err.ends_with("it is read-only"), "{err}");
        assert_eq!(fs::read(&locked).unwrap(), b"keep");
        // Nothing but what the test made is left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_refused_target_stops_the_whole_commit_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let (good, bad) = (dir.path().join("a.png"), dir.path().join("b.csv"));
        let mut staged = Staged::new();
        staged.add(&good, b"image").unwrap();
        staged.add(&bad, b"table").unwrap();
        fs::create_dir(&bad).unwrap(); // b.csv becomes a folder before the commit
        assert!(staged.commit().is_err());
        assert!(
            !good.exists(),
            "a.png was renamed into place although b.csv failed"
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "only the folder b.csv"
        );
    }

    #[test]
    fn long_legal_names_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a".repeat(250));
        write_atomic(&target, b"x").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"x");
    }

    #[test]
    fn png_round_trips_its_size() {
        let pixels = vec![200u8; 4 * 3 * 3];
        let bytes = encode_png(Path::new("x.png"), &pixels, (4, 3), 3).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (4, 3));
        assert!(encode_png(Path::new("x.png"), &pixels, (5, 3), 3).is_err());
    }
}
