//! 列表 The one list / filter / paginate helper every module uses.
//!
//! A page handler takes [`ListQuery`] from the query string, turns it into
//! [`ListParams`] against the columns it allows sorting by (bad input is a clear
//! Chinese error, never a 500), builds its filter with [`crate::sql::Where`] (scope
//! first) and calls [`fetch_page`].

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use crate::db::Db;
use crate::error::AppError;
use crate::sql::{Sql, Where};

pub const DEFAULT_PER_PAGE: i64 = 20;
pub const MAX_PER_PAGE: i64 = 200;
pub const MAX_QUERY_CHARS: usize = 100;

/// Raw list parameters as they arrive in the query string (all text, so that a bad
/// number becomes our own error message instead of the framework's).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    pub page: Option<String>,
    pub per_page: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
}

/// A sortable column: the name users send and the SQL it stands for. In a list of
/// sort keys the FIRST must be unique (a primary key or unique column): it is appended
/// to every ordering as the tie-breaker, so pages never repeat or skip rows.
#[derive(Debug, Clone, Copy)]
pub struct SortKey {
    pub key: &'static str,
    pub column: &'static str,
}

/// Checked list parameters.
#[derive(Debug, Clone)]
pub struct ListParams {
    pub page: i64,
    pub per_page: i64,
    /// Search text, trimmed; `None` when empty.
    pub q: Option<String>,
    /// `ORDER BY` clause from code (never from the user).
    pub order_by: String,
    /// The sort as the user sent it (`name` or `-name`), for links.
    pub sort: String,
}

impl ListParams {
    /// Check `raw` against the allowed sort keys. `default_sort` is e.g. `"code"` or `"-created"`.
    pub fn parse(raw: &ListQuery, sortable: &[SortKey], default_sort: &str) -> Result<ListParams, AppError> {
        let page = parse_positive(raw.page.as_deref(), 1, "list.page", "页码")?;
        let per_page = parse_positive(raw.per_page.as_deref(), DEFAULT_PER_PAGE, "list.per_page", "每页条数")?;
        if per_page > MAX_PER_PAGE {
            return Err(AppError::bad_request("list.per_page", format!("每页条数不能超过 {MAX_PER_PAGE}")));
        }
        if page > 1_000_000 {
            return Err(AppError::bad_request("list.page", "页码过大"));
        }
        let q = raw.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        if let Some(q) = &q
            && q.chars().count() > MAX_QUERY_CHARS
        {
            return Err(AppError::bad_request("list.q", format!("搜索词不能超过 {MAX_QUERY_CHARS} 个字")));
        }
        let sort = raw.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(default_sort).to_string();
        let (desc, key) = match sort.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, sort.as_str()),
        };
        let Some(col) = sortable.iter().find(|s| s.key == key) else {
            let keys: Vec<_> = sortable.iter().map(|s| s.key).collect();
            return Err(AppError::bad_request("list.sort", format!("不能按“{key}”排序，可选：{}", keys.join("、"))));
        };
        let dir = if desc { "DESC" } else { "ASC" };
        let tiebreak = &sortable[0];
        let order_by = if tiebreak.column == col.column {
            format!("{} {dir}", col.column)
        } else {
            format!("{} {dir}, {} {dir}", col.column, tiebreak.column)
        };
        Ok(ListParams { page, per_page, q, order_by, sort })
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }
}

fn parse_positive(raw: Option<&str>, default: i64, code: &'static str, what: &str) -> Result<i64, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(AppError::bad_request(code, format!("{what}必须是正整数，收到“{s}”"))),
        },
    }
}

/// One page of results.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
    pub fn has_prev(&self) -> bool {
        self.page > 1
    }
    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }
}

/// Run `select` (a `SELECT … FROM …` without `WHERE`) with `filter`, sorted and paged
/// as `params` says, and count all matching rows.
pub async fn fetch_page<T>(db: &Db, select: &str, filter: &Where, params: &ListParams) -> Result<Page<T>, sqlx::Error>
where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    let mut count = Sql::new("SELECT COUNT(*) FROM (");
    count.push(select).append(filter.as_sql()).push(") AS counted");
    let total = count.fetch_i64(db).await?;
    let mut q = Sql::new(select);
    q.append(filter.as_sql());
    q.push(" ORDER BY ").push(&params.order_by).push(" LIMIT ").bind(params.per_page).push(" OFFSET ").bind(params.offset());
    let items = q.fetch_all(db).await?;
    Ok(Page { items, total, page: params.page, per_page: params.per_page })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SORT: &[SortKey] = &[SortKey { key: "code", column: "d.code" }, SortKey { key: "name", column: "d.name" }];

    fn raw(page: &str, per: &str, sort: &str) -> ListQuery {
        ListQuery { page: Some(page.into()), per_page: Some(per.into()), q: Some("  城关 ".into()), sort: Some(sort.into()) }
    }

    #[test]
    fn parses_and_rejects_in_chinese() {
        let p = ListParams::parse(&raw("2", "50", "-name"), SORT, "code").unwrap();
        assert_eq!((p.page, p.per_page, p.offset()), (2, 50, 50));
        assert_eq!(p.order_by, "d.name DESC, d.code DESC", "the unique first key breaks ties");
        assert_eq!(p.q.as_deref(), Some("城关"));
        let e = ListParams::parse(&raw("0", "50", "code"), SORT, "code").unwrap_err();
        assert_eq!(e.code, "list.page");
        let e = ListParams::parse(&raw("1", "abc", "code"), SORT, "code").unwrap_err();
        assert_eq!(e.code, "list.per_page");
        let e = ListParams::parse(&raw("1", "500", "code"), SORT, "code").unwrap_err();
        assert_eq!(e.code, "list.per_page");
        let e = ListParams::parse(&raw("1", "5", "password; DROP TABLE x"), SORT, "code").unwrap_err();
        assert_eq!(e.code, "list.sort");
        let d = ListParams::parse(&ListQuery::default(), SORT, "code").unwrap();
        assert_eq!((d.page, d.per_page, d.order_by.as_str()), (1, DEFAULT_PER_PAGE, "d.code ASC"));
    }
}
