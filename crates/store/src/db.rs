//! What both database backends share: sqlx's `Any` driver (one pool type whichever
//! database the URL names), SQL written once with PostgreSQL's `$N` placeholders
//! (sqlx binds them by number on SQLite too), and a query builder that numbers its
//! placeholders that way (sqlx's own writes `?` for `Any`, which PostgreSQL refuses).

use std::fmt::{Display, Write};

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Arguments, Encode, FromRow, Type};

/// The database type every query runs on.
pub type Db = sqlx::Any;
/// A pool of connections to either backend.
pub type Pool = sqlx::AnyPool;
/// A connection to either backend.
pub type Connection = sqlx::AnyConnection;
/// A row from either backend.
pub type Row = sqlx::any::AnyRow;
/// A transaction on either backend.
pub type Tx = sqlx::Transaction<'static, Db>;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One file, the embedded default.
    Sqlite,
    /// A server shared by several nodes.
    Postgres,
}

impl Backend {
    /// The backend a database URL names, if it is one we run on.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// The statement that opens a transaction that will write: SQLite takes its write
    /// lock at once (a deferred transaction that reads first can fail to upgrade).
    pub fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }
}

/// The backend a pool runs on.
pub fn backend_of(pool: &Pool) -> Backend {
    Backend::of_url(pool.connect_options().database_url.as_str()).unwrap_or(Backend::Sqlite)
}

/// The key of the transaction-level lock every writing transaction takes on
/// PostgreSQL, so ids and change numbers drawn as `MAX + 1` follow commit order across
/// nodes (SQLite's `BEGIN IMMEDIATE` serialises writers by itself).
pub(crate) const WRITE_LOCK_KEY: i64 = 0x6361_6e68_6769_6163; // "canhgiac"

/// Opens a transaction that will write, holding the database's write lock.
pub async fn begin_write(pool: &Pool) -> Result<Tx, sqlx::Error> {
    match backend_of(pool) {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK_KEY)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
}

/// A yes/no column, stored as 0/1 in an integer column on both backends (SQLite has
/// no boolean type, and sqlx's `Any` driver reads SQLite's 0/1 only as integers).
/// Read into a `bool` field with `#[sqlx(try_from = "crate::db::Flag")]`; bind a
/// `bool` as `i64::from(b)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl Type<Db> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <i64 as Type<Db>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <i64 as Type<Db>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Db> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Flag(<i64 as sqlx::Decode<'r, Db>>::decode(value)? != 0))
    }
}

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

/// Builds SQL with bound values, numbering the placeholders `$1`, `$2`, …
pub struct Sql<'args> {
    text: String,
    args: Option<AnyArguments<'args>>,
    bound: usize,
    /// `$1, $2, …` (both backends accept them) or `?` (SQLite only).
    numbered: bool,
}

impl<'args> Sql<'args> {
    /// Starts with this text; placeholders `$1, $2, …`, which both backends read.
    pub fn new(init: impl Into<String>) -> Sql<'args> {
        Sql {
            text: init.into(),
            args: Some(AnyArguments::default()),
            bound: 0,
            numbered: true,
        }
    }

    /// Starts with this text, for `backend`: on SQLite the placeholders are plain `?`.
    /// Use it for statements with many values: SQLite finds each numbered parameter's
    /// name by a linear search, so binding n of them costs n² (a 400-row insert of 15
    /// columns spent 65% of an import there).
    pub fn on(backend: Backend, init: impl Into<String>) -> Sql<'args> {
        Sql {
            numbered: backend == Backend::Postgres,
            ..Sql::new(init)
        }
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        // Writing into a String cannot fail.
        let _ = write!(self.text, "{sql}");
        self
    }

    /// Appends a placeholder and binds the value to it.
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + Encode<'args, Db> + Type<Db>,
    {
        let Some(args) = self.args.as_mut() else {
            // Built already: a builder is not reused after `build` (as with sqlx's).
            return self;
        };
        // The Any encoders only copy values into the buffer; they do not fail.
        let _ = args.add(value);
        self.bound += 1;
        if self.numbered {
            let _ = write!(self.text, "${}", self.bound);
        } else {
            self.text.push('?');
        }
        self
    }

    /// Pushes items with a separator between them (`a, b, c`).
    pub fn separated<'qb, Sep: Display>(
        &'qb mut self,
        separator: Sep,
    ) -> Separated<'qb, 'args, Sep> {
        Separated {
            builder: self,
            separator,
            first: true,
        }
    }

    /// Appends `VALUES (…), (…)`, one tuple per item, filled by `push_tuple`.
    pub fn push_values<I, F>(&mut self, tuples: I, mut push_tuple: F) -> &mut Self
    where
        I: IntoIterator,
        F: FnMut(Separated<'_, 'args, &'static str>, I::Item),
    {
        self.push("VALUES ");
        let mut first = true;
        for tuple in tuples {
            if !first {
                self.push(", ");
            }
            first = false;
            self.push("(");
            push_tuple(self.separated(", "), tuple);
            self.push(")");
        }
        self
    }

    /// The SQL written so far.
    pub fn sql(&self) -> &str {
        &self.text
    }

    /// The query, with its values.
    pub fn build<'q>(&'q mut self) -> Query<'q, Db, AnyArguments<'q>>
    where
        'args: 'q,
    {
        let args: AnyArguments<'q> = self.args.take().unwrap_or_default();
        sqlx::query_with(&self.text, args)
    }

    /// The query, its rows read as `T`.
    pub fn build_query_as<'q, T>(&'q mut self) -> QueryAs<'q, Db, T, AnyArguments<'q>>
    where
        'args: 'q,
        T: for<'r> FromRow<'r, Row>,
    {
        let args: AnyArguments<'q> = self.args.take().unwrap_or_default();
        sqlx::query_as_with(&self.text, args)
    }

    /// The query, its first column read as `T`.
    pub fn build_query_scalar<'q, T>(&'q mut self) -> QueryScalar<'q, Db, T, AnyArguments<'q>>
    where
        'args: 'q,
        (T,): for<'r> FromRow<'r, Row>,
    {
        let args: AnyArguments<'q> = self.args.take().unwrap_or_default();
        sqlx::query_scalar_with(&self.text, args)
    }
}

/// Items pushed with a separator (see [`Sql::separated`]).
pub struct Separated<'qb, 'args, Sep> {
    builder: &'qb mut Sql<'args>,
    separator: Sep,
    first: bool,
}

impl<'args, Sep: Display> Separated<'_, 'args, Sep> {
    fn separate(&mut self) {
        if !self.first {
            self.builder.push(&self.separator);
        }
        self.first = false;
    }

    /// Appends SQL text, after a separator unless it is the first item.
    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        self.separate();
        self.builder.push(sql);
        self
    }

    /// Appends SQL text with no separator.
    pub fn push_unseparated(&mut self, sql: impl Display) -> &mut Self {
        self.builder.push(sql);
        self
    }

    /// Appends a bound value with no separator.
    pub fn push_bind_unseparated<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + Encode<'args, Db> + Type<Db>,
    {
        self.builder.push_bind(value);
        self
    }

    /// Appends a bound value, after a separator unless it is the first item.
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + Encode<'args, Db> + Type<Db>,
    {
        self.separate();
        self.builder.push_bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_is_read_from_the_url_and_other_schemes_are_refused() {
        assert_eq!(Backend::of_url("sqlite:///srv/c.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgres://u@h/d"), Some(Backend::Postgres));
        assert_eq!(
            Backend::of_url("postgresql://u@h/d"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://u@h/d"), None);
        assert_eq!(Backend::of_url("/srv/c.db"), None);
    }

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut q = Sql::new("INSERT INTO t (a, b) ");
        q.push_values([(1i64, "x"), (2, "y")], |mut b, (n, s)| {
            b.push_bind(n).push_bind(s);
        });
        q.push(" WHERE c IN (");
        let mut list = q.separated(", ");
        list.push_bind(7i64).push_bind(8i64);
        q.push(")");
        assert_eq!(
            q.sql(),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) WHERE c IN ($5, $6)"
        );
    }
}
