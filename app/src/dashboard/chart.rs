//! The day-by-day trend as stacked SVG bars: one bar per service date,
//! on time at the bottom, then late, made up and missed, the bars' height
//! scaled to the busiest day. Pure layout (numbers in a view box); the
//! page draws it, and it prints like the rest of the page.

use shiftbook_model::round_figures::{Counts, Verdict};
use std::collections::BTreeMap;

/// The chart's view box.
pub const WIDTH: f64 = 960.0;
/// The chart's view box.
pub const HEIGHT: f64 = 220.0;
/// Room under the bars for the dates.
pub const AXIS: f64 = 24.0;

/// The verdicts a bar stacks, bottom up.
pub const STACKED: [Verdict; 4] = [
    Verdict::OnTime,
    Verdict::Late,
    Verdict::MadeUp,
    Verdict::Missed,
];

/// One piece of one bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Which verdict.
    pub verdict: Verdict,
    /// How many slots.
    pub count: u32,
    /// Top edge.
    pub y: f64,
    /// Height.
    pub height: f64,
}

/// One day's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The service date.
    pub date: String,
    /// Left edge.
    pub x: f64,
    /// Width.
    pub width: f64,
    /// Its pieces, bottom up; empty pieces left out.
    pub segments: Vec<Segment>,
    /// Whether the date is written under it (every day when few, else
    /// about ten of them).
    pub labelled: bool,
}

/// The bars of `by_day`, in date order.
pub fn bars(by_day: &BTreeMap<String, Counts>) -> Vec<Bar> {
    let days = by_day.len().max(1);
    let slot = WIDTH / days as f64;
    let width = (slot * 0.7).max(1.0);
    let tallest = by_day
        .values()
        .map(|c| STACKED.iter().map(|v| c.of(*v)).sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = (HEIGHT - AXIS) / f64::from(tallest);
    let every = days.div_ceil(10);
    by_day
        .iter()
        .enumerate()
        .map(|(i, (date, c))| {
            let mut bottom = HEIGHT - AXIS;
            let segments = STACKED
                .iter()
                .filter_map(|v| {
                    let n = c.of(*v);
                    (n > 0).then(|| {
                        let height = f64::from(n) * scale;
                        bottom -= height;
                        Segment {
                            verdict: *v,
                            count: n,
                            y: bottom,
                            height,
                        }
                    })
                })
                .collect();
            Bar {
                date: date.clone(),
                x: i as f64 * slot + (slot - width) / 2.0,
                width,
                segments,
                labelled: i % every == 0,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(on_time: u32, late: u32, missed: u32) -> Counts {
        Counts {
            on_time,
            late,
            missed,
            due: on_time + late + missed,
            ..Counts::default()
        }
    }

    #[test]
    fn the_busiest_day_fills_the_height_and_pieces_stack_bottom_up() {
        let by_day: BTreeMap<String, Counts> = [
            ("2026-12-01".to_owned(), day(6, 2, 2)),
            ("2026-12-02".to_owned(), day(5, 0, 0)),
            ("2026-12-03".to_owned(), Counts::default()),
        ]
        .into();
        let b = bars(&by_day);
        assert_eq!(b.len(), 3);
        let first = &b[0];
        let verdicts: Vec<_> = first.segments.iter().map(|s| s.verdict).collect();
        assert_eq!(verdicts, [Verdict::OnTime, Verdict::Late, Verdict::Missed]);
        let total: f64 = first.segments.iter().map(|s| s.height).sum();
        assert!((total - (HEIGHT - AXIS)).abs() < 1e-9, "{total}");
        assert!((first.segments[0].y + first.segments[0].height - (HEIGHT - AXIS)).abs() < 1e-9);
        assert!(
            first.segments[1].y < first.segments[0].y,
            "late sits on on-time"
        );
        assert!(
            (b[1].segments[0].height - (HEIGHT - AXIS) / 2.0).abs() < 1e-9,
            "5 of 10"
        );
        assert!(b[2].segments.is_empty());
        assert!(b.iter().all(|x| x.x >= 0.0 && x.x + x.width <= WIDTH));
        assert!(b[0].x < b[1].x && b[1].x < b[2].x);
    }

    #[test]
    fn a_month_labels_about_ten_days() {
        let by_day: BTreeMap<String, Counts> = (1..=31)
            .map(|d| (format!("2026-12-{d:02}"), day(1, 0, 0)))
            .collect();
        let labelled = bars(&by_day).iter().filter(|b| b.labelled).count();
        assert!((8..=11).contains(&labelled), "{labelled}");
        assert_eq!(bars(&BTreeMap::new()), Vec::new());
    }
}
