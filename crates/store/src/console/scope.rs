//! Which reports an officer may see, and the statuses a report can have.

use crate::db::Sql;
use canhgiac_core::roles::Role;

use crate::officers::Officer;

/// Statuses of reports still waiting for a decision.
pub const OPEN_STATUSES: [&str; 3] = ["received", "accepted", "suspended"];

/// Every status a report can have.
pub const STATUSES: [&str; 8] = [
    "received",
    "accepted",
    "suspended",
    "case_opened",
    "no_case",
    "transferred",
    "not_crime",
    "merged",
];

/// The SQL condition that limits reports to what an officer's unit may see.
pub(crate) fn push_scope(q: &mut Sql<'_>, officer: &Officer) {
    if officer.role == Role::Admin || officer.provincial {
        q.push(" AND 1 = 1");
    } else {
        q.push(" AND (r.unit_id = ")
            .push_bind(officer.unit_id)
            .push(" OR (r.unit_id IS NULL AND r.place_code IS NOT DISTINCT FROM ")
            .push_bind(officer.unit_place)
            .push("))");
    }
}

#[cfg(test)]
mod tests {
    use canhgiac_core::case::Status;

    #[test]
    fn the_stored_statuses_are_the_cases() {
        let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(super::STATUSES.to_vec(), all);
        let open: Vec<&str> = Status::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str())
            .collect();
        assert_eq!(super::OPEN_STATUSES.to_vec(), open);
    }
}
