//! Exports for the office's files and spreadsheets:
//! `GET /api/export/rounds?from=YYYY-MM-DD&to=YYYY-MM-DD[&site=S]&format=csv|xlsx`
//! — the period's patrol rounds (巡查记录), one row per slot that came due
//! (and per round walked on demand), with the columns in Chinese as on the
//! paper form. Same callers, sites and periods as the dashboard
//! ([`crate::dashboard`]). CSV is UTF-8 with a byte-order mark (Excel
//! opens Chinese text right only then); XLSX is one sheet with a bold,
//! frozen header row.

use crate::dashboard::{PeriodQuery, asked, judged_slots, period};
use crate::error::AppError;
use crate::principal::Principal;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use shiftbook_model::Lang;
use shiftbook_model::round_figures::SlotLine;
use std::collections::BTreeMap;

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The CSV writer failed.
    #[error("writing CSV: {0}")]
    Csv(String),
    /// The XLSX writer failed.
    #[error("writing XLSX: {0}")]
    Xlsx(String),
}

/// A table: its column names and rows of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The column names.
    pub headers: Vec<&'static str>,
    /// The rows, each as long as `headers`.
    pub rows: Vec<Vec<String>>,
}

/// The columns of the rounds export.
pub const ROUND_COLUMNS: [&str; 10] = [
    "站点",
    "日期",
    "巡查表",
    "岗位",
    "应巡时间",
    "巡查人",
    "开始时间",
    "完成时间",
    "结果",
    "异常项数",
];

/// The time of day of a local `YYYY-MM-DD HH:MM`, with the date when it is
/// not `date` (a night round finished after midnight).
fn clock(at: Option<&str>, date: &str) -> String {
    match at {
        Some(t) if t.get(..10) == Some(date) => t.get(11..).unwrap_or(t).to_owned(),
        Some(t) => t.to_owned(),
        None => String::new(),
    }
}

/// The rounds of `lines` as the export's table; `names` are the sites'
/// display names by id.
pub fn rounds_table(lines: &[SlotLine], names: &BTreeMap<String, String>) -> Table {
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                names
                    .get(&l.site)
                    .cloned()
                    .unwrap_or_else(|| l.site.clone()),
                l.date.clone(),
                l.title.clone(),
                shiftbook_model::template::post_name(&l.post, Lang::Zh)
                    .map_or_else(|| l.post.clone(), str::to_owned),
                clock(l.due.as_deref(), &l.date),
                l.person.clone().unwrap_or_default(),
                clock(l.started.as_deref(), &l.date),
                clock(l.finished.as_deref(), &l.date),
                l.verdict.text(Lang::Zh).to_owned(),
                l.abnormal.to_string(),
            ]
        })
        .collect();
    Table {
        headers: ROUND_COLUMNS.to_vec(),
        rows,
    }
}

/// `table` as CSV, UTF-8 with a byte-order mark.
pub fn to_csv(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(&table.headers)
        .map_err(|e| ExportError::Csv(e.to_string()))?;
    for row in &table.rows {
        w.write_record(row)
            .map_err(|e| ExportError::Csv(e.to_string()))?;
    }
    w.into_inner().map_err(|e| ExportError::Csv(e.to_string()))
}

/// `table` as an XLSX workbook of one sheet named `sheet`; counts are
/// numbers, the rest text.
pub fn to_xlsx(table: &Table, sheet: &str) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    let bold = Format::new().set_bold();
    for (c, h) in table.headers.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| ExportError::Xlsx("too many columns".into()))?;
        ws.write_string_with_format(0, c, *h, &bold).map_err(err)?;
        ws.set_column_width(c, 14).map_err(err)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| ExportError::Xlsx("too many rows".into()))?;
        for (c, value) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| ExportError::Xlsx("too many columns".into()))?;
            match value.parse::<u32>() {
                Ok(n)
                    if table
                        .headers
                        .get(usize::from(c))
                        .is_some_and(|h| h.ends_with("数")) =>
                {
                    ws.write_number(r, c, f64::from(n)).map_err(err)?;
                }
                _ => {
                    ws.write_string(r, c, value).map_err(err)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// Which file: `csv` (the default) or `xlsx`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ExportQuery {
    /// The period and sites, as the dashboard takes them.
    #[serde(flatten)]
    pub period: PeriodQuery,
    /// `csv` or `xlsx`.
    pub format: Option<String>,
}

/// `GET /api/export/rounds`.
pub async fn rounds(
    State(state): State<AppState>,
    who: Principal,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let q = asked(query)?;
    let xlsx = match q.format.as_deref() {
        None | Some("csv") => false,
        Some("xlsx") => true,
        Some(_) => return Err(AppError::BadRequest("format: csv or xlsx")),
    };
    let p = period(&who, &q.period)?;
    let (from, to) = (p.from, p.to);
    let sites = p.sites.clone();
    let names = state
        .store
        .call(move |s| {
            let mut names = BTreeMap::new();
            for id in sites {
                if let Some(site) = s.site(&id)? {
                    names.insert(id, site.name);
                }
            }
            Ok(names)
        })
        .await?;
    let lines = judged_slots(&state, p).await?.1;
    let table = rounds_table(&lines, &names);
    let (bytes, mime, ext) = if xlsx {
        (
            to_xlsx(&table, "巡查记录").map_err(AppError::Export)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        (
            to_csv(&table).map_err(AppError::Export)?,
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    // RFC 6266: an ASCII name for old clients, the Chinese one encoded.
    let disposition = format!(
        "attachment; filename=\"rounds_{from}_{to}.{ext}\"; filename*=UTF-8''%E5%B7%A1%E6%9F%A5%E8%AE%B0%E5%BD%95_{from}_{to}.{ext}"
    );
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftbook_model::round_figures::Verdict;

    fn line(verdict: Verdict, person: Option<&str>) -> SlotLine {
        SlotLine {
            site: "demo".into(),
            date: "2026-11-23".into(),
            template_id: "show-flat-night".into(),
            title: "样板房夜间巡查".into(),
            post: "lobby".into(),
            slot: "2330".into(),
            due: Some("2026-11-23 23:30".into()),
            verdict,
            person: person.map(str::to_owned),
            started: person.map(|_| "2026-11-23 23:41".to_owned()),
            finished: person.map(|_| "2026-11-24 00:05".to_owned()),
            abnormal: 2,
            doc_id: None,
        }
    }

    #[test]
    fn rows_say_what_the_paper_form_says_and_csv_opens_in_excel() {
        let names = BTreeMap::from([("demo".to_owned(), "世纪花园".to_owned())]);
        let t = rounds_table(
            &[
                line(Verdict::Late, Some("张伟")),
                line(Verdict::Missed, None),
            ],
            &names,
        );
        assert_eq!(
            t.rows[0],
            [
                "世纪花园",
                "2026-11-23",
                "样板房夜间巡查",
                "大堂岗",
                "23:30",
                "张伟",
                "23:41",
                "2026-11-24 00:05",
                "迟到",
                "2"
            ]
        );
        assert_eq!(t.rows[1][5..9], ["", "", "", "漏巡"]);
        let csv = to_csv(&t).unwrap();
        assert!(
            csv.starts_with(b"\xEF\xBB\xBF"),
            "a byte-order mark for Excel"
        );
        let mut r = csv::Reader::from_reader(&csv[3..]);
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>(),
            ROUND_COLUMNS
        );
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows, t.rows);
    }

    #[test]
    fn an_xlsx_is_a_zip_of_one_sheet() {
        let t = rounds_table(&[line(Verdict::OnTime, Some("李娜"))], &BTreeMap::new());
        let bytes = to_xlsx(&t, "巡查记录").unwrap();
        assert!(bytes.starts_with(b"PK"), "an XLSX is a zip");
    }
}
