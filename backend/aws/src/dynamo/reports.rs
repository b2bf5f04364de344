//! Reports to staff on the table. Items:
//!
//! | item | pk | sk | other attributes |
//! |---|---|---|---|
//! | report | `REPORT#<id>` | `META` | `data`; `gsi1` = `FILEDBY#<reporter>`/`<time>#<id>`; while open `gsi2` = `REPORTS`/`<time>#<id>` |
//! | a person's open report on a subject | `REPORTED#<subject>` | `BY#<reporter>` | `report` (its id) |
//!
//! Filing is one transaction of both, the second on the condition that the person has no open
//! report on the subject, so a double click files one. Settling is one transaction too: the
//! report rewritten with its outcome and without its queue keys, on the condition that it was
//! still open, and the person's open mark deleted (one person has one open report on a subject,
//! so the mark is this report's). The queue is one index partition read
//! oldest first: reports are few next to chat messages, and staff read it a page at a time.
//! A reporter's own reports are their `gsi1` partition, newest first (their data download;
//! reports filed before it existed get theirs from [`DynamoStore::index_older_reports`]).

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Delete, TransactWriteItem};
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::{ReportId, UserId};
use cloumer_domain::page::Page;
use cloumer_domain::ports::ReportRepository;
use cloumer_domain::report::{Report, ReportCursor, ReportSubject};

use super::{DynamoStore, Order, decode, encode, item, put, s, text, time_key};

/// The queue's index partition.
const QUEUE: &str = "REPORTS";

fn report_pk(id: &ReportId) -> String {
    format!("REPORT#{id}")
}

fn subject_pk(subject: &ReportSubject) -> String {
    format!("REPORTED#{}", subject.key())
}

fn reporter_sk(report: &Report) -> String {
    format!("BY#{}", report.reporter)
}

fn queue_key(created_at: time::OffsetDateTime, id: &ReportId) -> String {
    format!("{}#{id}", time_key(created_at))
}

/// The `gsi1` partition of the reports `reporter` filed.
fn filed_by(reporter: &UserId) -> String {
    format!("FILEDBY#{reporter}")
}

/// The report's item: its data, and its place among its reporter's reports.
pub(super) fn report_item(report: &Report) -> PortResult<super::Item> {
    Ok(item(&[
        ("pk", s(report_pk(&report.id))),
        ("sk", s("META")),
        ("data", s(encode(report)?)),
        ("gsi1pk", s(filed_by(&report.reporter))),
        ("gsi1sk", s(queue_key(report.created_at, &report.id))),
    ]))
}

/// The `gsi1` keys a report stored without them gets (see `upgrades.rs`).
pub(super) fn reporter_keys(report: &Report) -> (String, String) {
    (
        filed_by(&report.reporter),
        queue_key(report.created_at, &report.id),
    )
}

#[async_trait]
impl ReportRepository for DynamoStore {
    async fn file_report(&self, report: &Report) -> PortResult<bool> {
        let mut record = report_item(report)?;
        record.insert("gsi2pk".into(), s(QUEUE));
        record.insert("gsi2sk".into(), s(queue_key(report.created_at, &report.id)));
        let mark = item(&[
            ("pk", s(subject_pk(&report.subject))),
            ("sk", s(reporter_sk(report))),
            ("report", s(report.id.as_str())),
        ]);
        let failed = self
            .transact_retrying(|| {
                Ok(vec![
                    put(&self.table, mark.clone(), Some("attribute_not_exists(pk)"))?,
                    put(
                        &self.table,
                        record.clone(),
                        Some("attribute_not_exists(pk)"),
                    )?,
                ])
            })
            .await?;
        // Report ids are random: only the person's open mark can be there already.
        Ok(failed.is_none())
    }

    async fn get_report(&self, id: &ReportId) -> PortResult<Option<Report>> {
        self.get(&report_pk(id), "META")
            .await?
            .as_ref()
            .map(decode)
            .transpose()
    }

    async fn list_open_reports(
        &self,
        after: Option<&ReportCursor>,
        limit: usize,
    ) -> PortResult<Page<Report, ReportCursor>> {
        let after = after.map(|cursor| queue_key(cursor.created_at, &cursor.id));
        let (found, more) = self
            .query_index("gsi2", QUEUE, after, limit, Order::Ascending)
            .await?;
        let items = found.iter().map(decode).collect::<PortResult<Vec<_>>>()?;
        Ok(Page::continuing(items, more))
    }

    async fn open_reports_on(&self, subject: &ReportSubject) -> PortResult<Vec<Report>> {
        let ids: Vec<String> = self
            .query_prefix(&subject_pk(subject), "BY#")
            .await?
            .iter()
            .filter_map(|mark| text(mark, "report"))
            .collect();
        let found = self
            .items_by_keys(ids.iter().map(|id| (format!("REPORT#{id}"), "META")))
            .await?;
        let mut reports = found
            .iter()
            .map(decode::<Report>)
            .collect::<PortResult<Vec<_>>>()?;
        // A mark outlives its report only between the two halves of a failed settling: such a
        // report is settled already.
        reports.retain(Report::is_open);
        reports.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(reports)
    }

    async fn reports_by(
        &self,
        reporter: &UserId,
        before: Option<&ReportCursor>,
        limit: usize,
    ) -> PortResult<Page<Report, ReportCursor>> {
        let before = before.map(|cursor| queue_key(cursor.created_at, &cursor.id));
        let (found, more) = self
            .query_index_desc("gsi1", &filed_by(reporter), before, limit)
            .await?;
        let items = found.iter().map(decode).collect::<PortResult<Vec<_>>>()?;
        Ok(Page::continuing(items, more))
    }

    async fn close_report(&self, report: &Report) -> PortResult<()> {
        let record = report_item(report)?;
        // Only an open report is settled (its queue keys are the sign); a settled one, or one
        // never filed, fails the condition and nothing changes.
        self.transact_retrying(|| {
            let unmark = Delete::builder()
                .table_name(&self.table)
                .key("pk", s(subject_pk(&report.subject)))
                .key("sk", s(reporter_sk(report)))
                .build()
                .port("building a delete")?;
            Ok(vec![
                put(
                    &self.table,
                    record.clone(),
                    Some("attribute_exists(gsi2pk)"),
                )?,
                TransactWriteItem::builder().delete(unmark).build(),
            ])
        })
        .await?;
        Ok(())
    }
}
