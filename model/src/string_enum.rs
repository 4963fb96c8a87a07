//! Enums stored in documents as fixed strings ("normal", "leader",
//! "daily-review"…): one macro writes `as_str`, `Reconcile` and `Hydrate`
//! so the stored words are listed once per enum.

/// `string_enum!(Type, "what is expected", { Type::A => "a", Type::B => "b" })`.
macro_rules! string_enum {
    ($ty:ident, $expected:literal, { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $ty {
            /// The stored form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word,)+
                }
            }
        }

        impl autosurgeon::Reconcile for $ty {
            type Key<'a> = autosurgeon::reconcile::NoKey;
            fn reconcile<R: autosurgeon::Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
                r.str(self.as_str())
            }
        }

        impl autosurgeon::Hydrate for $ty {
            fn hydrate_string(s: &str) -> Result<Self, autosurgeon::HydrateError> {
                match s {
                    $($word => Ok(Self::$variant),)+
                    other => Err(autosurgeon::HydrateError::unexpected($expected, other.to_owned())),
                }
            }
        }
    };
}

pub(crate) use string_enum;
