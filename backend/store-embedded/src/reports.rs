//! Reports to staff: id → report; the open ones by (time, id), the queue's order; the open
//! ones by (subject, reporter) → id, which both finds a subject's open reports and keeps one
//! open report per person and subject (checked in the filing's write transaction, which redb
//! runs one at a time, so a double click files one); and every report by (reporter, time, id),
//! for its reporter's data download.

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::{ReportId, UserId};
use cloumer_domain::page::Page;
use cloumer_domain::ports::ReportRepository;
use cloumer_domain::report::{Report, ReportCursor, ReportSubject};
use redb::{ReadableTable, TableDefinition, TableHandle};

use super::{EmbeddedStore, PAST_IDS, TxResult, decode, encode, is_new, nanos, port_only};

/// report id → report
const REPORTS: TableDefinition<&str, &[u8]> = TableDefinition::new("reports");
/// (filed at, report id) of open reports
const OPEN_REPORTS: TableDefinition<(i64, &str), ()> = TableDefinition::new("open_reports");
/// (subject key, reporter) → open report id
const OPEN_BY_SUBJECT: TableDefinition<(&str, &str), &str> =
    TableDefinition::new("open_reports_by_subject");

/// (reporter, filed at, report id) of every report
const FILED_BY: TableDefinition<(&str, i64, &str), ()> =
    TableDefinition::new("reports_by_reporter");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> TxResult<()> {
    let upgrading = is_new(tx, FILED_BY.name())?;
    let reports = tx.open_table(REPORTS).port("t")?;
    tx.open_table(OPEN_REPORTS).port("t")?;
    tx.open_table(OPEN_BY_SUBJECT).port("t")?;
    let mut filed_by = tx.open_table(FILED_BY).port("t")?;
    // A store written before reports were listed by their reporter gets the list at its first
    // open after the upgrade (in this transaction: whole or not at all); from then on every
    // filing adds to it.
    if upgrading {
        for entry in reports.iter().port("listing reports")? {
            let (_, value) = entry.port("listing reports")?;
            let report: Report = decode(value.value())?;
            let key = (
                report.reporter.as_str(),
                nanos(report.created_at),
                report.id.as_str(),
            );
            filed_by.insert(key, ()).port("listing reports")?;
        }
    }
    Ok(())
}

fn read_report<T: ReadableTable<&'static str, &'static [u8]>>(
    table: &T,
    id: &str,
) -> PortResult<Option<Report>> {
    table
        .get(id)
        .port("reading a report")?
        .map(|value| decode(value.value()))
        .transpose()
}

#[async_trait]
impl ReportRepository for EmbeddedStore {
    async fn file_report(&self, report: &Report) -> PortResult<bool> {
        let bytes = encode(report)?;
        let (id, at) = (report.id.as_str().to_owned(), nanos(report.created_at));
        let (subject, reporter) = (report.subject.key(), report.reporter.as_str().to_owned());
        self.write(move |tx| -> TxResult<bool> {
            let mut by_subject = tx.open_table(OPEN_BY_SUBJECT).port("opening reports")?;
            let key = (subject.as_str(), reporter.as_str());
            if by_subject.get(key).port("reading reports")?.is_some() {
                return Ok(false);
            }
            by_subject
                .insert(key, id.as_str())
                .port("filing a report")?;
            tx.open_table(OPEN_REPORTS)
                .port("opening reports")?
                .insert((at, id.as_str()), ())
                .port("filing a report")?;
            tx.open_table(FILED_BY)
                .port("opening reports")?
                .insert((reporter.as_str(), at, id.as_str()), ())
                .port("filing a report")?;
            tx.open_table(REPORTS)
                .port("opening reports")?
                .insert(id.as_str(), bytes.as_slice())
                .port("filing a report")?;
            Ok(true)
        })
        .await
        .map_err(port_only)
    }

    async fn get_report(&self, id: &ReportId) -> PortResult<Option<Report>> {
        self.read(|tx| {
            let table = tx.open_table(REPORTS).port("opening reports")?;
            read_report(&table, id.as_str())
        })
        .await
    }

    async fn list_open_reports(
        &self,
        after: Option<&ReportCursor>,
        limit: usize,
    ) -> PortResult<Page<Report, ReportCursor>> {
        self.read(|tx| {
            let open = tx.open_table(OPEN_REPORTS).port("opening reports")?;
            let reports = tx.open_table(REPORTS).port("opening reports")?;
            let range = match after {
                Some(cursor) => open.range((nanos(cursor.created_at), cursor.id.as_str())..),
                None => open.range::<(i64, &str)>(..),
            }
            .port("listing reports")?;
            let mut items = Vec::with_capacity(limit);
            let mut more = false;
            for entry in range {
                let (key, _) = entry.port("listing reports")?;
                let (_, id) = key.value();
                if after.is_some_and(|cursor| cursor.id.as_str() == id) {
                    continue;
                }
                if items.len() == limit {
                    more = true;
                    break;
                }
                if let Some(report) = read_report(&reports, id)? {
                    items.push(report);
                }
            }
            Ok(Page::continuing(items, more))
        })
        .await
    }

    async fn open_reports_on(&self, subject: &ReportSubject) -> PortResult<Vec<Report>> {
        let subject = subject.key();
        self.read(|tx| {
            let by_subject = tx.open_table(OPEN_BY_SUBJECT).port("opening reports")?;
            let reports = tx.open_table(REPORTS).port("opening reports")?;
            let mut found = Vec::new();
            for entry in by_subject
                .range((subject.as_str(), "")..(subject.as_str(), PAST_IDS))
                .port("listing reports")?
            {
                let (_, id) = entry.port("listing reports")?;
                if let Some(report) = read_report(&reports, id.value())? {
                    found.push(report);
                }
            }
            found.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
            Ok(found)
        })
        .await
    }

    async fn reports_by(
        &self,
        reporter: &UserId,
        before: Option<&ReportCursor>,
        limit: usize,
    ) -> PortResult<Page<Report, ReportCursor>> {
        self.read(|tx| {
            let filed_by = tx.open_table(FILED_BY).port("opening reports")?;
            let reports = tx.open_table(REPORTS).port("opening reports")?;
            let who = reporter.as_str();
            let end = before.map_or((who, i64::MAX, PAST_IDS), |cursor| {
                (who, nanos(cursor.created_at), cursor.id.as_str())
            });
            let mut items = Vec::with_capacity(limit);
            let mut more = false;
            for entry in filed_by
                .range((who, i64::MIN, "")..end)
                .port("listing reports")?
                .rev()
            {
                if items.len() == limit {
                    more = true;
                    break;
                }
                let (key, _) = entry.port("listing reports")?;
                let (_, _, id) = key.value();
                if let Some(report) = read_report(&reports, id)? {
                    items.push(report);
                }
            }
            Ok(Page::continuing(items, more))
        })
        .await
    }

    async fn close_report(&self, report: &Report) -> PortResult<()> {
        let bytes = encode(report)?;
        let id = report.id.as_str().to_owned();
        self.write(move |tx| -> TxResult<()> {
            let mut reports = tx.open_table(REPORTS).port("opening reports")?;
            let Some(stored) = read_report(&reports, &id)? else {
                return Ok(());
            };
            if !stored.is_open() {
                return Ok(());
            }
            reports
                .insert(id.as_str(), bytes.as_slice())
                .port("settling a report")?;
            tx.open_table(OPEN_REPORTS)
                .port("opening reports")?
                .remove((nanos(stored.created_at), id.as_str()))
                .port("settling a report")?;
            tx.open_table(OPEN_BY_SUBJECT)
                .port("opening reports")?
                .remove((stored.subject.key().as_str(), stored.reporter.as_str()))
                .port("settling a report")?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }
}
