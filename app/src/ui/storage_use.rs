//! How much of the tablet's storage the app uses and how much is left
//! (the browser's own estimate): the history screen shows it, where a
//! person looks at what the tablet holds. Sent photos leave after the site's days and records after
//! theirs, so a full tablet is a surprise to nobody.

use crate::core::store::Store;
use leptos::prelude::*;

crate::words::i18n::fixed_texts! {
    /// The storage line's words.
    pub enum Words {
        /// Before the figures.
        Storage => ("本机存储", "Storage on this device"),
        /// Bytes in use.
        Used => ("已用", "used"),
        /// Bytes left.
        Free => ("可用", "free"),
    }
}

/// `bytes` for a person: "850 KB", "12.3 MB", "1.2 GB".
pub fn size_text(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else {
        format!("{:.1} GB", b / (KB * KB * KB))
    }
}

/// The line: "本机存储 已用 12.3 MB · 可用 1.2 GB", read when shown.
#[component]
pub fn StorageUse() -> impl IntoView {
    let lang = expect_context::<Store>().signals.lang;
    let figures = RwSignal::new(None::<(u64, u64)>);
    leptos::task::spawn_local(async move {
        if let Some(f) = crate::platform::storage::estimate().await {
            figures.try_set(Some(f));
        }
    });
    move || {
        figures.get().map(|(used, quota)| {
            let free = quota.saturating_sub(used);
            view! {
                <p class="storage-use muted" data-testid="storage-use" data-used=used data-free=free>
                    {move || Words::Storage.text(lang.get())} " "
                    {move || Words::Used.text(lang.get())} " " {size_text(used)} " · "
                    {move || Words::Free.text(lang.get())} " " {size_text(free)}
                </p>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::size_text;

    #[test]
    fn sizes_read_as_a_person_would_say_them() {
        assert_eq!(size_text(0), "0 KB");
        assert_eq!(size_text(850 * 1024), "850 KB");
        assert_eq!(size_text(12_897_485), "12.3 MB");
        assert_eq!(size_text(1_288_490_189), "1.2 GB");
    }
}
