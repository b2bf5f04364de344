//! Reports to staff.

use super::*;
use crate::ids::{ClipId, ReportId};
use crate::ports::ReportRepository;
use crate::report::{Report, ReportAction, ReportOutcome, ReportReason, ReportSubject};

pub fn report(id: &str, subject: &ReportSubject, reporter: &str, minutes: i64) -> Report {
    Report {
        id: ReportId::parse(id).unwrap(),
        subject: subject.clone(),
        channel_id: ChannelId::parse("chreported").unwrap(),
        reporter: UserId::parse(reporter).unwrap(),
        reason: ReportReason::Hate,
        details: "슬러를 반복해요 — at 12:03".to_owned(),
        created_at: t(minutes),
        outcome: None,
    }
}

fn settled(report: &Report, action: ReportAction) -> Report {
    Report {
        outcome: Some(ReportOutcome {
            action,
            by: UserId::parse("u-staff").unwrap(),
            at: t(100),
        }),
        ..report.clone()
    }
}

fn ids(reports: &[Report]) -> Vec<&str> {
    reports.iter().map(|r| r.id.as_str()).collect()
}

/// One open report per person and subject (racing filings file one), the open list oldest first
/// in pages, a subject's open reports, and settling: off both lists, kept with its outcome, and
/// its reporter may report again.
pub async fn report_repository(repo: &dyn ReportRepository) {
    let clip = ReportSubject::Clip(ClipId::parse("clbad").unwrap());
    let channel = ReportSubject::Channel(ChannelId::parse("chreported").unwrap());
    let first = report("rpfirst", &clip, "u-mina", 1);
    assert!(repo.file_report(&first).await.unwrap());
    assert_eq!(
        repo.get_report(&first.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        repo.get_report(&ReportId::parse("rpnone").unwrap())
            .await
            .unwrap(),
        None
    );

    // Mina again on the same clip: nothing new, even when five race.
    let again: Vec<Report> = (0..5)
        .map(|n| report(&format!("rpagain{n}"), &clip, "u-mina", 2))
        .collect();
    let filed = futures_util::future::join_all(again.iter().map(|r| repo.file_report(r))).await;
    assert!(filed.into_iter().all(|f| !f.unwrap()));
    assert_eq!(repo.get_report(&again[0].id).await.unwrap(), None);
    // Five others racing on it: each files theirs.
    let others: Vec<Report> = (0..5)
        .map(|n| report(&format!("rpother{n}"), &clip, &format!("u-other{n}"), 3 + n))
        .collect();
    let filed = futures_util::future::join_all(others.iter().map(|r| repo.file_report(r))).await;
    assert!(filed.into_iter().all(|f| f.unwrap()));
    // Mina on the channel is another subject.
    let on_channel = report("rpchannel", &channel, "u-mina", 20);
    assert!(repo.file_report(&on_channel).await.unwrap());

    let on_clip = repo.open_reports_on(&clip).await.unwrap();
    assert_eq!(
        ids(&on_clip),
        [
            "rpfirst", "rpother0", "rpother1", "rpother2", "rpother3", "rpother4"
        ]
    );
    assert_eq!(
        ids(&repo.open_reports_on(&channel).await.unwrap()),
        ["rpchannel"]
    );

    // The open list, oldest first, three at a time.
    let page = repo.list_open_reports(None, 3).await.unwrap();
    assert_eq!(ids(&page.items), ["rpfirst", "rpother0", "rpother1"]);
    let page = repo.list_open_reports(page.next.as_ref(), 3).await.unwrap();
    assert_eq!(ids(&page.items), ["rpother2", "rpother3", "rpother4"]);
    let page = repo.list_open_reports(page.next.as_ref(), 3).await.unwrap();
    assert_eq!(ids(&page.items), ["rpchannel"]);
    assert_eq!(page.next, None);

    // Settled, a report leaves both lists and keeps its outcome; settling it again changes
    // nothing (not even the outcome).
    for open in &on_clip {
        repo.close_report(&settled(open, ReportAction::Removed))
            .await
            .unwrap();
    }
    repo.close_report(&settled(&first, ReportAction::Dismissed))
        .await
        .unwrap();
    assert_eq!(
        repo.get_report(&first.id).await.unwrap(),
        Some(settled(&first, ReportAction::Removed))
    );
    assert!(repo.open_reports_on(&clip).await.unwrap().is_empty());
    let page = repo.list_open_reports(None, 10).await.unwrap();
    assert_eq!(ids(&page.items), ["rpchannel"]);
    // Settling a report nobody filed keeps nothing.
    let never = report("rpnever", &clip, "u-nobody", 30);
    repo.close_report(&settled(&never, ReportAction::Dismissed))
        .await
        .unwrap();
    assert_eq!(repo.get_report(&never.id).await.unwrap(), None);

    // Mina may report the clip again now: a new report, open.
    let later = report("rplater", &clip, "u-mina", 40);
    assert!(repo.file_report(&later).await.unwrap());
    assert_eq!(
        ids(&repo.open_reports_on(&clip).await.unwrap()),
        ["rplater"]
    );
    let page = repo.list_open_reports(None, 10).await.unwrap();
    assert_eq!(ids(&page.items), ["rpchannel", "rplater"]);

    // The owner's appeal against the channel's suspension is a subject of its own: neither a
    // report on the channel nor settled with one.
    let suspension = ReportSubject::Suspension(ChannelId::parse("chreported").unwrap());
    let appeal = report("rpappeal", &suspension, "u-owner", 50);
    assert!(repo.file_report(&appeal).await.unwrap());
    assert_eq!(
        repo.get_report(&appeal.id).await.unwrap(),
        Some(appeal.clone())
    );
    assert_eq!(
        ids(&repo.open_reports_on(&channel).await.unwrap()),
        ["rpchannel"]
    );
    assert_eq!(
        ids(&repo.open_reports_on(&suspension).await.unwrap()),
        ["rpappeal"]
    );
    repo.close_report(&settled(&appeal, ReportAction::Reinstated))
        .await
        .unwrap();
    let page = repo.list_open_reports(None, 10).await.unwrap();
    assert_eq!(ids(&page.items), ["rpchannel", "rplater"]);

    // What each person filed, open or settled, newest first, two at a time; nobody else's.
    let page = repo.reports_by(&first.reporter, None, 2).await.unwrap();
    assert_eq!(ids(&page.items), ["rplater", "rpchannel"]);
    let page = repo
        .reports_by(&first.reporter, page.next.as_ref(), 2)
        .await
        .unwrap();
    assert_eq!(page.items, [settled(&first, ReportAction::Removed)]);
    assert_eq!(page.next, None);
    let owner = repo.reports_by(&appeal.reporter, None, 10).await.unwrap();
    assert_eq!(owner.items, [settled(&appeal, ReportAction::Reinstated)]);
    let nobody = UserId::parse("u-nobody").unwrap();
    assert!(
        repo.reports_by(&nobody, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
}
