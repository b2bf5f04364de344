// Viewer response on /private-recordings/*: a player loads a private recording's playlist with
// the signed URL the API gave it, then the renditions and segments the playlist names by
// relative URLs, which carry no signature. Keep the signature in cookies scoped to the
// channel's private recordings (/private-recordings/ivs/v1/<account>/<channel>/), or to one
// uploaded video's files (/private-recordings/video-files/<video>/), so those requests carry it. The cookies are worth no more than the signed URL they copy: CloudFront
// checks them on every request.
function handler(event) {
  var response = event.response;
  var query = event.request.querystring;
  var names = {
    'Policy': 'CloudFront-Policy',
    'Signature': 'CloudFront-Signature',
    'Key-Pair-Id': 'CloudFront-Key-Pair-Id'
  };
  if (response.statusCode >= 400) {
    return response;
  }
  for (var parameter in names) {
    if (!query[parameter] || !/^[A-Za-z0-9_~-]+$/.test(query[parameter].value)) {
      return response;
    }
  }
  var path = event.request.uri.replace(/^\/private-recordings\//, '/').split('/');
  var scope;
  if (path.length >= 6 && path[1] === 'ivs' && path[2] === 'v1') {
    // ['', 'ivs', 'v1', '<account>', '<channel>', ...]
    scope = '/private-recordings/' + path.slice(1, 5).join('/') + '/';
  } else if (path.length >= 4 && path[1] === 'video-files' && /^[A-Za-z0-9]+$/.test(path[2])) {
    // ['', 'video-files', '<video>', ...]
    scope = '/private-recordings/video-files/' + path[2] + '/';
  } else {
    return response;
  }
  for (var name in names) {
    response.cookies[names[name]] = {
      value: query[name].value,
      attributes: 'Path=' + scope + '; Secure; HttpOnly; SameSite=Lax'
    };
  }
  return response;
}
