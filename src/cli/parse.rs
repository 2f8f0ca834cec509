//! Parsing and range-checking option values. Every message names the value and the accepted
//! range.

use descend::math::descent::{SettingError, check_lr, check_momentum};
use descend::math::surface::Bowl;
use descend::math::{Limits, Point, SurfaceKind};

pub fn surface_kind(s: &str) -> Result<SurfaceKind, String> {
    s.parse()
        .map_err(|e: descend::math::surface::SurfaceError| e.to_string())
}

fn number(s: &str, what: &str, range: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .map_err(|_| format!("{what} '{s}' is not a number ({range})"))
}

pub fn lr(s: &str) -> Result<f64, String> {
    let v = number(s, "learning rate", "a finite number > 0")?;
    check_lr(v).map_err(|e| e.to_string())
}

pub fn momentum(s: &str) -> Result<f64, String> {
    let v = number(s, "momentum", "a number in [0, 1)")?;
    check_momentum(v).map_err(|e| e.to_string())
}

pub fn curvature(s: &str) -> Result<f64, String> {
    let range = "a number in [1e-6, 1e6]";
    let v = number(s, "bowl curvature", range)?;
    if (Bowl::MIN_CURVATURE..=Bowl::MAX_CURVATURE).contains(&v) {
        Ok(v)
    } else {
        Err(format!("bowl curvature '{s}' is out of range ({range})"))
    }
}

pub fn tol(s: &str) -> Result<f64, String> {
    let v = number(s, "tolerance", "a finite number > 0")?;
    Limits::new(1, v).map(|l| l.tol).map_err(|e| e.to_string())
}

/// A whole number in `lo..=hi`, named `what` in messages.
fn whole(s: &str, what: &str, lo: u64, hi: u64) -> Result<u64, String> {
    let range = format!("a whole number from {lo} to {hi}");
    let v: i128 = s
        .trim()
        .parse()
        .map_err(|_| format!("{what} '{s}' is not a whole number ({range})"))?;
    u64::try_from(v)
        .ok()
        .filter(|v| (lo..=hi).contains(v))
        .ok_or_else(|| format!("{what} '{s}' is out of range ({range})"))
}

pub fn steps(s: &str) -> Result<usize, String> {
    whole(s, "steps", 1, Limits::MAX_STEPS as u64).map(|v| v as usize)
}

/// The most ticks a screenshot may wait for: past the app's step limit nothing moves.
pub const MAX_TICKS: u64 = descend::scene::APP_MAX_STEPS as u64;

pub fn ticks(s: &str) -> Result<u64, String> {
    whole(s, "ticks", 0, MAX_TICKS)
}

/// `X,Y`: two finite numbers. Negative values work as typed: `--start -4,1`.
pub fn point(s: &str) -> Result<Point, String> {
    let bad = || format!("start '{s}' is not two finite numbers X,Y (for example -2.5,1.5)");
    let (x, y) = s.split_once(',').ok_or_else(bad)?;
    let x: f64 = x.trim().parse().map_err(|_| bad())?;
    let y: f64 = y.trim().parse().map_err(|_| bad())?;
    let p = Point::new(x, y);
    if p.is_finite() {
        Ok(p)
    } else {
        Err(SettingError::StartNotFinite(p).to_string())
    }
}

pub const MIN_SIDE: u32 = 64;
pub const MAX_SIDE: u32 = 4096;

/// `WxH` in pixels, each side from 64 to 4096.
pub fn size(s: &str) -> Result<(u32, u32), String> {
    let bad =
        || format!("size '{s}' is not WxH with each side from {MIN_SIDE} to {MAX_SIDE} pixels");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    let side = MIN_SIDE..=MAX_SIDE;
    if side.contains(&w) && side.contains(&h) {
        Ok((w, h))
    } else {
        Err(bad())
    }
}

/// A list of values from the command line.
#[derive(Clone, Debug, PartialEq)]
pub struct List(pub Vec<f64>);

/// The most values one list may hold.
pub const MAX_LIST: usize = 100_000;

/// `a,b,c`, or `start:stop:count` for `count` evenly spaced values with both ends included.
fn list(s: &str, item: fn(&str) -> Result<f64, String>) -> Result<List, String> {
    let s = s.trim();
    if let Some((start, rest)) = s.split_once(':') {
        let shape = || {
            format!(
                "range '{s}' is not start:stop:count (count a whole number from 1 to {MAX_LIST})"
            )
        };
        let (stop, count) = rest.split_once(':').ok_or_else(shape)?;
        let (start, stop) = (item(start)?, item(stop)?);
        let count: usize = count.trim().parse().map_err(|_| shape())?;
        if !(1..=MAX_LIST).contains(&count) {
            return Err(shape());
        }
        if count == 1 {
            return Ok(List(vec![start]));
        }
        // The fraction first, so that stop − start times a large i cannot overflow; both ends
        // exactly as typed.
        let last = count - 1;
        let values = (0..count)
            .map(|i| match i {
                0 => start,
                i if i == last => stop,
                i => round_15(start + (stop - start) * (i as f64 / last as f64)),
            })
            .collect();
        return Ok(List(values));
    }
    let values = s.split(',').map(item).collect::<Result<Vec<_>, _>>()?;
    if values.len() > MAX_LIST {
        return Err(format!(
            "list has {} values (at most {MAX_LIST})",
            values.len()
        ));
    }
    Ok(List(values))
}

/// `v` to 15 significant digits: 0.049999999999999996 becomes 0.05, as typed ranges intend.
fn round_15(v: f64) -> f64 {
    format!("{v:.14e}").parse().unwrap_or(v)
}

pub fn lr_list(s: &str) -> Result<List, String> {
    list(s, lr)
}

pub fn momentum_list(s: &str) -> Result<List, String> {
    list(s, momentum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_ranges() {
        assert_eq!(lr_list("0.1,0.2").unwrap(), List(vec![0.1, 0.2]));
        assert_eq!(lr_list("0.01:0.05:5").unwrap().0.len(), 5);
        let r = momentum_list("0:0.9:4").unwrap().0;
        assert_eq!(r[0], 0.0);
        assert_eq!(r[3], 0.9);
        assert_eq!(r[1], 0.3);
        assert_eq!(lr_list("0.01:0.1:10").unwrap().0[4], 0.05);
        assert_eq!(momentum_list("0.5:0.5:1").unwrap(), List(vec![0.5]));
        assert!(
            lr_list("0:0.1:3")
                .unwrap_err()
                .contains("finite number > 0")
        );
        assert!(momentum_list("0:1:3").unwrap_err().contains("[0, 1)"));
        assert!(
            lr_list("0.1:0.2:0")
                .unwrap_err()
                .contains("start:stop:count")
        );
        assert!(lr_list("0.1:0.2").unwrap_err().contains("start:stop:count"));
        // Reversed ranges end where typed; huge ones do not overflow.
        assert_eq!(lr_list("0.1:0.01:4").unwrap().0[3], 0.01);
        let wide = lr_list("0.1:1e308:3").unwrap().0;
        assert!(wide.iter().all(|v| v.is_finite()), "{wide:?}");
        assert_eq!(momentum_list("-0").unwrap().0[0].to_string(), "0");
    }

    #[test]
    fn points_sizes_and_counts() {
        assert_eq!(point("-4,1").unwrap(), Point::new(-4.0, 1.0));
        assert_eq!(point(" -2.5 , 1.5 ").unwrap(), Point::new(-2.5, 1.5));
        assert!(point("1").is_err());
        assert_eq!(
            point("nan,1").unwrap_err(),
            "start '(NaN, 1)' is not two finite numbers"
        );
        assert_eq!(size("640x360").unwrap(), (640, 360));
        assert!(size("10x10").unwrap_err().contains("64 to 4096"));
        assert_eq!(
            steps("0").unwrap_err(),
            "steps '0' is out of range (a whole number from 1 to 10000000)"
        );
        assert!(steps("-5").unwrap_err().contains("out of range"));
        assert!(ticks("20001").is_err());
        assert_eq!(
            lr("abc").unwrap_err(),
            "learning rate 'abc' is not a number (a finite number > 0)"
        );
        assert_eq!(surface_kind("bowl").unwrap(), SurfaceKind::Bowl);
    }
}
