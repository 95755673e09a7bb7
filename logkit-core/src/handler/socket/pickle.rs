//! What CPython's `SocketHandler.makePickle` sends: the record's `__dict__` (the merged
//! message as `msg`, `args` and `exc_info` as `None`, the user fields after the attributes)
//! pickled, behind its length as four big-endian bytes. The receiving end is CPython's
//! `pickle.loads` and `logging.makeLogRecord`, as in the logging cookbook's socket server.
//!
//! The pickle uses protocol 1's opcodes (CPython's `pickle.dumps(d, 1)`), without the memo
//! CPython adds: the same objects when loaded.

use crate::format::attr_value;
use crate::handler::HandlerError;
use crate::record::Record;
use crate::template::Attr;
use crate::value::Value;

/// The bytes CPython's `SocketHandler` and `DatagramHandler` send for `record`: a 4-byte
/// big-endian length, then the pickled `record.__dict__` (with `msg` the merged message,
/// `args` and `exc_info` `None`, and the record's fields), which a Python receiver turns
/// back into a record with `logging.makeLogRecord(pickle.loads(data))`.
///
/// # Errors
///
/// The message does not match its arguments (what CPython's `getMessage` raises).
///
/// # Examples
///
/// ```
/// use logkit::{Level, Location, Message, Record};
///
/// let args = ["bob".into()];
/// let record = Record::new("app", Level::INFO, Message::dynamic("hi %s", &args),
///     Location::new("src/app.rs", 7, "app"));
/// let bytes = logkit::socket_pickle(&record)?;
/// let len = u32::from_be_bytes(bytes[..4].try_into()?) as usize;
/// assert_eq!(len, bytes.len() - 4);
/// assert_eq!(&bytes[4..6], b"}(", "an empty dict, then its items");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn socket_pickle(record: &Record<'_>) -> Result<Vec<u8>, HandlerError> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(b"}(");
    let mut message = String::new();
    record.write_message(&mut message)?;
    for attr in Attr::DICT_ORDER {
        str_(&mut out, attr.name());
        match attr {
            Attr::Msg => str_(&mut out, &message),
            Attr::Args | Attr::ExcInfo => out.push(b'N'),
            _ => value(&mut out, &attr_value(record, attr)?),
        }
    }
    for (key, v) in record.fields() {
        str_(&mut out, key);
        value(&mut out, v);
    }
    out.extend_from_slice(b"u.");
    let len = u32::try_from(out.len() - 4).map_err(|_| {
        HandlerError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "a pickled record of 4 GiB or more cannot be framed",
        ))
    })?;
    out[..4].copy_from_slice(&len.to_be_bytes());
    Ok(out)
}

/// Pickles `v` as the Python object it stands for.
fn value(out: &mut Vec<u8>, v: &Value<'_>) {
    match v {
        Value::None => out.push(b'N'),
        Value::Bool(b) => out.extend_from_slice(if *b { b"I01\n" } else { b"I00\n" }),
        Value::Int(i) => int(out, *i),
        Value::Float(f) => {
            out.push(b'G');
            out.extend_from_slice(&f.to_be_bytes());
        }
        Value::Str(s) => str_(out, s),
        Value::Tuple(items) if items.is_empty() => out.push(b')'),
        Value::Tuple(items) => {
            out.push(b'(');
            items.iter().for_each(|i| value(out, i));
            out.push(b't');
        }
        Value::List(items) => {
            out.push(b']');
            if !items.is_empty() {
                out.push(b'(');
                items.iter().for_each(|i| value(out, i));
                out.push(b'e');
            }
        }
        Value::Map(items) => {
            out.push(b'}');
            if !items.is_empty() {
                out.push(b'(');
                for (k, v) in items.iter() {
                    key(out, k);
                    value(out, v);
                }
                out.push(b'u');
            }
        }
        // What `str()` of it prints: the only form a Python receiver could have of it.
        other => {
            let mut text = String::new();
            other.write_str(&mut text);
            str_(out, &text);
        }
    }
}

/// A dict key: hashable values as they are, a list or a dict (which Python cannot hash) as
/// its text.
fn key(out: &mut Vec<u8>, k: &Value<'_>) {
    match k {
        Value::List(_) | Value::Map(_) => {
            let mut text = String::new();
            k.write_str(&mut text);
            str_(out, &text);
        }
        _ => value(out, k),
    }
}

/// `BININT1`, `BININT2`, `BININT` by size, or `LONG`'s text for what 32 bits cannot hold.
fn int(out: &mut Vec<u8>, i: i128) {
    if let Ok(b) = u8::try_from(i) {
        out.extend_from_slice(&[b'K', b]);
    } else if let Ok(h) = u16::try_from(i) {
        out.push(b'M');
        out.extend_from_slice(&h.to_le_bytes());
    } else if let Ok(w) = i32::try_from(i) {
        out.push(b'J');
        out.extend_from_slice(&w.to_le_bytes());
    } else {
        out.push(b'L');
        out.extend_from_slice(i.to_string().as_bytes());
        out.extend_from_slice(b"L\n");
    }
}

/// `BINUNICODE`: the UTF-8 bytes behind their length (four bytes, little-endian).
fn str_(out: &mut Vec<u8>, s: &str) {
    out.push(b'X');
    // Records are bounded far below 4 GiB (limits.md); a longer string is cut, not wrapped.
    let bytes = &s.as_bytes()[..s.len().min(u32::MAX as usize)];
    out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::{int, value};
    use crate::value::Value;

    fn pickled(v: &Value<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        value(&mut out, v);
        out
    }

    #[test]
    fn integers_take_the_smallest_opcode() {
        let of = |i: i128| {
            let mut out = Vec::new();
            int(&mut out, i);
            out
        };
        assert_eq!(of(0), b"K\x00");
        assert_eq!(of(255), b"K\xff");
        assert_eq!(of(256), b"M\x00\x01");
        assert_eq!(of(65_536), b"J\x00\x00\x01\x00");
        assert_eq!(of(-1), b"J\xff\xff\xff\xff");
        assert_eq!(of(1 << 40), b"L1099511627776L\n");
        assert_eq!(of(-(1 << 40)), b"L-1099511627776L\n");
    }

    #[test]
    fn containers_and_scalars() {
        assert_eq!(pickled(&Value::None), b"N");
        assert_eq!(pickled(&Value::Bool(true)), b"I01\n");
        assert_eq!(pickled(&Value::Float(1.5)), b"G\x3f\xf8\0\0\0\0\0\0");
        assert_eq!(pickled(&Value::from("é")), b"X\x02\0\0\0\xc3\xa9");
        assert_eq!(pickled(&Value::Tuple(Vec::new().into())), b")");
        assert_eq!(
            pickled(&Value::Tuple(vec![Value::from(1), Value::None].into())),
            b"(K\x01Nt"
        );
        assert_eq!(pickled(&Value::List(Vec::new().into())), b"]");
        assert_eq!(
            pickled(&Value::List(vec![Value::from(1)].into())),
            b"](K\x01e"
        );
        let map = Value::Map(vec![(Value::List(vec![].into()), Value::from(2))].into());
        assert_eq!(pickled(&map), b"}(X\x02\0\0\0[]K\x02u");
    }
}
