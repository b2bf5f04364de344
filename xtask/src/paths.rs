//! Where things live: the checkout, and the per-user cache that outlives checkouts.

use std::path::PathBuf;

pub fn repo_root() -> PathBuf {
    let xtask_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    xtask_dir
        .parent()
        .expect("xtask lives inside the repository")
        .to_path_buf()
}

/// Where cargo builds the workspace: `$CARGO_TARGET_DIR`, else `target/` in the repository.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

/// `$CLOUMER_CACHE_DIR`, else `$XDG_CACHE_HOME/cloumer`, else `~/.cache/cloumer`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CLOUMER_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("cloumer")
}

/// Compiled developer tools, one directory per tool version.
pub fn tools_dir() -> PathBuf {
    cache_dir().join("tools")
}
