"""examples/datachannel-chat: two instances in one room of `mprtc signal` (real connections over
data channels) exchange text both ways, and one sends the other a 5 MiB file of random bytes that
it picks through wx.chooseMessageFile (`--choose-file`): the file the receiver wrote under its
wxfile://usr has the SHA-256 of the one sent, both sides' progress reached 100% (the text and the
bar), and the sender heard that it was saved. Then the one who stays sees the other leave.

Usage: test_datachannel_chat.py PATH/TO/mprtc   (prints TAP; meson runs it)
"""
import hashlib
import json
import os
import re
import subprocess
import tempfile
from urllib.parse import quote

from mp import MPRTC, TMP, Signal, by_id, check, main, test, texts  # noqa: E402

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'examples',
                       'datachannel-chat')
FILE_BYTES = 5 * 1024 * 1024


def instance(name, url, room, data_home, *args):
    page = f'pages/index/index?room={room}&autojoin=1&server={quote(url, safe="")}'
    env = dict(os.environ, XDG_DATA_HOME=data_home)
    return subprocess.Popen([MPRTC, 'run', EXAMPLE, '--app', name, '--page', page, '--timeout', '90', *args, '--dump-view'],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def finish(proc, what):
    out, err = proc.communicate(timeout=150)
    proc.stdout, proc.stderr = out, err
    check(proc.returncode == 0, f'{what} exits 0', proc)
    return json.loads(out)


def messages(dump):
    """The chat's lines, as shown: ('you' | 'them' | '', text)."""
    out = []
    for node in by_id(dump, 'messages')['children']:
        m = re.match(r'msg-\d+$', node['attrs'].get('id', ''))
        if m:
            line = texts(node)
            who, _, text = line.partition(': ')
            out.append((who, text) if who in ('you', 'them') else ('', line))
    return out


@test
def text_both_ways_and_a_5_mib_file():
    data_home = tempfile.mkdtemp(prefix='chat-data-', dir=TMP)
    picked = os.path.join(TMP, 'random-5MiB.bin')
    with open(picked, 'wb') as f:
        f.write(os.urandom(FILE_BYTES))
    with open(picked, 'rb') as f:
        sent_digest = hashlib.sha256(f.read()).hexdigest()
    with Signal() as url:
        # a waits in the room; b joins, so b calls. Each waits for what only the other's part can
        # bring about: a leaves once its file is saved on the other side and b's text came; b
        # stays until it has the file and a's text, and then until a has left.
        a = instance('chat-a', url, 'files', data_home,
                     '--wait-for', '#connected', '--input', '#draft=hello from a', '--tap', '#send',
                     '--wait-for', '#msg-2', '--choose-file', picked, '--tap', '#send-file', '--wait-for', '#delivered')
        b = instance('chat-b', url, 'files', data_home,
                     '--wait-for', '#connected', '--input', '#draft=hi from b', '--tap', '#send',
                     '--wait-for', '#received-verified', '--wait-for', '#msg-2', '--wait-for', '#they-left')
        sender, receiver = finish(a, 'the sender'), finish(b, 'the receiver')

    check(sorted(messages(sender)) == [('them', 'hi from b'), ('you', 'hello from a')], f'a\'s chat: {messages(sender)}', a)
    check(sorted(messages(receiver)[:2]) == [('them', 'hello from a'), ('you', 'hi from b')]
          and messages(receiver)[2:] == [('', 'they left')], f'b\'s chat: {messages(receiver)}', b)

    received = os.path.join(data_home, 'mprtc', 'files', 'app-chat-b', 'usr', 'received', 'random-5MiB.bin')
    check(os.path.getsize(received) == FILE_BYTES, f'the received file has {FILE_BYTES} bytes', b)
    with open(received, 'rb') as f:
        check(hashlib.sha256(f.read()).hexdigest() == sent_digest, 'the received file is the one sent (SHA-256)', b)
    check(texts(by_id(receiver, 'received-file')) == f'random-5MiB.bin · {FILE_BYTES} bytes · SHA-256 checked',
          'the receiver shows the file, its size and the check', b)
    check(not os.path.exists(os.path.join(data_home, 'mprtc', 'files', 'app-chat-a', 'usr', 'received')),
          'the sender wrote no file of its own', a)

    for dump, proc, id_, word in ((sender, a, 'out-1', 'sent'), (receiver, b, 'in-1', 'received')):
        check(texts(by_id(dump, f'percent-{id_}')) == f'{word} 100%', f'{word}: 100% ({texts(by_id(dump, f"percent-{id_}"))})', proc)
        bar, fill = by_id(dump, f'transfer-{id_}'), by_id(dump, f'progress-{id_}')
        track = next(c for c in bar['children'] if c['attrs'].get('class') == 'bar')
        check(fill['box'][2] == track['box'][2] > 0, f'{word}: the bar is full ({fill["box"]} in {track["box"]})', proc)
    state = texts(by_id(sender, 'state-out-1'))
    m = re.match(r'delivered in ([\d.]+) s: they saved it, SHA-256 checked$', state)
    check(m, f'the sender heard that it was saved and checked: {state!r}', a)
    print(f'# 5 MiB delivered (read, sent, written, checked) in {m.group(1)} s')
    check(texts(by_id(receiver, 'status')) == 'they left: waiting for someone to join', 'the one who stays waits', b)


@test
def no_file_picked_is_a_cancel():
    """Without --choose-file the user cancels the picker: nothing is sent, nothing is said."""
    data_home = tempfile.mkdtemp(prefix='chat-data-', dir=TMP)
    with Signal() as url:
        a = instance('cancel-a', url, 'cancel', data_home, '--wait-for', '#connected', '--tap', '#send-file',
                     '--wait-for', '#msg-1')
        b = instance('cancel-b', url, 'cancel', data_home, '--wait-for', '#connected', '--input', '#draft=bye',
                     '--tap', '#send', '--wait-for', '#they-left')
        dump = finish(a, 'the first instance')
        finish(b, 'the second instance')
    # The picker is asked before the tap's step is over (the host hears of both in order).
    check('no --choose-file left, the user cancels' in a.stderr, 'the picker was asked and cancelled', a)
    check(not any(n['attrs'].get('id', '').startswith('transfer-') for n in dump['root']['children'] if 'attrs' in n),
          'no transfer', a)
    check(by_id(dump, 'error') is None and by_id(dump, 'send-file')['attrs'].get('disabled') is False,
          'no error, and a file can still be sent', a)
    check(messages(dump) == [('them', 'bye')], f'the chat went on: {messages(dump)}', a)


main()
