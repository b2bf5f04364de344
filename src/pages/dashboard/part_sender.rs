//! Sends a video file straight to storage in parts, each `PUT` to the URL the API signed for
//! it (S3's presigned URLs in the cloud, the local stack's the same way), with the browser's
//! upload progress; a part that fails is tried again with a fresh URL after a pause, and the
//! upload is completed once every part is in. Parts already in (a resumed upload) are skipped.

use std::cell::{Cell, RefCell};

use cloumer_api_types::{VideoBody, VideoUpload};
use js_sys::Promise;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::api::Api;

/// Part URLs asked for at once: they work for an hour, so a slow connection asks as it goes.
const URLS_AT_ONCE: usize = 4;
/// Tries per part before the upload stops (and can be resumed later).
const TRIES: u32 = 4;

thread_local! {
    /// The part being sent, to abort it when the uploader cancels.
    static CURRENT: RefCell<Option<web_sys::XmlHttpRequest>> = const { RefCell::new(None) };
    static CANCELLED: Cell<bool> = const { Cell::new(false) };
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    Cancelled,
    Failed(String),
}

/// Stops the upload being sent (its part is aborted at once).
pub fn cancel() {
    CANCELLED.set(true);
    CURRENT.with(|current| {
        if let Some(xhr) = current.borrow().as_ref() {
            let _ = xhr.abort();
        }
    });
}

/// Sends the parts of `upload` not in yet from `file`, then completes it. `sent` follows the
/// bytes in storage (those of earlier sessions included).
pub async fn send_file(
    api: Api,
    file: web_sys::File,
    upload: VideoUpload,
    sent: RwSignal<f64>,
) -> Result<VideoBody, SendError> {
    CANCELLED.set(false);
    let id = upload.video.id.clone();
    let part_bytes = upload.part_bytes as f64;
    let total = file.size();
    let length = |number: u32| (total - f64::from(number - 1) * part_bytes).min(part_bytes);
    // A fold from 0.0: an empty f64 sum is -0.0, which shows as "-0.0 MB".
    let mut done = upload
        .uploaded_parts
        .iter()
        .fold(0.0, |sum, &n| sum + length(n));
    sent.set(done);
    let missing: Vec<u32> = (1..=upload.part_count)
        .filter(|n| !upload.uploaded_parts.contains(n))
        .collect();
    for batch in missing.chunks(URLS_AT_ONCE) {
        let mut urls = api
            .video_part_urls(&id, batch)
            .await
            .map_err(|e| SendError::Failed(e.message))?
            .parts;
        for part in &mut urls {
            let start = f64::from(part.number - 1) * part_bytes;
            let blob = file
                .slice_with_f64_and_f64(start, start + part.size_bytes as f64)
                .map_err(|_| SendError::Failed("the file could not be read".into()))?;
            let mut tries = 1;
            loop {
                if CANCELLED.get() {
                    return Err(SendError::Cancelled);
                }
                let base = done;
                let result =
                    put_part(&part.url, &blob, move |loaded| sent.set(base + loaded)).await;
                match result {
                    Ok(()) => break,
                    Err(_) if CANCELLED.get() => return Err(SendError::Cancelled),
                    Err(why) if tries >= TRIES => return Err(SendError::Failed(why)),
                    Err(_) => {
                        sent.set(done);
                        sleep(1000 * 2_i32.pow(tries)).await;
                        tries += 1;
                        // A fresh URL: the old one may be what failed (expired, say).
                        if let Ok(fresh) = api.video_part_urls(&id, &[part.number]).await
                            && let Some(url) = fresh.parts.into_iter().next()
                        {
                            part.url = url.url;
                        }
                    }
                }
            }
            done += part.size_bytes as f64;
            sent.set(done);
        }
    }
    api.complete_video_upload(&id)
        .await
        .map_err(|e| SendError::Failed(e.message))
}

/// One `PUT` of `blob` to `url`, reporting the bytes sent so far.
async fn put_part(
    url: &str,
    blob: &web_sys::Blob,
    mut progress: impl FnMut(f64) + 'static,
) -> Result<(), String> {
    let js = |_| "the browser could not send the part".to_owned();
    let xhr = web_sys::XmlHttpRequest::new().map_err(js)?;
    xhr.open("PUT", url).map_err(js)?;
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            progress(event.loaded())
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    // Settles however the request ends: loaded, failed, aborted or timed out.
    let ended = Promise::new(&mut |resolve, _| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        xhr.set_onloadend(Some(done.unchecked_ref()));
    });
    CURRENT.with(|current| *current.borrow_mut() = Some(xhr.clone()));
    let sent = xhr.send_with_opt_blob(Some(blob));
    if sent.is_ok() {
        let _ = JsFuture::from(ended).await;
    }
    CURRENT.with(|current| current.borrow_mut().take());
    drop(on_progress);
    match xhr.status().unwrap_or(0) {
        200..=299 => Ok(()),
        0 => Err("the connection dropped while sending a part".to_owned()),
        status => Err(format!("the storage refused a part (HTTP {status})")),
    }
}

async fn sleep(milliseconds: i32) {
    let slept = Promise::new(&mut |resolve, _| {
        let _ = crate::browser::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
    });
    let _ = JsFuture::from(slept).await;
}
