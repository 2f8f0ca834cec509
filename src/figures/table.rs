//! Results tables: one row per run, as CSV for tools and Markdown for people.
//!
//! Columns: surface, learning rate, momentum, outcome, steps, final loss. The CSV is what
//! `descend plot` writes as `results.csv` and what `descend sweep` writes, row for row.

use crate::math::sweep::Summary;
use crate::math::{Num, Outcome, Run, Stop};
use std::fmt::Write;

/// One run's line in a results table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row<'a> {
    pub surface: &'a str,
    pub lr: f64,
    pub momentum: f64,
    pub stop: Stop,
    pub final_loss: f64,
}

impl<'a> Row<'a> {
    pub fn of_run(run: &'a Run) -> Self {
        Row {
            surface: run.surface.name(),
            lr: run.params().lr,
            momentum: run.params().momentum,
            stop: run.stop,
            final_loss: run.final_loss(),
        }
    }

    pub fn of_summary(surface: &'a str, summary: &Summary) -> Self {
        Row {
            surface,
            lr: summary.params.lr,
            momentum: summary.params.momentum,
            stop: summary.stop,
            final_loss: summary.final_loss,
        }
    }
}

/// The CSV header line, without its newline.
pub const CSV_HEADER: &str = "surface,lr,momentum,outcome,steps,final_loss";

/// Appends one CSV line. Numbers are exact (shortest round-trip form, see [`Num`]); a loss
/// that is not finite (a run that overflowed) is an empty cell.
pub fn push_csv_row(out: &mut String, row: &Row) {
    let loss = if row.final_loss.is_finite() {
        Num(row.final_loss).to_string()
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{},{},{},{},{},{loss}",
        row.surface,
        Num(row.lr),
        Num(row.momentum),
        row.stop.outcome.name(),
        row.stop.steps,
    );
}

/// A whole CSV table, header first.
pub fn csv<'a>(rows: impl IntoIterator<Item = Row<'a>>) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for row in rows {
        push_csv_row(&mut out, &row);
    }
    out
}

/// A Markdown table for reading: the outcome names the stationary point when there is one.
pub fn markdown<'a>(rows: impl IntoIterator<Item = Row<'a>>) -> String {
    let mut out = String::from(
        "| surface | η (lr) | μ (momentum) | outcome | steps | final loss |\n\
         |---|---:|---:|---|---:|---:|\n",
    );
    for row in rows {
        let outcome = match row.stop.outcome {
            Outcome::Converged(s) => format!("converged ({})", s.name()),
            other => other.name().to_owned(),
        };
        let loss = if row.final_loss.is_finite() {
            format!("{:.3e}", row.final_loss)
        } else {
            "not finite".into()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {loss} |",
            row.surface,
            Num(row.lr),
            Num(row.momentum),
            outcome,
            row.stop.steps,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::{Limits, Params, Point, SurfaceKind};

    #[test]
    fn a_run_becomes_one_row_in_each_format() {
        let bowl = SurfaceKind::Bowl.surface();
        let params = Params::new(0.02, 0.9).unwrap();
        let run = Run::new(&bowl, Point::new(-2.5, 1.5), params, Limits::default()).unwrap();
        let csv = csv([Row::of_run(&run)]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "surface,lr,momentum,outcome,steps,final_loss");
        let cells: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(
            cells[..5],
            [
                "bowl",
                "0.02",
                "0.9",
                "converged",
                &run.stop.steps.to_string()
            ]
        );
        assert_eq!(cells[5].parse::<f64>().unwrap(), run.final_loss());

        let md = markdown([Row::of_run(&run)]);
        assert!(
            md.lines()
                .nth(2)
                .unwrap()
                .starts_with("| bowl | 0.02 | 0.9 | converged (minimum) |")
        );
    }
}
