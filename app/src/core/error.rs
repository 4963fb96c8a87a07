//! What the store refuses, typed and without words: a model rule
//! ([`ModelError`]) or something the app refuses itself ([`AppProblem`]).
//! Every store operation refuses with an [`AppError`]; only pages turn it
//! into words (`AppError::text`, in `words::error_text`).

use shiftbook_model::ModelError;

/// What the app refuses before asking the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppProblem {
    /// Nobody is signed in to attribute the change to.
    NotSignedIn,
    /// The record is not (yet) on this device.
    NotOpen,
    /// The device's storage refused the write: the change is kept in
    /// memory only.
    StorageFailed,
    /// Only supervisors change the roster, the templates and the settings.
    SupervisorsOnly,
    /// The device's clock cannot be read as a local time.
    NoClock,
    /// The item is not on the round's checklist.
    UnknownItem,
    /// The checklist a step needs is not on this device.
    NoChecklist,
    /// The piece of the app that holds the documents (the engine) could
    /// not be fetched: nothing was changed.
    EngineNotLoaded,
    /// The file picked for a photo is not an image this device can read.
    PhotoUnreadable,
    /// The photo could not be prepared or kept on the device.
    PhotoFailed,
}

/// A refused store operation.
#[derive(Debug)]
pub enum AppError {
    /// A rule of the model refused the change.
    Model(ModelError),
    /// The app refused before asking the model.
    Problem(AppProblem),
}

impl From<AppProblem> for AppError {
    fn from(p: AppProblem) -> Self {
        Self::Problem(p)
    }
}

/// For the console, in the model's own words (the screens use
/// `AppError::text`): a refusal of the model as it says it, the app's own
/// by name.
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Model(e) => write!(f, "{e}"),
            Self::Problem(p) => write!(f, "{p:?}"),
        }
    }
}
