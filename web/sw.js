// Cloumer's service worker: it only shows Web Push notifications (a followed channel went live)
// and opens the channel when one is clicked. It caches nothing, so the app always loads fresh.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/// A link from a push, kept to this site: a message could only come from our server (it is
/// encrypted for this browser), but the worker opens nothing else anyway.
function sameSite(url) {
  try {
    const parsed = new URL(url, self.location.origin);
    return parsed.origin === self.location.origin ? parsed.href : null;
  } catch {
    return null;
  }
}

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    // Not our JSON: still show something, as userVisibleOnly promises the browser.
  }
  const text = (value) => (typeof value === "string" ? value.slice(0, 200) : "");
  const title = text(message.title) || "Cloumer";
  const options = {
    body: text(message.body),
    data: { url: sameSite(text(message.url)) || self.location.origin + "/" },
  };
  if (text(message.tag)) {
    // A newer go-live of the same channel replaces the older one instead of piling up.
    options.tag = text(message.tag);
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(
    (async () => {
      const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const same = open.find((client) => client.url === url);
      if (same) {
        return same.focus();
      }
      return self.clients.openWindow(url);
    })(),
  );
});
