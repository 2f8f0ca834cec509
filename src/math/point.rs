//! A point (or vector) in the plane of a loss surface's two parameters.

use std::ops::{Add, Mul, Sub};

/// A point `(x, y)` in parameter space, or a vector in it (a gradient, a velocity).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub const ZERO: Point = Point { x: 0.0, y: 0.0 };

    pub const fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    /// The dot product `x·x' + y·y'`.
    pub fn dot(self, other: Point) -> f64 {
        self.x * other.x + self.y * other.y
    }

    /// The squared Euclidean norm.
    pub fn norm_squared(self) -> f64 {
        self.dot(self)
    }

    pub fn norm(self) -> f64 {
        self.norm_squared().sqrt()
    }

    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }
}

impl Add for Point {
    type Output = Point;
    fn add(self, rhs: Point) -> Point {
        Point::new(self.x + rhs.x, self.y + rhs.y)
    }
}

impl Sub for Point {
    type Output = Point;
    fn sub(self, rhs: Point) -> Point {
        Point::new(self.x - rhs.x, self.y - rhs.y)
    }
}

impl Mul<Point> for f64 {
    type Output = Point;
    fn mul(self, rhs: Point) -> Point {
        Point::new(self * rhs.x, self * rhs.y)
    }
}

/// Serialised as the pair `[x, y]`; a non-finite coordinate becomes `null`, as JSON has no
/// infinity.
impl serde::Serialize for Point {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        [self.x, self.y].serialize(serializer)
    }
}

impl std::fmt::Display for Point {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "({}, {})", Num(self.x), Num(self.y))
    }
}

/// A number for people to read, still exact: the shortest form that reads back to the same
/// `f64`, in plain decimals from 0.0001 up to ten million and in exponent form outside
/// ("1e-300", not three hundred zeros). Zero is "0", whatever its sign.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Num(pub f64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        if v == 0.0 {
            f.write_str("0")
        } else if !v.is_finite() || (1e-4..1e7).contains(&v.abs()) {
            write!(f, "{v}")
        } else {
            write!(f, "{v:e}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well_and_round_trip() {
        let cases = [
            (0.02, "0.02"),
            (-0.0, "0"),
            (1e-300, "1e-300"),
            (5e-324, "5e-324"),
            (1e308, "1e308"),
            (123.5, "123.5"),
            (4.840837817477387e-13, "4.840837817477387e-13"),
            (f64::INFINITY, "inf"),
        ];
        for (v, text) in cases {
            assert_eq!(Num(v).to_string(), text);
            if v.is_finite() {
                assert_eq!(text.parse::<f64>().unwrap(), v);
            }
        }
    }
}
