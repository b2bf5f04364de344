// Viewer request on /private-recordings/*: the private bucket holds IVS's keys (ivs/v1/...), so
// take the root off. CloudFront has checked the signed URL or cookies for this behaviour; the
// policies the API signs match the path with and without the root.
function handler(event) {
  var request = event.request;
  var root = '/private-recordings/';
  if (request.uri.indexOf(root) === 0) {
    request.uri = request.uri.substring(root.length - 1);
  }
  return request;
}
