"""Prints the expected outputs of tests/formatter.rs: CPython formatting one fixed record.

Run with CPython 3.11 (`python3 tests/data/gen_formatter_cases.py`) and paste the output
into the CASES table of tests/formatter.rs.
"""
import logging
import time

CASES = [
    ("%", "%(asctime)s"),
    ("%", "%(name)s|%(levelname)-8s|%(levelname)8s|%(levelno)d|%(levelno)#o|%(levelno)5.3d|%(levelno)x|%(levelno)+d"),
    ("%", "%(levelno)f|%(levelno)e|%(levelno)r|%(levelno)s|%(levelno)-5d|%(levelno)05d|%(levelno)X"),
    ("%", "%(message)s|%(message)r|%(message)a|%(message).7s|%(message)30s|%(message)-30s|"),
    ("%", "%(msecs)d|%(msecs)03d|%(msecs)s|%(msecs)f|%(created)f|%(created)s|%(created).3f|%(created)e|%(created)g"),
    ("%", "%(pathname)s %(filename)s %(module)s %(lineno)d %(funcName)s"),
    ("%", "%(thread)d %(threadName)s %(processName)s"),
    ("%", "%(msg)s|%(args)s|%(exc_text)s|%(stack_info)s"),
    ("%", "%%(name)s %% %(name)s%%"),
    ("%", "[%(levelname)10.2s] %(name)-10.4s|"),
    ("%", "%(asctime)s - %(name)s - %(levelname)s - %(message)s"),
    ("%", "%(process)d-%(levelname)s-%(message)s"),
    ("%", "%(levelname)s:%(name)s:%(message)s"),
    ("{", "{name} {levelname:<8}|{levelname:>8}|{levelname:^9}|{levelno:03d}|{levelno:#x}|{message!r}"),
    ("{", "{created:.3f} {msecs:.0f} {levelno:+} {levelno:,} {lineno:_b} {levelno:*^7} {levelno:=+6}"),
    ("{", "{asctime} {{literal}} {name!s:>10} {levelno:e} {created:,.2f} {levelno:%}"),
    ("$", "$name ${levelname}:$message $$ ${asctime}"),
]

def rust_str(s):
    out = '"'
    for c in s:
        if c in '"\\':
            out += '\\' + c
        elif 32 <= ord(c) < 127:
            out += c
        else:
            out += '\\u{%x}' % ord(c)
    return out + '"'


r = logging.LogRecord("app.db", logging.INFO, "src/db/pool.rs", 42,
                      "request %s took %d ms", ("/api/users", 42), None, "connect")
r.created = 1700000000.125
r.msecs = 125.0
r.thread = 12345
r.threadName = "MainThread"
r.process = 4242
for style, fmt in CASES:
    f = logging.Formatter(fmt, style=style)
    f.converter = time.gmtime
    print("    ('%s', %s, %s)," % (style, rust_str(fmt), rust_str(f.format(r))))
