//! Officer roles and what each may do. One table answers every permission question,
//! so the console, the officer API and the role-matrix test agree.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// An officer's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Manages accounts, sees the audit log, everything a leader may do.
    Admin,
    /// Lãnh đạo: approves extensions and decisions, sees everything in the unit.
    Leader,
    /// Cán bộ thụ lý: handles the reports assigned to them.
    Investigator,
    /// Statistics and the catalogue; never reporters' identities.
    Analyst,
    /// An agency's liaison: awareness activities only, no access to reports.
    Liaison,
    /// Giám sát: the People's Council, the Fatherland Front and socio-political
    /// organisations. Aggregated statistics and periodic reports only: never a
    /// narrative, an identity or an identifier.
    Oversight,
}

/// Something an officer may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See the triage queue and report pages (without reporters' identities).
    ViewReports,
    /// Formally receive, assign to oneself, record decisions on assigned reports.
    HandleReports,
    /// Assign reports to other officers, merge, mark not-a-crime in bulk.
    ManageQueue,
    /// Approve an extension of the statutory time limit.
    ApproveExtension,
    /// Record decisions: open a case or not, suspend, resume, transfer.
    Decide,
    /// See a reporter's contact details (each view is audited).
    ViewReporterIdentity,
    /// Mark identifiers verified-scam or cleared.
    VerifyIdentifiers,
    /// Edit the registry of protected brands.
    EditBrands,
    /// Edit the catalogue of scam methods.
    EditCatalogue,
    /// Draft, edit and publish bulletins.
    PublishBulletins,
    /// Record the awareness activities of one's own agency.
    RecordActivity,
    /// See every agency's activities and export them; manage the agency registry.
    ViewActivity,
    /// Read the audit log.
    ViewAudit,
    /// Create and disable accounts.
    ManageAccounts,
    /// See the statistics of reports, handling, holds and awareness work (aggregated;
    /// small counts are suppressed for roles without [`Permission::ViewReports`]).
    ViewStatistics,
}

impl Role {
    /// Every role, highest first.
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Leader,
        Role::Investigator,
        Role::Analyst,
        Role::Liaison,
        Role::Oversight,
    ];

    /// The stable name stored and accepted by the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Investigator => "investigator",
            Role::Analyst => "analyst",
            Role::Liaison => "liaison",
            Role::Oversight => "oversight",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The role's name for people.
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::Admin, Lang::Vi) => "Quản trị",
            (Role::Admin, Lang::En) => "Administrator",
            (Role::Leader, Lang::Vi) => "Lãnh đạo",
            (Role::Leader, Lang::En) => "Leader",
            (Role::Investigator, Lang::Vi) => "Cán bộ thụ lý",
            (Role::Investigator, Lang::En) => "Investigator",
            (Role::Analyst, Lang::Vi) => "Phân tích viên",
            (Role::Analyst, Lang::En) => "Analyst",
            (Role::Liaison, Lang::Vi) => "Đầu mối cơ quan",
            (Role::Liaison, Lang::En) => "Agency liaison",
            (Role::Oversight, Lang::Vi) => "Giám sát",
            (Role::Oversight, Lang::En) => "Oversight",
        }
    }

    /// Whether this role has a permission.
    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Leader => !matches!(p, ManageAccounts | ViewAudit | RecordActivity),
            Role::Investigator => matches!(
                p,
                ViewReports | HandleReports | ViewReporterIdentity | VerifyIdentifiers
            ),
            Role::Analyst => matches!(
                p,
                ViewReports
                    | EditBrands
                    | EditCatalogue
                    | PublishBulletins
                    | ViewActivity
                    | ViewStatistics
            ),
            Role::Liaison => matches!(p, RecordActivity),
            Role::Oversight => matches!(p, ViewStatistics),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn analysts_never_see_identities_and_liaisons_see_no_reports() {
        assert!(!Role::Analyst.can(Permission::ViewReporterIdentity));
        assert!(Role::Analyst.can(Permission::ViewReports));
        assert!(!Role::Liaison.can(Permission::ViewReports));
        assert!(!Role::Investigator.can(Permission::ApproveExtension));
        assert!(Role::Leader.can(Permission::ApproveExtension));
        assert!(!Role::Leader.can(Permission::ManageAccounts));
        assert!(Role::Admin.can(Permission::ViewAudit));
    }

    #[test]
    fn oversight_sees_statistics_and_nothing_else() {
        assert!(Role::Oversight.can(Permission::ViewStatistics));
        assert!(Role::Leader.can(Permission::ViewStatistics));
        assert!(!Role::Investigator.can(Permission::ViewStatistics));
        assert!(!Role::Liaison.can(Permission::ViewStatistics));
        for p in [
            Permission::ViewReports,
            Permission::ViewReporterIdentity,
            Permission::ViewActivity,
            Permission::RecordActivity,
            Permission::ViewAudit,
        ] {
            assert!(!Role::Oversight.can(p), "{p:?}");
        }
    }
}
