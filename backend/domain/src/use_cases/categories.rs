//! The curated categories, each with how many channels are live in it now: what the directory
//! offers as filters and the dashboard as choices.

use crate::channel::{CURATED_CATEGORIES, Category};
use crate::error::DomainResult;
use crate::platform::Platform;
use crate::use_cases::directory::status_of;

/// One curated category and its live activity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryActivity {
    pub category: Category,
    pub live_channels: usize,
    /// Viewers of those channels, as the video service counts them (0 when it cannot say).
    pub viewers: u64,
}

impl Platform {
    /// The curated categories in their own order (a stable list to choose from, not one that
    /// reorders itself under the pointer), each with its live channels and viewers.
    pub async fn categories(&self) -> DomainResult<Vec<CategoryActivity>> {
        let live = self.ports.channels.list_live_channels().await?;
        let statuses = self.statuses().await;
        Ok(CURATED_CATEGORIES
            .iter()
            .map(|name| {
                let category = Category::from((*name).to_owned());
                let in_it: Vec<_> = live
                    .iter()
                    .filter(|c| c.is_live() && c.category.is(&category))
                    .collect();
                CategoryActivity {
                    live_channels: in_it.len(),
                    viewers: in_it
                        .iter()
                        .filter_map(|c| status_of(c, &statuses))
                        .map(|s| s.viewer_count)
                        .sum(),
                    category,
                }
            })
            .collect())
    }
}
