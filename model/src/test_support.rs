//! Fixtures the crate's tests share: people acting in a role on their own
//! tablet (`id<n>`, `p<n>`, device `T<n>`).

use crate::attribution::Attribution;
use crate::roster::Role;

/// Person `n` (`id<n>`, shown as `p<n>`) acting as `role` on tablet
/// `T<n>` at device time `at_ms`.
pub(crate) fn person(n: u8, role: Role, at_ms: i64) -> Attribution {
    Attribution {
        person_id: format!("id{n}"),
        person: format!("p{n}"),
        role,
        device: format!("T{n}"),
        at_ms,
    }
}

/// Person `n` as staff.
pub(crate) fn staff(n: u8, at_ms: i64) -> Attribution {
    person(n, Role::Staff, at_ms)
}
