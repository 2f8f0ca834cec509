//! Writing files whole or not at all: each goes to a temporary file beside its target and is
//! renamed into place once complete, so a reader never sees half a file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot create output folder '{path}': {error}")]
    Folder { path: PathBuf, error: io::Error },
    #[error("cannot write '{path}': {error}")]
    File { path: PathBuf, error: io::Error },
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

    /// Writes `bytes` to a temporary file next to `target`.
    ///
    /// # Errors
    /// When the temporary file cannot be created or written.
    pub fn add(&mut self, target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let temp = temporary_name(target);
        let written = fs::File::create(&temp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        if let Err(error) = written {
            let _ = fs::remove_file(&temp);
            return Err(OutputError::File {
                path: target.to_owned(),
                error,
            });
        }
        self.files.push((temp, target.to_owned()));
        Ok(())
    }

    /// Renames every staged file into place; returns the targets.
    ///
    /// # Errors
    /// When a rename fails; the files not yet renamed are removed.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, OutputError> {
        let mut done = Vec::new();
        for (temp, target) in std::mem::take(&mut self.files) {
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

/// `.name.tmp-PID` in the target's folder: hidden, unique to this process, and on the same
/// file system, so the rename is atomic.
fn temporary_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
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
    fn png_round_trips_its_size() {
        let pixels = vec![200u8; 4 * 3 * 3];
        let bytes = encode_png(Path::new("x.png"), &pixels, (4, 3), 3).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (4, 3));
        assert!(encode_png(Path::new("x.png"), &pixels, (5, 3), 3).is_err());
    }
}
