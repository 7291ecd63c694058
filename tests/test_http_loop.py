"""The event loop of server/service/http.py: a connection whose answer a task is still writing is
not "writable" to the loop, so the loop sleeps in poll() instead of spinning until the task lets
go of the buffer (with waitress' own writable(), a unique lookup cost 33 turns of the loop; the
figure is measured in bench, not asserted here)."""

import socket
import threading

from server.service.http import StrictChannel, server


def _hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


def _channel():
    s = server(_hello, "127.0.0.1", 0, 2, 100, 30)
    mine, theirs = socket.socketpair()
    ch = StrictChannel(s, theirs, ("127.0.0.1", 40000), s.adj, map={})
    return s, mine, ch


def test_a_channel_whose_buffer_a_task_holds_is_not_writable():
    s, peer, ch = _channel()
    try:
        assert not ch.writable()                         # nothing to send
        ch.outbufs[-1].append(b"HTTP/1.1 200 OK\r\n")
        ch.total_outbufs_len = 17
        assert ch.writable()                             # bytes and no task: the loop sends them
        ch.requests = [object()]                         # a task is running
        assert ch.writable()                             # ... and the buffer is free: the loop may send
        held, release = threading.Event(), threading.Event()

        def task_writing():
            with ch.outbuf_lock:
                held.set()
                release.wait(5)
        t = threading.Thread(target=task_writing)
        t.start()
        held.wait(5)
        try:
            assert not ch.writable()                     # the task holds it: it sends, or pulls the trigger
        finally:
            release.set()
            t.join()
        assert ch.writable()
        ch.will_close = True
        ch.requests = []
        assert ch.writable()                             # closing is always the loop's business
    finally:
        peer.close()
        ch.close()
        s.close()
