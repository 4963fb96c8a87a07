//! The device clock, read only here. Everything below the UI takes time as
//! an argument.

/// Milliseconds since the Unix epoch, from the device clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Today's date on the device, `YYYY-MM-DD`, in the device's time zone.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format_date(d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// `YYYY-MM-DD` from calendar parts.
pub fn format_date(year: u32, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

/// `HH:MM` in the device's time zone for a timestamp.
pub fn time_of_day(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// `MM-DD HH:MM` in the device's time zone for a timestamp: records that
/// span days (keys, permits).
pub fn date_time(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}-{:02} {:02}:{:02}",
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The device's local wall time at `ms` (device time zone), for the
/// schedule computations; `None` for a time outside years 0–9999.
pub fn local(ms: i64) -> Option<shiftbook_model::schedule::LocalDateTime> {
    use shiftbook_model::schedule::{Date, LocalDateTime, MinuteOfDay};
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let date = Date::new(
        u16::try_from(d.get_full_year()).ok()?,
        u8::try_from(d.get_month() + 1).ok()?,
        u8::try_from(d.get_date()).ok()?,
    )
    .ok()?;
    let minute = MinuteOfDay::new(
        u8::try_from(d.get_hours()).ok()?,
        u8::try_from(d.get_minutes()).ok()?,
    )
    .ok()?;
    Some(LocalDateTime::new(date, minute))
}

/// The device-time range `[start, end)` of service day `date`
/// (`YYYY-MM-DD`) in the device's time zone; empty for a malformed date.
pub fn day_range_ms(date: &str) -> (i64, i64) {
    let part = |r: std::ops::Range<usize>| date.get(r).and_then(|p| p.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (part(0..4), part(5..7), part(8..10)) else {
        return (0, 0);
    };
    let start = js_sys::Date::new_with_year_month_day(y, (m as i32) - 1, d as i32);
    let end = js_sys::Date::new_with_year_month_day(y, (m as i32) - 1, d as i32 + 1);
    (start.get_time() as i64, end.get_time() as i64)
}

/// Resolve after `ms` milliseconds (lets the browser paint first).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_zero_padded() {
        assert_eq!(format_date(2026, 1, 5), "2026-01-05");
        assert_eq!(format_date(2026, 12, 31), "2026-12-31");
    }
}
