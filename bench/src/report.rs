//! Figures as a plain table: one row per figure, one column per target,
//! written as a Markdown pipe table so it pastes into the README as is.

use std::fmt;
use std::time::Duration;

/// A table of figures.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Printed above the table.
    pub title: String,
    /// Column headings after the first (figure) column.
    pub columns: Vec<String>,
    /// Each row's label and its values, one per column.
    pub rows: Vec<(String, Vec<String>)>,
}

impl Table {
    /// An empty table titled `title` with these value columns.
    pub fn new(title: &str, columns: Vec<String>) -> Self {
        Self {
            title: title.to_owned(),
            columns,
            rows: Vec::new(),
        }
    }

    /// Merge rows of `column`'s figures into the table, in order; a label
    /// not seen yet becomes a new row (empty in the other columns).
    pub fn set(&mut self, column: usize, rows: Vec<(String, String)>) {
        for (label, value) in rows {
            let index = match self.rows.iter().position(|(l, _)| *l == label) {
                Some(i) => i,
                None => {
                    self.rows
                        .push((label, vec![String::new(); self.columns.len()]));
                    self.rows.len() - 1
                }
            };
            if let Some(cell) = self.rows[index].1.get_mut(column) {
                *cell = value;
            }
        }
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = |s: &str| s.chars().count();
        let mut widths = vec![
            self.rows
                .iter()
                .map(|(l, _)| width(l))
                .chain([width("figure")])
                .max()
                .unwrap_or(0),
        ];
        for (i, c) in self.columns.iter().enumerate() {
            let w = self
                .rows
                .iter()
                .filter_map(|(_, v)| v.get(i).map(|s| width(s)))
                .chain([width(c)])
                .max()
                .unwrap_or(0);
            widths.push(w);
        }
        let line = |f: &mut fmt::Formatter<'_>, cells: Vec<&str>| -> fmt::Result {
            write!(f, "|")?;
            for (cell, w) in cells.iter().zip(&widths) {
                write!(f, " {cell}{} |", " ".repeat(w.saturating_sub(width(cell))))?;
            }
            writeln!(f)
        };
        if !self.title.is_empty() {
            writeln!(f, "{}\n", self.title)?;
        }
        let mut head = vec!["figure"];
        head.extend(self.columns.iter().map(String::as_str));
        line(f, head)?;
        write!(f, "|")?;
        for w in &widths {
            write!(f, "{}|", "-".repeat(w + 2))?;
        }
        writeln!(f)?;
        for (label, values) in &self.rows {
            let mut cells = vec![label.as_str()];
            cells.extend(values.iter().map(String::as_str));
            line(f, cells)?;
        }
        Ok(())
    }
}

/// The `p`-th percentile (0–100, nearest rank) of `sorted`, in ms.
pub fn percentile_ms(sorted: &[u32], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let i = rank.clamp(1, sorted.len()) - 1;
    Some(f64::from(sorted[i]) / 1000.0)
}

/// A duration: seconds with two decimals, or ms under a second.
pub fn secs(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        ms(d.as_secs_f64() * 1000.0)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// Milliseconds, with precision to suit their size.
pub fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 10.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.2} ms")
    }
}

/// KiB as MiB with one decimal.
pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// Bytes, in KiB once over 10 KiB.
pub fn bytes(b: u64) -> String {
    if b >= 10 * 1024 {
        format!("{:.1} KiB", b as f64 / 1024.0)
    } else {
        format!("{b} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let v: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentile_ms(&v, 50.0), Some(50.0));
        assert_eq!(percentile_ms(&v, 99.0), Some(99.0));
        assert_eq!(percentile_ms(&v, 100.0), Some(100.0));
        assert_eq!(percentile_ms(&[7000], 99.0), Some(7.0));
        assert_eq!(percentile_ms(&[], 50.0), None);
    }

    #[test]
    fn a_table_lines_up_its_columns_and_merges_rows_by_label() {
        let mut t = Table::new("burst", vec!["ours".into(), "node".into()]);
        t.set(0, vec![("time".into(), "1.00 s".into())]);
        t.set(
            1,
            vec![
                ("time".into(), "12.00 s".into()),
                ("extra".into(), "x".into()),
            ],
        );
        let text = t.to_string();
        assert_eq!(
            text,
            "burst\n\n\
             | figure | ours   | node    |\n\
             |--------|--------|---------|\n\
             | time   | 1.00 s | 12.00 s |\n\
             | extra  |        | x       |\n"
        );
    }
}
