"""Secret redaction: every secret value handed out is recorded for the engine (one base64 line in
$BRIX_TASK_DIR/secrets.redact, mode 0600) and replaced by "[REDACTED]" in what this process writes
to sys.stdout and sys.stderr."""

import base64
import os
import sys
import threading

REDACTED = "[REDACTED]"

_lock = threading.Lock()
_values = []  # longest first
_recorded = set()


def redact(text):
    """Replaces every known secret value in `text`."""
    if not _values or not isinstance(text, str):
        return text
    for value in _values:
        if value in text:
            text = text.replace(value, REDACTED)
    return text


def register(value):
    """Records a secret value (str or bytes) handed out to user code."""
    raw = value if isinstance(value, bytes) else str(value).encode("utf-8")
    if not raw:
        return
    with _lock:
        if raw in _recorded:
            return
        _recorded.add(raw)
        task_dir = os.environ.get("BRIX_TASK_DIR")
        if task_dir:
            path = os.path.join(task_dir, "secrets.redact")
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, base64.b64encode(raw) + b"\n")
            finally:
                os.close(fd)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text and text not in _values:
            _values.append(text)
            _values.sort(key=len, reverse=True)
    _install()


def _wrap_write(write):
    def redacting_write(s):
        write(redact(s))
        return len(s)

    redacting_write._brix_redacting = True
    return redacting_write


def _wrap_writelines(write):
    def redacting_writelines(lines):
        for line in lines:
            write(line)

    return redacting_writelines


class _RedactingStream:
    """Fallback for a stream whose write method cannot be replaced in place."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, s):
        self._stream.write(redact(s))
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _install():
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if stream is None or isinstance(stream, _RedactingStream):
            continue
        write = getattr(stream, "write", None)
        if write is None or getattr(write, "_brix_redacting", False):
            continue
        # In place, so that objects holding the stream (logging handlers, ...) are covered too.
        try:
            stream.write = _wrap_write(write)
            stream.writelines = _wrap_writelines(stream.write)
        except (AttributeError, TypeError):
            setattr(sys, name, _RedactingStream(stream))
