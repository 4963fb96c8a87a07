//! Every word a person reads, in Chinese and English: the fixed UI texts
//! and the words of model values ([`i18n`]), and every refusal, in the
//! person's language ([`error_text`]: one exhaustive dispatcher over
//! `ModelError`, one file per model family). The refusal words of a family
//! stay here rather than in the family's folder: the dispatcher must name
//! them all, and the words layer never imports a family.

pub mod error_text;
pub mod i18n;
