//! The words of [`ScheduleError`]: a checklist's schedule as the
//! supervisor types it in the checklist editor (times, intervals, times a
//! day, day of month, weekdays, grace).

use super::Words;
use shiftbook_model::schedule::{MAX_TIMES_PER_DAY, ScheduleError, WHOLE_SLOT};

/// The words of `e`.
pub(super) fn words(e: &ScheduleError) -> Words {
    match e {
        ScheduleError::BadDate(s) => Words::new(
            format!("「{s}」不是日期,请用 年-月-日"),
            format!("“{s}” is not a date: use YYYY-MM-DD"),
        ),
        ScheduleError::BadTime(s) => Words::new(
            format!("「{s}」不是时间,请用 时:分(如 08:30)"),
            format!("“{s}” is not a time of day: use HH:MM (e.g. 08:30)"),
        ),
        ScheduleError::BadDateTime(s) => Words::new(
            format!("「{s}」不是日期和时间,请用 年-月-日 时:分"),
            format!("“{s}” is not a date and time: use YYYY-MM-DD HH:MM"),
        ),
        ScheduleError::BadWeekdays(_) | ScheduleError::NoDays => Words::new(
            "请至少选择一周中的一天",
            "Choose at least one day of the week",
        ),
        ScheduleError::BadGrace(n) => Words::new(
            format!("宽限时间最多 {WHOLE_SLOT} 分钟,不能是 {n}"),
            format!("The grace is at most {WHOLE_SLOT} minutes, not {n}"),
        ),
        ScheduleError::NoTimes => Words::new(
            "固定时间的安排至少要有一个时间",
            "A fixed schedule needs at least one time",
        ),
        ScheduleError::DuplicateTime(t) => Words::new(
            format!("时间 {t} 重复了"),
            format!("The time {t} is listed twice"),
        ),
        ScheduleError::BadInterval(n) => Words::new(
            format!("间隔须为 1–1440 分钟,不能是 {n}"),
            format!("The interval is 1 to 1440 minutes, not {n}"),
        ),
        ScheduleError::BadCount(n) => Words::new(
            format!("每天次数须为 1–{MAX_TIMES_PER_DAY},不能是 {n}"),
            format!("Times a day are 1 to {MAX_TIMES_PER_DAY}, not {n}"),
        ),
        ScheduleError::EmptyWindow(t) => Words::new(
            format!("时段的开始和结束都是 {t},请改为不同的时间"),
            format!("The window starts and ends at {t}: give two different times"),
        ),
        ScheduleError::WindowTooShort {
            count,
            window_minutes,
        } => Words::new(
            format!("{window_minutes} 分钟的时段容纳不了 {count} 次"),
            format!("A window of {window_minutes} minutes cannot hold {count} rounds"),
        ),
        ScheduleError::BadDayOfMonth(n) => Words::new(
            format!("每月的日期须为 1–31,不能是 {n}"),
            format!("The day of the month is 1 to 31, not {n}"),
        ),
        ScheduleError::OutOfRange => Words::new(
            "时间安排超出了支持的年份(0000–9999)",
            "The schedule falls outside the supported years 0000–9999",
        ),
    }
}
