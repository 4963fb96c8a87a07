//! The words a person reads that more than one family shows, in Chinese
//! and English: the shared fixed UI texts and the words of model values
//! ([`i18n`]; a family's own fixed texts are its `words.rs`), and every refusal, in the
//! person's language ([`error_text`]: one exhaustive dispatcher over
//! `ModelError`, one file per model family). The refusal words of a family
//! stay here rather than in the family's folder: the dispatcher must name
//! them all, and the words layer never imports a family.

pub mod error_text;
pub mod i18n;
