//! 可移植 SQL Portable dynamic SQL: a statement built at run time, with placeholders
//! numbered for you and values bound on whichever backend runs it.
//!
//! Static SQL is written inline with `sqlx::query` inside [`crate::on_db!`]; reach for
//! [`Sql`] only when the shape of the statement depends on input (filters, sorting).
//! Column names and SQL text come from code, never from the user: user values always
//! go through [`Sql::bind`].

use std::fmt::Write as _;

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, FromRow};

use crate::db::Db;
use crate::on_db;

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Int(i64),
    Text(String),
    Bool(bool),
    Float(f64),
    NullText,
    NullInt,
    NullFloat,
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_string())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(v.clone())
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}
impl From<f64> for Arg {
    fn from(v: f64) -> Self {
        Arg::Float(v)
    }
}
impl From<Option<f64>> for Arg {
    fn from(v: Option<f64>) -> Self {
        v.map(Arg::Float).unwrap_or(Arg::NullFloat)
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        v.map(Arg::Int).unwrap_or(Arg::NullInt)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        v.map(|t| Arg::Text(t.to_string())).unwrap_or(Arg::NullText)
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        v.map(Arg::Text).unwrap_or(Arg::NullText)
    }
}

/// Bind every [`Arg`] to a query of either backend (the macro body is compiled per backend).
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.clone()),
                Arg::Bool(v) => q.bind(*v),
                Arg::Float(v) => q.bind(*v),
                Arg::NullText => q.bind(None::<String>),
                Arg::NullInt => q.bind(None::<i64>),
                Arg::NullFloat => q.bind(None::<f64>),
            };
        }
        q
    }};
}

impl crate::db::Tx {
    /// Run one statement written in code with `args` bound to `$1…`, inside this
    /// transaction; returns the rows affected.
    pub async fn execute(&mut self, sql: &'static str, args: &[Arg]) -> Result<u64, sqlx::Error> {
        crate::on_tx!(self, |c| bind_args!(sqlx::query(sql), args).execute(&mut *c).await.map(|r| r.rows_affected()))
    }

    /// Run a built statement inside this transaction; returns the rows affected.
    pub async fn execute_sql(&mut self, sql: &Sql) -> Result<u64, sqlx::Error> {
        let text = sql.text_for(matches!(self, crate::db::Tx::Sqlite(_)));
        crate::on_tx!(self, |c| bind_args!(sqlx::query(AssertSqlSafe(text)), &sql.args).execute(&mut *c).await.map(|r| r.rows_affected()))
    }

    /// Fetch the rows of a built statement inside this transaction.
    pub async fn fetch_all<T>(&mut self, sql: &Sql) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let text = sql.text_for(matches!(self, crate::db::Tx::Sqlite(_)));
        crate::on_tx!(self, |c| bind_args!(sqlx::query_as::<_, T>(AssertSqlSafe(text)), &sql.args).fetch_all(&mut *c).await)
    }
}

impl crate::db::Conn {
    /// Fetch the rows of a built statement on this connection.
    pub async fn fetch_all<T>(&mut self, sql: &Sql) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let text = sql.text_for(matches!(self, crate::db::Conn::Sqlite(_)));
        crate::on_held!(Conn, self, |c| bind_args!(sqlx::query_as::<_, T>(AssertSqlSafe(text)), &sql.args).fetch_all(&mut *c).await)
    }

    /// Fetch the first row of a built statement on this connection, if any.
    pub async fn fetch_optional<T>(&mut self, sql: &Sql) -> Result<Option<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let text = sql.text_for(matches!(self, crate::db::Conn::Sqlite(_)));
        crate::on_held!(Conn, self, |c| bind_args!(sqlx::query_as::<_, T>(AssertSqlSafe(text)), &sql.args).fetch_optional(&mut *c).await)
    }
}

impl Sql {
    /// The statement that fetches the rows of `self` (a query written up to one more
    /// condition, e.g. `… WHERE county_code = $1 AND `) whose `column` is one of `keys`,
    /// followed by `suffix` (`ORDER BY …`, or empty). The keys travel as one parameter
    /// whatever their number: a `BIGINT[]` unpacked by `unnest` on PostgreSQL, a JSON
    /// array unpacked by `json_each` on SQLite.
    ///
    /// Both are written as `IN (SELECT …)`, so the list is unpacked once per statement
    /// whatever plan is chosen. `column = ANY(CAST($n AS BIGINT[]))` was not: when
    /// PostgreSQL's generic plan filtered rows instead of probing the index, it parsed
    /// the text array again for every row (a credit import batch of 20,000 subject keys
    /// took over 30 s on one statement).
    fn for_keys(&self, column: &str, keys: &[i64], suffix: &str, sqlite: bool) -> Sql {
        let mut list = String::with_capacity(keys.len() * 12 + 2);
        list.push(if sqlite { '[' } else { '{' });
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            let _ = write!(list, "{k}");
        }
        list.push(if sqlite { ']' } else { '}' });
        let mut s = self.clone();
        if sqlite {
            s.push(column).push(" IN (SELECT value FROM json_each(").bind(list).push("))");
        } else {
            s.push(column).push(" IN (SELECT unnest(CAST(").bind(list).push(" AS BIGINT[])))");
        }
        s.push(suffix);
        s
    }
}

impl Sql {
    /// Like [`Sql::for_keys`] for a two-column key: the rows whose `(columns.0,
    /// columns.1)` is one of `pairs`, looked up in a two-column index. The pairs travel
    /// as one JSON array of `[a, b]` on SQLite and as two `BIGINT[]` on PostgreSQL.
    fn for_key_pairs(&self, columns: (&str, &str), pairs: &[(i64, i64)], sqlite: bool) -> Sql {
        let mut s = self.clone();
        let (a, b) = columns;
        s.push("(").push(a).push(", ").push(b).push(") IN ");
        if sqlite {
            let mut list = String::with_capacity(pairs.len() * 26 + 2);
            list.push('[');
            for (i, (x, y)) in pairs.iter().enumerate() {
                let _ = write!(list, "{}[{x},{y}]", if i > 0 { "," } else { "" });
            }
            list.push(']');
            // `jsonb_each`: the array is parsed once into SQLite's binary JSON, and each
            // pair is read from that (with `json_each` every `->>` parsed its pair's text).
            s.push("(SELECT value ->> 0, value ->> 1 FROM jsonb_each(").bind(list).push("))");
        } else {
            let array = |f: &dyn Fn(&(i64, i64)) -> i64| {
                let items: Vec<String> = pairs.iter().map(|p| f(p).to_string()).collect();
                format!("{{{}}}", items.join(","))
            };
            s.push("(SELECT * FROM unnest(CAST(")
                .bind(array(&|p| p.0))
                .push(" AS BIGINT[]), CAST(")
                .bind(array(&|p| p.1))
                .push(" AS BIGINT[])))");
        }
        s
    }
}

impl crate::db::Tx {
    /// The rows of `base` whose two-column key is one of `pairs` (see
    /// [`Sql::for_key_pairs`]), inside this transaction.
    pub async fn fetch_by_key_pairs<T>(&mut self, base: &Sql, columns: (&str, &str), pairs: &[(i64, i64)]) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        if pairs.is_empty() {
            return Ok(Vec::new());
        }
        let s = base.for_key_pairs(columns, pairs, matches!(self, crate::db::Tx::Sqlite(_)));
        self.fetch_all::<T>(&s).await
    }

    /// The rows of `base` whose `column` is one of `keys` (see [`Sql::for_keys`]), inside
    /// this transaction: the one way to look many keys up at once.
    pub async fn fetch_by_keys<T>(&mut self, base: &Sql, column: &str, keys: &[i64], suffix: &str) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let s = base.for_keys(column, keys, suffix, matches!(self, crate::db::Tx::Sqlite(_)));
        self.fetch_all::<T>(&s).await
    }
}

impl Db {
    /// The rows of `base` whose `column` is one of `keys` (see [`Sql::for_keys`]).
    pub async fn fetch_by_keys<T>(&self, base: &Sql, column: &str, keys: &[i64], suffix: &str) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        base.for_keys(column, keys, suffix, matches!(self, Db::Sqlite(_))).fetch_all::<T>(self).await
    }

    /// Run one statement written in code with `args` bound to `$1…`; returns the rows affected.
    pub async fn execute(&self, sql: &'static str, args: &[Arg]) -> Result<u64, sqlx::Error> {
        on_db!(self, |p| bind_args!(sqlx::query(sql), args).execute(p).await.map(|r| r.rows_affected()))
    }
}

/// A statement under construction.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    args: Vec<Arg>,
}

/// Escape `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), args: Vec::new() }
    }

    /// Append SQL text written in code.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Append a placeholder bound to `value`.
    pub fn bind(&mut self, value: impl Into<Arg>) -> &mut Self {
        self.args.push(value.into());
        let _ = write!(self.text, "${}", self.args.len());
        self
    }

    /// Append a placeholder for each of `values`, separated by commas (the values of an
    /// `INSERT`, the items of an `IN (…)` list).
    pub fn bind_all(&mut self, values: impl IntoIterator<Item = Arg>) -> &mut Self {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v);
        }
        self
    }

    /// Append `column = placeholder` for each pair, separated by commas (an `UPDATE`'s
    /// `SET` list). The column names are constants of the calling module.
    pub fn set_all<'c>(&mut self, sets: impl IntoIterator<Item = (&'c str, Arg)>) -> &mut Self {
        for (i, (column, v)) in sets.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.text.push_str(column);
            self.text.push_str(" = ");
            self.bind(v);
        }
        self
    }

    /// Append another statement's text and values, renumbering its placeholders.
    pub fn append(&mut self, other: &Sql) -> &mut Self {
        let offset = self.args.len();
        let mut rest = other.text.as_str();
        while let Some(pos) = rest.find('$') {
            self.text.push_str(&rest[..pos]);
            let digits: String = rest[pos + 1..].chars().take_while(char::is_ascii_digit).collect();
            match digits.parse::<usize>() {
                Ok(n) => self.text.push_str(&format!("${}", n + offset)),
                Err(_) => self.text.push('$'),
            }
            rest = &rest[pos + 1 + digits.len()..];
        }
        self.text.push_str(rest);
        self.args.extend(other.args.iter().cloned());
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The statement as SQLite should run it: sequential `$1, $2…` become anonymous
    /// `?`. SQLite finds a named parameter by walking the statement's parameter list, so
    /// binding thousands of `$n` costs time quadratic in their number; `?` costs nothing.
    /// Text whose placeholders are not in order keeps its `$n`.
    fn sqlite_text(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut expected = 1usize;
        let mut rest = self.text.as_str();
        while let Some(pos) = rest.find('$') {
            out.push_str(&rest[..pos]);
            let digits: String = rest[pos + 1..].chars().take_while(char::is_ascii_digit).collect();
            match digits.parse::<usize>() {
                Ok(n) if n == expected => {
                    out.push('?');
                    expected += 1;
                }
                Ok(_) => return self.text.clone(),
                Err(_) => out.push('$'),
            }
            rest = &rest[pos + 1 + digits.len()..];
        }
        out.push_str(rest);
        out
    }

    /// The text for the backend of `db`.
    fn text_for(&self, sqlite: bool) -> String {
        if sqlite { self.sqlite_text() } else { self.text.clone() }
    }

    pub fn args(&self) -> &[Arg] {
        &self.args
    }

    pub async fn fetch_all<T>(&self, db: &Db) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let text = self.text_for(matches!(db, Db::Sqlite(_)));
        on_db!(db, |p| bind_args!(sqlx::query_as::<_, T>(AssertSqlSafe(text)), &self.args).fetch_all(p).await)
    }

    pub async fn fetch_optional<T>(&self, db: &Db) -> Result<Option<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let text = self.text_for(matches!(db, Db::Sqlite(_)));
        on_db!(db, |p| bind_args!(sqlx::query_as::<_, T>(AssertSqlSafe(text)), &self.args).fetch_optional(p).await)
    }

    /// Run a statement that yields one integer (e.g. `COUNT(*)`).
    pub async fn fetch_i64(&self, db: &Db) -> Result<i64, sqlx::Error> {
        let text = self.text_for(matches!(db, Db::Sqlite(_)));
        on_db!(db, |p| bind_args!(sqlx::query_scalar::<_, i64>(AssertSqlSafe(text)), &self.args).fetch_one(p).await)
    }
}

/// A `WHERE` clause assembled from optional conditions joined by `AND`.
#[derive(Debug, Clone, Default)]
pub struct Where {
    sql: Sql,
    any: bool,
}

impl Where {
    pub fn new() -> Where {
        Where::default()
    }

    fn and(&mut self) -> &mut Sql {
        self.sql.push(if self.any { " AND " } else { " WHERE " });
        self.any = true;
        &mut self.sql
    }

    /// `column = value`
    pub fn eq(&mut self, column: &str, value: impl Into<Arg>) -> &mut Self {
        self.and().push(column).push(" = ").bind(value);
        self
    }

    /// `column` lies in the division subtree `code` (division codes nest by prefix).
    pub fn within_division(&mut self, column: &str, code: &str) -> &mut Self {
        self.and().push(column).push(" LIKE ").bind(format!("{}%", like_escape(code))).push(" ESCAPE '\\'");
        self
    }

    /// Any of `columns` contains `text` (case as stored; user text is escaped).
    pub fn contains_any(&mut self, columns: &[&str], text: &str) -> &mut Self {
        let pattern = format!("%{}%", like_escape(text));
        let s = self.and();
        s.push("(");
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                s.push(" OR ");
            }
            // LOWER on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
            s.push("LOWER(").push(c).push(") LIKE LOWER(").bind(pattern.clone()).push(") ESCAPE '\\'");
        }
        s.push(")");
        self
    }

    /// A condition written in code with its own placeholders (`$1`… local to `cond`).
    pub fn raw(&mut self, cond: &Sql) -> &mut Self {
        self.and().push("(").append(cond).push(")");
        self
    }

    pub fn as_sql(&self) -> &Sql {
        &self.sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_value_lists_and_set_lists() {
        let mut s = Sql::new("INSERT INTO t (a, b) VALUES (");
        s.bind_all([Arg::Int(1), Arg::Text("x".into())]).push(")");
        assert_eq!(s.text(), "INSERT INTO t (a, b) VALUES ($1, $2)");
        let mut u = Sql::new("UPDATE t SET ");
        u.set_all([("a", Arg::Int(1)), ("b", Arg::NullText)]).push(" WHERE id = ").bind(7);
        assert_eq!(u.text(), "UPDATE t SET a = $1, b = $2 WHERE id = $3");
        assert_eq!(u.args().len(), 3);
    }

    #[test]
    fn numbers_placeholders_and_renumbers_appended_fragments() {
        let mut w = Where::new();
        w.eq("county_code", "410922").contains_any(&["name", "code"], "50%_off");
        let mut inner = Sql::new("a = $1 OR b = $2");
        inner.args = vec![Arg::Int(1), Arg::Int(2)];
        w.raw(&inner);
        let mut s = Sql::new("SELECT * FROM t");
        s.append(w.as_sql());
        assert_eq!(
            s.text(),
            "SELECT * FROM t WHERE county_code = $1 AND (LOWER(name) LIKE LOWER($2) ESCAPE '\\' OR LOWER(code) LIKE LOWER($3) ESCAPE '\\') AND (a = $4 OR b = $5)"
        );
        assert_eq!(s.args()[1], Arg::Text("%50\\%\\_off%".into()));
        assert!(
            s.sqlite_text()
                .ends_with("(LOWER(name) LIKE LOWER(?) ESCAPE '\\' OR LOWER(code) LIKE LOWER(?) ESCAPE '\\') AND (a = ? OR b = ?)")
        );
        let out_of_order = Sql { text: "a = $2 AND b = $1".into(), args: vec![Arg::Int(1), Arg::Int(2)] };
        assert_eq!(out_of_order.sqlite_text(), "a = $2 AND b = $1");
        assert_eq!(s.args().len(), 5);
    }
}
