import cf from 'cloudfront';

// Viewer request on the site's default behaviour. The browser app's routes (paths whose last
// segment has no dot) have no file of their own. Those a shared link may name (a channel
// /<handle>, /clips/<id>, /videos/<id>) go to the API, which answers with index.html carrying
// that page's card (Open Graph tags) for the crawlers that draw link previews and run no
// JavaScript; the app's other routes get index.html from the bucket. Files go to the bucket as
// asked, so a real miss (a recording's segment) stays an error the player can see, unlike with
// a 403/404 error page. (CloudFront documents the import as the code's first line.)
function handler(event) {
  var request = event.request;
  var parts = request.uri.split('/');
  if (parts[parts.length - 1].indexOf('.') !== -1) {
    return request;
  }
  var segments = parts.filter(function (part) {
    return part !== '';
  });
  var shared =
    segments.length === 1 ||
    (segments.length === 2 && (segments[0] === 'clips' || segments[0] === 'videos'));
  if (shared) {
    cf.selectRequestOriginById('api');
  } else {
    request.uri = '/index.html';
  }
  return request;
}
