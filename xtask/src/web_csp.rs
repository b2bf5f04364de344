//! A Content Security Policy for the browser app's scripts, written into `index.html`.
//!
//! Only scripts are restricted: the app's own files, Trunk's inline loader (allowed by its
//! SHA-256, which changes with every build, hence a `<meta>` tag written here rather than a
//! header fixed in Terraform) and WebAssembly compilation. An injected `<script>` or `onclick=`
//! does not run. Where the API and the identity provider live is only known at run time
//! (`/config.json`), so `connect-src` stays open; the CloudFront headers policy adds the
//! directives that need no build output (frame-ancestors, object-src, base-uri, form-action).

use anyhow::{Context, Result, ensure};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// `index_html` with a `script-src` policy as the first element of `<head>`.
pub fn restrict_scripts(index_html: &str) -> Result<String> {
    ensure!(
        !index_html.contains("Content-Security-Policy"),
        "index.html already has a Content-Security-Policy"
    );
    let mut sources = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    for script in inline_scripts(index_html)? {
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
        sources.push(format!("'sha256-{digest}'"));
    }
    let meta = format!(
        "\n    <meta http-equiv=\"Content-Security-Policy\" content=\"script-src {}\" />",
        sources.join(" ")
    );
    let head = index_html
        .find("<head>")
        .context("index.html has no <head>")?
        + "<head>".len();
    Ok(format!(
        "{}{meta}{}",
        &index_html[..head],
        &index_html[head..]
    ))
}

/// The text of every `<script>` without a `src` attribute, exactly as the browser hashes it.
fn inline_scripts(html: &str) -> Result<Vec<&str>> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let open_end = start
            + rest[start..]
                .find('>')
                .context("unterminated <script> tag")?;
        let tag = &rest[start..open_end];
        let body_start = open_end + 1;
        let body_end = body_start
            + rest[body_start..]
                .find("</script>")
                .context("a <script> without </script>")?;
        if !tag.contains(" src=") {
            scripts.push(&rest[body_start..body_end]);
        }
        rest = &rest[body_end..];
    }
    Ok(scripts)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "<html><head>\n<title>x</title>\n<script type=\"module\">\nimport init from '/a.js';\n</script>\n<script src=\"/other.js\"></script></head><body></body></html>";

    #[test]
    fn the_inline_loader_is_allowed_by_its_hash_and_nothing_else_inline() {
        let html = restrict_scripts(INDEX).unwrap();
        let digest = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest("\nimport init from '/a.js';\n"));
        assert!(html.starts_with(&format!(
            "<html><head>\n    <meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self' 'wasm-unsafe-eval' 'sha256-{digest}'\" />\n<title>"
        )));
        assert_eq!(
            html.matches("sha256-").count(),
            1,
            "external scripts need no hash"
        );
        assert!(restrict_scripts(&html).is_err(), "applied once");
        assert!(restrict_scripts("<html><script>x").is_err());
    }
}
