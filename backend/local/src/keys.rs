//! Signing keys of the local stack, generated on first start and kept in the data directory so
//! tokens stay valid across restarts (like a user pool's keys, or an imported playback key pair).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use anyhow::{Context, Result};
use p384::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};

/// Reads a PEM file, or creates it with `generate` (mode 0600: these are secrets).
fn load_or_create(path: &Path, generate: impl FnOnce() -> Result<String>) -> Result<String> {
    if let Ok(pem) = fs::read_to_string(path) {
        return Ok(pem);
    }
    let pem = generate()?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
        fs::set_permissions(parent, fs::Permissions::from_mode(0o700))?;
    }
    let temporary = path.with_extension("tmp");
    fs::write(&temporary, &pem)?;
    fs::set_permissions(&temporary, fs::Permissions::from_mode(0o600))?;
    fs::rename(&temporary, path)?;
    Ok(pem)
}

/// The local identity provider's RS256 key (PKCS#8 PEM).
pub fn identity_key(data_dir: &Path) -> Result<String> {
    let pem = load_or_create(&data_dir.join("keys/identity-rsa.pem"), || {
        let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)?;
        Ok(key.to_pkcs8_pem(LineEnding::LF)?.to_string())
    })?;
    rsa::RsaPrivateKey::from_pkcs8_pem(&pem).context("the identity key is damaged")?;
    Ok(pem)
}

/// The playback key pair for private channels: (private PKCS#8 PEM, public PEM).
pub fn playback_keys(data_dir: &Path) -> Result<(String, String)> {
    let private = load_or_create(&data_dir.join("keys/playback-ec.pem"), || {
        let key = p384::SecretKey::random(&mut rand::rngs::OsRng);
        Ok(key.to_pkcs8_pem(LineEnding::LF)?.to_string())
    })?;
    let key = p384::SecretKey::from_pkcs8_pem(&private).context("the playback key is damaged")?;
    let public = key.public_key().to_public_key_pem(LineEnding::LF)?;
    Ok((private, public))
}

/// The key that signs access to private recordings, as a CloudFront key group's key does
/// (PKCS#8 PEM), with its public half.
pub fn recordings_keys(data_dir: &Path) -> Result<(String, String)> {
    use rsa::pkcs8::EncodePublicKey as _;
    let private = load_or_create(&data_dir.join("keys/recordings-rsa.pem"), || {
        let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)?;
        Ok(key.to_pkcs8_pem(LineEnding::LF)?.to_string())
    })?;
    let key =
        rsa::RsaPrivateKey::from_pkcs8_pem(&private).context("the recordings key is damaged")?;
    let public = key.to_public_key().to_public_key_pem(LineEnding::LF)?;
    Ok((private, public))
}

/// The VAPID key Web Push messages are signed with (a P-256 PKCS#8 PEM): browsers subscribe with
/// its public half, so it must outlive restarts or every subscription would stop working.
pub fn vapid_key(data_dir: &Path) -> Result<cloumer_outbound::VapidKey> {
    let pem = load_or_create(&data_dir.join("keys/vapid-ec.pem"), || {
        Ok(cloumer_outbound::VapidKey::generate()
            .pkcs8_pem()
            .to_owned())
    })?;
    cloumer_outbound::VapidKey::from_pkcs8_pem(&pem)
        .map_err(|why| anyhow::anyhow!("the VAPID key is damaged: {why}"))
}
