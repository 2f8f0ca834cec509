//! Clipping paths to a rectangle, so a diverging run is cut at the frame's edge instead of
//! stretching the view.

use crate::math::{Point, View};

/// The part of segment `a`–`b` inside `view` (Liang–Barsky), or `None` if it misses.
/// Non-finite ends miss.
pub fn clip_segment(a: Point, b: Point, view: View) -> Option<(Point, Point)> {
    if !a.is_finite() || !b.is_finite() {
        return None;
    }
    let d = b - a;
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    let edges = [
        (-d.x, a.x - view.x.0),
        (d.x, view.x.1 - a.x),
        (-d.y, a.y - view.y.0),
        (d.y, view.y.1 - a.y),
    ];
    for (p, q) in edges {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then(|| (a + t0 * d, a + t1 * d))
}

/// The visible pieces of a polyline: consecutive clipped segments joined where they touch.
pub fn clip_path(path: &[Point], view: View) -> Vec<Vec<Point>> {
    let mut pieces: Vec<Vec<Point>> = Vec::new();
    let mut current: Vec<Point> = Vec::new();
    for pair in path.windows(2) {
        match clip_segment(pair[0], pair[1], view) {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() >= 2 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(a);
                }
                current.push(b);
            }
            None => {
                if current.len() >= 2 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() >= 2 {
        pieces.push(current);
    }
    pieces
}

/// Where a path first leaves `view`: the crossing point on the edge, if it does.
pub fn exit_point(path: &[Point], view: View) -> Option<Point> {
    let k = path.iter().position(|&p| !view.contains(p))?;
    if k == 0 {
        return None;
    }
    clip_segment(path[k - 1], path[k], view).map(|(_, b)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX: View = View::new((-1.0, 1.0), (-1.0, 1.0));

    #[test]
    fn segments_are_cut_at_the_edges() {
        let p = |x, y| Point::new(x, y);
        assert_eq!(
            clip_segment(p(0.0, 0.0), p(0.5, 0.5), BOX),
            Some((p(0.0, 0.0), p(0.5, 0.5)))
        );
        assert_eq!(
            clip_segment(p(0.0, 0.0), p(3.0, 0.0), BOX),
            Some((p(0.0, 0.0), p(1.0, 0.0)))
        );
        assert_eq!(
            clip_segment(p(-3.0, 0.5), p(3.0, 0.5), BOX),
            Some((p(-1.0, 0.5), p(1.0, 0.5)))
        );
        assert_eq!(
            clip_segment(p(0.0, 2.0), p(0.5, 0.0), BOX),
            Some((p(0.25, 1.0), p(0.5, 0.0)))
        );
        assert_eq!(clip_segment(p(2.0, 2.0), p(3.0, -3.0), BOX), None);
        assert_eq!(clip_segment(p(0.0, 0.0), p(f64::NAN, 0.0), BOX), None);
    }

    #[test]
    fn a_zigzag_that_leaves_and_returns_splits_into_pieces() {
        let path = [
            Point::new(0.0, 0.0),
            Point::new(0.5, 0.0),
            Point::new(3.0, 0.0),
            Point::new(3.0, 0.5),
            Point::new(0.0, 0.5),
        ];
        let pieces = clip_path(&path, BOX);
        assert_eq!(
            pieces,
            vec![
                vec![
                    Point::new(0.0, 0.0),
                    Point::new(0.5, 0.0),
                    Point::new(1.0, 0.0)
                ],
                vec![Point::new(1.0, 0.5), Point::new(0.0, 0.5)],
            ]
        );
        assert_eq!(exit_point(&path, BOX), Some(Point::new(1.0, 0.0)));
    }
}
