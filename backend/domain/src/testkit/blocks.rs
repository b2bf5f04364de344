use time::OffsetDateTime;

use crate::block_list::{BlockList, MAX_BLOCKED};
use crate::error::WriteError;
use crate::ids::UserId;
use crate::ports::BlockRepository;

fn user(name: &str) -> UserId {
    UserId::parse(name).unwrap()
}

/// A block list is the user's alone, replaced whole, and only over the list its writer read.
pub async fn block_repository(repo: &dyn BlockRepository) {
    let (mina, troll, spammer) = (user("u-mina"), user("u-troll"), user("u-spammer"));
    assert_eq!(repo.get_block_list(&mina).await.unwrap(), None);

    let mut first = BlockList::default();
    first.add(&troll, OffsetDateTime::UNIX_EPOCH);
    repo.put_block_list(&mina, &first, None).await.unwrap();
    assert_eq!(
        repo.get_block_list(&mina).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        repo.get_block_list(&troll).await.unwrap(),
        None,
        "a list is one user's"
    );

    // A second writer that read "no list" lost the race: it must read again.
    let mut racing = BlockList::default();
    racing.add(&spammer, OffsetDateTime::UNIX_EPOCH);
    assert!(matches!(
        repo.put_block_list(&mina, &racing, None).await,
        Err(WriteError::VersionMismatch)
    ));
    let mut second = first.clone();
    second.add(&spammer, OffsetDateTime::UNIX_EPOCH);
    assert!(matches!(
        repo.put_block_list(&mina, &second, Some(&racing)).await,
        Err(WriteError::VersionMismatch)
    ));
    repo.put_block_list(&mina, &second, Some(&first))
        .await
        .unwrap();
    assert_eq!(
        repo.get_block_list(&mina).await.unwrap(),
        Some(second.clone())
    );

    // A full list (the largest record this port writes) fits one item.
    let mut full = BlockList::default();
    for n in 0..MAX_BLOCKED {
        let id = user(&format!("0b5c2e4a-1f3e-4d6b-9a7c-{n:012}"));
        assert!(full.add(&id, OffsetDateTime::now_utc()));
    }
    repo.put_block_list(&mina, &full, Some(&second))
        .await
        .unwrap();
    assert_eq!(
        repo.get_block_list(&mina).await.unwrap(),
        Some(full.clone())
    );

    // Emptied, the list reads back empty, not missing: a writer that read it still agrees.
    repo.put_block_list(&mina, &BlockList::default(), Some(&full))
        .await
        .unwrap();
    assert_eq!(
        repo.get_block_list(&mina).await.unwrap(),
        Some(BlockList::default())
    );
}
