//! Officer accounts, passwords (argon2id), lockout and sessions.
//!
//! A session token is 32 random bytes given to the browser once; only its SHA-256 is
//! stored. Each session has its own CSRF token. Sessions end after
//! [`SESSION_IDLE_SECS`] without use or [`SESSION_MAX_SECS`] in all.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use canhgiac_core::roles::Role;
use once_cell::sync::Lazy;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{append, now, Actor, AuditEvent};
use crate::{Store, StoreError};

/// Failed logins in a row that lock an account.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT_SECS: i64 = 15 * 60;
/// A session unused this long ends.
pub const SESSION_IDLE_SECS: i64 = 60 * 60;
/// No session lasts longer.
pub const SESSION_MAX_SECS: i64 = 12 * 60 * 60;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A signed-in officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Officer {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Unit id.
    pub unit_id: i64,
    /// Unit name.
    pub unit_name: String,
    /// Whether the unit is a provincial department (sees the whole province).
    pub provincial: bool,
    /// The commune/ward a commune unit serves.
    pub unit_place: Option<i64>,
    /// The agency a liaison belongs to, if any.
    pub agency_name: Option<String>,
}

impl Officer {
    /// The actor for the audit log.
    pub fn actor(&self) -> Actor {
        Actor {
            officer_id: Some(self.id),
            name: self.username.clone(),
        }
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewOfficer {
    /// Login name (letters, digits, `.`, `_`, `-`; 3-64).
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Unit code (`PA05`, `X26734`).
    pub unit_code: String,
    /// Initial password.
    pub password: String,
}

/// Why an account could not be created or a password changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Bad username.
    #[error("the username must be 3-64 letters, digits, '.', '_' or '-'")]
    BadUsername,
    /// Taken.
    #[error("this username is taken")]
    UsernameTaken,
    /// Unknown unit.
    #[error("no unit has the code {0}")]
    UnknownUnit(String),
    /// Too short or too long.
    #[error("the password must have {MIN_PASSWORD_CHARS}-{MAX_PASSWORD_CHARS} characters")]
    BadPassword,
    /// The current password given was wrong.
    #[error("the current password is wrong")]
    WrongPassword,
}

/// The result of a login attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Signed in: the token for the cookie and the session's CSRF token.
    Ok {
        /// The officer.
        officer: Officer,
        /// Session token (give to the browser; never stored).
        token: String,
        /// CSRF token of the session.
        csrf: String,
    },
    /// Wrong username or password (not said which).
    Invalid,
    /// Locked after too many failures, until this unix time.
    Locked {
        /// Unix seconds.
        until: i64,
    },
}

/// A login attempt once counted.
enum Attempt {
    /// No such officer.
    UnknownUser,
    /// Locked until this unix time: the password is not even verified.
    Locked { id: i64, until: i64 },
    /// Counted: verify the password against `phc`.
    Counted {
        id: i64,
        phc: String,
        active: bool,
        /// This attempt took the lock, until this unix time, unless the password is right.
        locks: Option<i64>,
    },
}

/// A session found from its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Who.
    pub officer: Officer,
    /// The CSRF token forms and API calls must carry.
    pub csrf: String,
}

/// A hash to verify against when the username is unknown, so a wrong name costs the
/// same time as a wrong password.
static DUMMY_HASH: Lazy<String> =
    Lazy::new(|| hash_password("canhgiac-dummy-password").unwrap_or_default());

fn hash_password(password: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Crypto(format!("argon2: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Password hashing is deliberately slow: keep it off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Crypto(format!("password task: {e}")))
}

fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn valid_username(u: &str) -> bool {
    (3..=64).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn check_password_rules(p: &str) -> Result<(), AccountError> {
    let n = p.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
        Ok(())
    } else {
        Err(AccountError::BadPassword)
    }
}

const OFFICER_COLUMNS: &str = "o.id, o.username, o.display_name, o.role, o.unit_id, u.name AS unit_name, u.kind AS unit_kind, u.place_code AS unit_place, a.name AS agency_name";
/// Where an officer's columns come from.
const OFFICER_FROM: &str =
    "officers o JOIN units u ON u.id = o.unit_id LEFT JOIN agencies a ON a.id = o.agency_id";

#[derive(sqlx::FromRow)]
struct OfficerRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    unit_id: i64,
    unit_name: String,
    unit_kind: String,
    unit_place: Option<i64>,
    agency_name: Option<String>,
}

impl OfficerRow {
    fn into_officer(self) -> Result<Officer, StoreError> {
        let role = Role::parse(&self.role).ok_or_else(|| {
            StoreError::Corrupt(format!("officer {}: role {}", self.id, self.role))
        })?;
        Ok(Officer {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            role,
            unit_id: self.unit_id,
            unit_name: self.unit_name,
            provincial: self.unit_kind == "province",
            unit_place: self.unit_place,
            agency_name: self.agency_name,
        })
    }
}

impl Store {
    /// Creates an account. `by` is who creates it (audited).
    pub async fn add_officer(
        &self,
        new: NewOfficer,
        by: &Actor,
    ) -> Result<Result<i64, AccountError>, StoreError> {
        if !valid_username(&new.username) {
            return Ok(Err(AccountError::BadUsername));
        }
        if let Err(e) = check_password_rules(&new.password) {
            return Ok(Err(e));
        }
        let unit: Option<(i64,)> = sqlx::query_as("SELECT id FROM units WHERE code = $1")
            .bind(new.unit_code.trim())
            .fetch_optional(&self.pool)
            .await?;
        let Some((unit_id,)) = unit else {
            return Ok(Err(AccountError::UnknownUnit(new.unit_code)));
        };
        let password = new.password.clone();
        let hash = blocking(move || hash_password(&password)).await??;
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let inserted = sqlx::query_scalar::<_, i64>("INSERT INTO officers (username, display_name, role, unit_id, password_hash, created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(&new.username)
            .bind(new.display_name.trim())
            .bind(new.role.as_str())
            .bind(unit_id)
            .bind(&hash)
            .bind(at)
            .bind(at)
            .fetch_one(&mut *tx)
            .await;
        let id = match inserted {
            Ok(id) => id,
            Err(e) if StoreError::is_unique_violation(&e) => {
                return Ok(Err(AccountError::UsernameTaken))
            }
            Err(e) => return Err(e.into()),
        };
        let target = format!("officer:{}", new.username);
        append(
            &mut tx,
            &AuditEvent {
                actor: by,
                action: "officer.add",
                target: &target,
                reason: new.role.as_str(),
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Checks a username and password; on success opens a session. Every attempt is
    /// audited; [`MAX_FAILED_LOGINS`] failures in a row lock the account for
    /// [`LOCKOUT_SECS`].
    ///
    /// The attempt is counted, and the lock taken, in one transaction *before* the
    /// password is verified: parallel guesses each take their own place in the count,
    /// so no more than [`MAX_FAILED_LOGINS`] of them are ever verified before the lock.
    /// A right password then clears the count.
    pub async fn login(&self, username: &str, password: &str) -> Result<LoginOutcome, StoreError> {
        if password.chars().count() > MAX_PASSWORD_CHARS {
            return Ok(LoginOutcome::Invalid);
        }
        let username = username.trim();
        let at = now();
        let actor_of = |id: i64| Actor {
            officer_id: Some(id),
            name: username.to_string(),
        };
        let target = format!("officer:{username}");
        let attempt = self.count_login_attempt(username, at).await?;
        let (id, phc, active, locks) = match attempt {
            Attempt::UnknownUser => {
                // The same work as for a known name, so timing tells nothing.
                let given = password.to_string();
                blocking(move || verify_password(&given, &DUMMY_HASH)).await?;
                return Ok(LoginOutcome::Invalid);
            }
            Attempt::Locked { id, until } => {
                let _guard = self.write_lock.lock().await;
                let mut tx = crate::db::begin_write(&self.pool).await?;
                let actor = actor_of(id);
                append(
                    &mut tx,
                    &AuditEvent {
                        actor: &actor,
                        action: "login.locked",
                        target: &target,
                        reason: "",
                    },
                    at,
                )
                .await?;
                tx.commit().await?;
                return Ok(LoginOutcome::Locked { until });
            }
            Attempt::Counted {
                id,
                phc,
                active,
                locks,
            } => (id, phc, active, locks),
        };
        let given = password.to_string();
        let matches = blocking(move || verify_password(&given, &phc)).await?;
        let actor = actor_of(id);
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        if !matches || !active {
            let action = if locks.is_some() {
                "login.lockout"
            } else {
                "login.failed"
            };
            append(
                &mut tx,
                &AuditEvent {
                    actor: &actor,
                    action,
                    target: &target,
                    reason: "",
                },
                at,
            )
            .await?;
            tx.commit().await?;
            return Ok(match locks {
                Some(until) => LoginOutcome::Locked { until },
                None => LoginOutcome::Invalid,
            });
        }
        sqlx::query("UPDATE officers SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let token = random_token();
        let csrf = random_token();
        sqlx::query("INSERT INTO sessions (token_hash, officer_id, csrf, created_at, seen_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash(&token))
            .bind(id)
            .bind(&csrf)
            .bind(at)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE seen_at < $1 OR created_at < $2")
            .bind(at - SESSION_IDLE_SECS)
            .bind(at - SESSION_MAX_SECS)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            &AuditEvent {
                actor: &actor,
                action: "login",
                target: &target,
                reason: "",
            },
            at,
        )
        .await?;
        tx.commit().await?;
        let officer = self.officer(id).await?.ok_or(StoreError::NotFound)?;
        Ok(LoginOutcome::Ok {
            officer,
            token,
            csrf,
        })
    }

    /// Counts one login attempt against `username`, and takes the lock when it is the
    /// last one allowed, in one transaction (compare-and-set on the count).
    async fn count_login_attempt(&self, username: &str, at: i64) -> Result<Attempt, StoreError> {
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let row: Option<(i64, String, i64, Option<i64>, i64)> = sqlx::query_as(
            "SELECT id, password_hash, failed_logins, locked_until, active FROM officers WHERE lower(username) = lower($1)",
        )
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id, phc, failed, locked_until, active)) = row else {
            return Ok(Attempt::UnknownUser);
        };
        if let Some(until) = locked_until.filter(|u| *u > at) {
            return Ok(Attempt::Locked { id, until });
        }
        let failed = failed + 1;
        let locks = (failed >= MAX_FAILED_LOGINS).then_some(at + LOCKOUT_SECS);
        let changed = sqlx::query(
            "UPDATE officers SET failed_logins = $1, locked_until = $2 WHERE id = $3 AND failed_logins = $4",
        )
        .bind(if locks.is_some() { 0 } else { failed })
        .bind(locks)
        .bind(id)
        .bind(failed - 1)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(StoreError::Conflict("the login count changed".into()));
        }
        tx.commit().await?;
        Ok(Attempt::Counted {
            id,
            phc,
            active: active != 0,
            locks,
        })
    }

    /// One officer.
    pub async fn officer(&self, id: i64) -> Result<Option<Officer>, StoreError> {
        let row: Option<OfficerRow> = sqlx::query_as(&format!(
            "SELECT {OFFICER_COLUMNS} FROM {OFFICER_FROM} WHERE o.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(OfficerRow::into_officer).transpose()
    }

    /// Active officers, for assignment lists.
    pub async fn officers(&self) -> Result<Vec<Officer>, StoreError> {
        let rows: Vec<OfficerRow> = sqlx::query_as(&format!(
            "SELECT {OFFICER_COLUMNS} FROM {OFFICER_FROM} WHERE o.active = 1 ORDER BY o.display_name"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(OfficerRow::into_officer).collect()
    }

    /// The session of a token, if it is still valid (and marks it used).
    pub async fn session(&self, token: &str) -> Result<Option<Session>, StoreError> {
        let at = now();
        let hash = token_hash(token);
        let row: Option<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT s.officer_id, s.csrf, s.created_at, s.seen_at FROM sessions s JOIN officers o ON o.id = s.officer_id WHERE s.token_hash = $1 AND o.active = 1",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some((officer_id, csrf, created, seen)) = row else {
            return Ok(None);
        };
        if at - seen > SESSION_IDLE_SECS || at - created > SESSION_MAX_SECS {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&hash)
                .execute(&self.pool)
                .await?;
            return Ok(None);
        }
        // Refresh the idle timer at most once a minute, to spare writes.
        if at - seen > 60 {
            sqlx::query("UPDATE sessions SET seen_at = $1 WHERE token_hash = $2")
                .bind(at)
                .bind(&hash)
                .execute(&self.pool)
                .await?;
        }
        let Some(officer) = self.officer(officer_id).await? else {
            return Ok(None);
        };
        Ok(Some(Session { officer, csrf }))
    }

    /// Ends a session.
    pub async fn logout(&self, token: &str, officer: &Officer) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&mut *tx)
            .await?;
        let target = format!("officer:{}", officer.username);
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "logout",
                target: &target,
                reason: "",
            },
            now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes an officer's own password; every other session of theirs ends.
    pub async fn change_password(
        &self,
        officer: &Officer,
        current: &str,
        new: &str,
        keep_token: &str,
    ) -> Result<Result<(), AccountError>, StoreError> {
        if let Err(e) = check_password_rules(new) {
            return Ok(Err(e));
        }
        let (phc,): (String,) = sqlx::query_as("SELECT password_hash FROM officers WHERE id = $1")
            .bind(officer.id)
            .fetch_one(&self.pool)
            .await?;
        let given = current.to_string();
        if current.chars().count() > MAX_PASSWORD_CHARS
            || !blocking(move || verify_password(&given, &phc)).await?
        {
            return Ok(Err(AccountError::WrongPassword));
        }
        let password = new.to_string();
        let hash = blocking(move || hash_password(&password)).await??;
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        sqlx::query(
            "UPDATE officers SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
        )
        .bind(&hash)
        .bind(at)
        .bind(officer.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE officer_id = $1 AND token_hash <> $2")
            .bind(officer.id)
            .bind(token_hash(keep_token))
            .execute(&mut *tx)
            .await?;
        let target = format!("officer:{}", officer.username);
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "password.change",
                target: &target,
                reason: "",
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let phc = hash_password("một mật khẩu dài").expect("hash");
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("một mật khẩu dài", &phc));
        assert!(!verify_password("mot mat khau dai", &phc));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn usernames_and_passwords_are_bounded() {
        assert!(valid_username("nguyen.van-a_1"));
        assert!(!valid_username("ab"));
        assert!(!valid_username("có dấu"));
        assert_eq!(
            check_password_rules("short"),
            Err(AccountError::BadPassword)
        );
        assert_eq!(check_password_rules("đủ mười hai ký tự"), Ok(()));
    }
}
