#!/usr/bin/env python3
"""The Files API upload and download protocol of the Databricks Python SDK (FilesExt in
databricks/sdk/mixins/files.py), followed step by step with the standard library, against a
workspace given by DATABRICKS_HOST and DATABRICKS_TOKEN. The SDK is not installable in the test
environment; this client makes the same requests in the same order with the same parameters,
headers and defaults, so that brix serve is held to what the SDK expects:

  upload-stream PATH         stdin (a pipe: a stream of unknown length) -> PATH, as
                             FilesExt.upload(PATH, stream) does when the stream cannot seek
  upload-file PATH LOCAL     LOCAL -> PATH, as FilesExt.upload_from(PATH, LOCAL) (parallel parts)
  download PATH LOCAL        PATH -> LOCAL, as FilesExt.download(PATH) (presigned URL, one stream)
  download-parallel PATH LOCAL   as FilesExt.download_to(PATH, LOCAL, use_parallel=True) (ranges)
  abort PATH                 initiate an upload, abort it as the SDK does on a failure, and show
                             that the session is gone
  presigned-misuse PATH      presigned URLs used for what they were not signed for

Prints one line per step; exits 1 with a message on the first unexpected answer.
"""

import concurrent.futures
import datetime
import json
import math
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

MiB = 1024 * 1024
# FilesExt's defaults (databricks/sdk/config.py).
MIN_STREAM_SIZE = 50 * MiB  # files_ext_multipart_upload_min_stream_size
DEFAULT_PART_SIZE = 10 * MiB  # files_ext_multipart_upload_default_part_size
PART_SIZE_OPTIONS = [10 * MiB, 20 * MiB, 50 * MiB, 100 * MiB, 200 * MiB, 500 * MiB, 1024 * MiB]
BATCH_URL_COUNT = 1  # files_ext_multipart_upload_batch_url_count
PARALLELISM = 10  # files_ext_multipart_upload_default_parallelism
URL_LIFETIME = datetime.timedelta(hours=1)  # files_ext_multipart_upload_url_expiration_duration
PARALLEL_DOWNLOAD_MIN_SIZE = 50 * MiB  # files_ext_parallel_download_min_file_size
PARALLEL_DOWNLOAD_PART_SIZE = 10 * MiB  # files_ext_parallel_download_default_part_size

HOST = os.environ["DATABRICKS_HOST"].rstrip("/")
TOKEN = os.environ["DATABRICKS_TOKEN"]


class Failure(Exception):
    pass


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body) if self.body else {}


def request(method, url, body=None, headers=None, auth=True):
    """One HTTP request; the answer whatever its status. `auth`: the SDK's API client (bearer
    token) or its cloud-storage session (no credentials: presigned URLs carry their own)."""
    headers = dict(headers or {})
    headers.setdefault("User-Agent", "databricks-sdk-py/files-protocol-test")
    if auth:
        headers["Authorization"] = "Bearer " + TOKEN
    data = body
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req) as res:
            return Answer(res.status, res.headers, res.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def api(method, path, query=None, body=None):
    """The SDK's ApiClient.do: bearer token, JSON, an error answer raises."""
    url = HOST + path + ("?" + urllib.parse.urlencode(query) if query else "")
    answer = request(method, url, body=body, headers={"Accept": "application/json"})
    if not 200 <= answer.status < 300:
        raise Failure("%s %s: %d %s" % (method, path, answer.status, answer.body[:300]))
    return answer.json()


def escaped(path):
    """_escape_multi_segment_path_parameter: the path percent-encoded, slashes kept."""
    return urllib.parse.quote(path, safe="/")


def expire_time():
    return (datetime.datetime.now(datetime.timezone.utc) + URL_LIFETIME).strftime("%Y-%m-%dT%H:%M:%SZ")


def presigned_urls(path, session_token, start, count):
    """_PresignedUrlRequestBuilder.build_upload_part_urls."""
    answer = api("POST", "/api/2.0/fs/create-upload-part-urls",
                 body={"path": path, "session_token": session_token, "start_part_number": start, "count": count,
                       "expire_time": expire_time()})
    urls = answer.get("upload_part_urls", [])
    if not urls:
        raise Failure("no upload_part_urls in %s" % answer)
    result = []
    for info in urls:
        headers = {"Content-Type": "application/octet-stream"}
        for header in info.get("headers", []):
            headers[header["name"]] = header["value"]
        result.append((info["part_number"], info["url"], headers))
    return result


def put_part(url, headers, data):
    answer = request("PUT", url, body=data, headers=headers, auth=False)
    if answer.status not in (200, 201):
        raise Failure("PUT of a part: %d %s" % (answer.status, answer.body[:300]))
    return answer.headers.get("ETag", "")


def initiate(path, overwrite):
    query = {"action": "initiate-upload"}
    if overwrite is not None:
        query["overwrite"] = overwrite  # requests sends a bool as True/False
    answer = api("POST", "/api/2.0/fs/files" + escaped(path), query=query)
    if not answer.get("multipart_upload", {}).get("session_token"):
        raise Failure("initiate-upload answered %s" % answer)
    print("initiated a multipart upload of", path)
    return answer["multipart_upload"]["session_token"]


def complete(path, session_token, etags):
    parts = [{"part_number": number, "etag": etag} for number, etag in sorted(etags.items())]
    api("POST", "/api/2.0/fs/files" + escaped(path),
        query={"action": "complete-upload", "upload_type": "multipart", "session_token": session_token},
        body={"parts": parts})
    print("completed with %d parts" % len(parts))


def abort(path, session_token):
    """_abort_multipart_upload: a presigned abort URL, then DELETE without credentials."""
    answer = api("POST", "/api/2.0/fs/create-abort-upload-url",
                 body={"path": path, "session_token": session_token, "expire_time": expire_time()})
    info = answer["abort_upload_url"]
    headers = {"Content-Type": "application/octet-stream"}
    for header in info.get("headers", []):
        headers[header["name"]] = header["value"]
    deleted = request("DELETE", info["url"], body=b"", headers=headers, auth=False)
    if deleted.status not in (200, 201):
        raise Failure("DELETE of the abort URL: %d %s" % (deleted.status, deleted.body[:300]))
    print("aborted")


def fill(buffer, size, stream):
    """FilesExt._fill_buffer."""
    missing = size - len(buffer)
    return buffer + stream.read(missing) if missing > 0 else buffer


def upload_stream(path, stream, overwrite=None):
    """_single_thread_multipart_upload + _perform_multipart_upload: the path of a stream whose
    size is unknown (not seekable), in parts of the default size, one URL requested at a time."""
    buffer = stream.read(MIN_STREAM_SIZE)
    if len(buffer) < MIN_STREAM_SIZE:
        raise Failure("the stream is shorter than %d bytes: the SDK would make one PUT" % MIN_STREAM_SIZE)
    session_token = initiate(path, overwrite)
    etags, part, eof = {}, 1, False
    try:
        while not eof:
            buffer = fill(buffer, DEFAULT_PART_SIZE, stream)
            if not buffer:
                break
            for number, url, headers in presigned_urls(path, session_token, part, BATCH_URL_COUNT):
                buffer = fill(buffer, DEFAULT_PART_SIZE, stream)
                if not buffer:
                    eof = True
                    break
                if number != part:
                    raise Failure("asked for part %d, got a URL for part %d" % (part, number))
                chunk = buffer[:DEFAULT_PART_SIZE]
                etags[part] = put_part(url, headers, chunk)
                buffer = buffer[len(chunk):]
                part += 1
        complete(path, session_token, etags)
    except Exception:
        abort(path, session_token)
        raise


def upload_file(path, local, overwrite=None):
    """upload_from -> _parallel_upload_from_file: the smallest part size giving at most 100
    parts; part 1 first, then the others from a pool of threads, one URL each."""
    size = os.path.getsize(local)
    if size < MIN_STREAM_SIZE:
        raise Failure("%s is smaller than %d bytes: the SDK would make one PUT" % (local, MIN_STREAM_SIZE))
    part_size = next((s for s in PART_SIZE_OPTIONS if math.ceil(size / s) <= 100), PART_SIZE_OPTIONS[-1])
    count = math.ceil(size / part_size)
    session_token = initiate(path, overwrite)

    def one_part(number):
        with open(local, "rb") as f:
            f.seek((number - 1) * part_size)
            data = f.read(part_size)
        (got, url, headers), = presigned_urls(path, session_token, number, 1)
        if got != number:
            raise Failure("asked for part %d, got %d" % (number, got))
        return number, put_part(url, headers, data)

    try:
        etags = dict([one_part(1)])
        with concurrent.futures.ThreadPoolExecutor(PARALLELISM) as pool:
            etags.update(pool.map(one_part, range(2, count + 1)))
        complete(path, session_token, etags)
    except Exception:
        abort(path, session_token)
        raise


def download_url(path):
    """FilesExt._create_download_url."""
    answer = api("POST", "/api/2.0/fs/create-download-url", query={"path": path, "expire_time": expire_time()})
    if "url" not in answer:
        raise Failure("create-download-url answered %s" % answer)
    return answer["url"], {h["name"]: h["value"] for h in answer.get("headers", [])}


def download(path, local):
    """_init_download_response_presigned_api: GET the presigned URL, no credentials."""
    url, headers = download_url(path)
    answer = request("GET", url, headers=dict({"Accept": "application/octet-stream"}, **headers), auth=False)
    if answer.status not in (200, 201, 206):
        raise Failure("GET of the download URL: %d %s" % (answer.status, answer.body[:300]))
    if int(answer.headers["Content-Length"]) != len(answer.body) or not answer.headers.get("Last-Modified"):
        raise Failure("the download lacks Content-Length or Last-Modified: %s" % dict(answer.headers))
    with open(local, "wb") as f:
        f.write(answer.body)
    print("downloaded %d bytes" % len(answer.body))


def download_parallel(path, local):
    """_parallel_download_presigned_url: HEAD for size and Last-Modified, then byte ranges of the
    default part size through one presigned URL, each with If-Unmodified-Since."""
    head = request("HEAD", HOST + "/api/2.0/fs/files" + escaped(path))
    if head.status != 200:
        raise Failure("HEAD %s: %d" % (path, head.status))
    size, modified = int(head.headers["Content-Length"]), head.headers["Last-Modified"]
    if size <= PARALLEL_DOWNLOAD_MIN_SIZE:
        raise Failure("%s is too small for a parallel download" % path)
    url, headers = download_url(path)
    with open(local, "wb") as f:
        f.truncate(size)

    def one_range(index):
        start = index * PARALLEL_DOWNLOAD_PART_SIZE
        end = min(start + PARALLEL_DOWNLOAD_PART_SIZE - 1, size - 1)
        answer = request("GET", url, auth=False, headers=dict(headers, **{
            "Range": "bytes=%d-%d" % (start, end), "If-Unmodified-Since": modified}))
        if answer.status != 206 or len(answer.body) != end - start + 1:
            raise Failure("range %d-%d: %d with %d bytes" % (start, end, answer.status, len(answer.body)))
        with open(local, "r+b") as f:
            f.seek(start)
            f.write(answer.body)

    parts = math.ceil(size / PARALLEL_DOWNLOAD_PART_SIZE)
    with concurrent.futures.ThreadPoolExecutor(PARALLELISM) as pool:
        list(pool.map(one_range, range(parts)))
    print("downloaded %d bytes in %d ranges" % (size, parts))


def abort_scenario(path):
    session_token = initiate(path, None)
    (_, url, headers), = presigned_urls(path, session_token, 1, 1)
    put_part(url, headers, b"x" * 1000)
    abort(path, session_token)
    answer = request("POST", HOST + "/api/2.0/fs/create-upload-part-urls", body={
        "path": path, "session_token": session_token, "start_part_number": 2, "count": 1, "expire_time": expire_time()})
    print("after the abort, create-upload-part-urls answers %d %s" % (answer.status, answer.json().get("error_code")))
    late = request("PUT", url, body=b"y", headers=headers, auth=False)
    print("after the abort, the part URL answers %d" % late.status)


def misuse_scenario(path):
    """Presigned URLs authorize exactly the request they were made for."""
    url, _ = download_url(path)
    print("GET as signed:", request("GET", url, auth=False).status)
    print("HEAD with the GET signature:", request("HEAD", url, auth=False).status)
    print("DELETE with the GET signature:", request("DELETE", url, auth=False).status)
    forged = url[:-1] + ("0" if url[-1] != "0" else "1")
    answer = request("GET", forged, auth=False)
    print("GET with a forged signature:", answer.status, answer.headers.get("Content-Type"),
          b"<Code>AccessDenied</Code>" in answer.body)
    parts = urllib.parse.urlsplit(url)
    other = urllib.parse.urlunsplit(parts._replace(path=parts.path + "-other"))
    print("GET of another file with this signature:", request("GET", other, auth=False).status)
    unsigned = urllib.parse.urlunsplit(parts._replace(query=""))
    print("GET without signature or token:", request("GET", unsigned, auth=False).status)
    session_token = initiate(path + ".parts", None)
    (_, part_url, headers), = presigned_urls(path + ".parts", session_token, 1, 1)
    print("PUT to a part URL, number changed:", request(
        "PUT", part_url.replace("part_number=1", "part_number=2"), body=b"z", headers=headers, auth=False).status)
    abort(path + ".parts", session_token)


def main(argv):
    command = argv[1]
    if command == "upload-stream":
        upload_stream(argv[2], sys.stdin.buffer)
    elif command == "upload-file":
        upload_file(argv[2], argv[3])
    elif command == "download":
        download(argv[2], argv[3])
    elif command == "download-parallel":
        download_parallel(argv[2], argv[3])
    elif command == "abort":
        abort_scenario(argv[2])
    elif command == "presigned-misuse":
        misuse_scenario(argv[2])
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Failure as failure:
        print("Error:", failure, file=sys.stderr)
        sys.exit(1)
