//! The largest size or depth logkit accepts from input, for every size or depth it reads.
//!
//! Templates, configuration files, the environment and the arguments of a logging call can
//! all ask for an amount of memory or work: a field width, a queue capacity, a nesting depth.
//! Each such number has a maximum here, checked before anything is allocated or walked;
//! beyond it the caller gets an error that names what was asked and where (a compile error
//! quoting the template fragment, a configuration error naming the section and key, or a
//! `--- Logging error ---` report for a width taken from an argument), never a hang, an
//! abort on a failed allocation, a stack overflow or a panic. `docs/limits.md` lists them
//! all with the reasons for each value.
//!
//! # Examples
//!
//! ```
//! use logkit::limits::MAX_FIELD_WIDTH;
//! use logkit::Formatter;
//!
//! assert!(Formatter::new(&format!("%(message){MAX_FIELD_WIDTH}s")).is_ok());
//! let err = Formatter::new(&format!("%(message){}s", MAX_FIELD_WIDTH + 1)).unwrap_err();
//! assert!(err.to_string().contains("65535"));
//! ```

/// The largest width or precision of a template field (`%(message)-8s`, `{levelname:>8}`,
/// `%.3f`), written in the template or taken at run time from an argument (`%*d`) or a
/// record field (`{message:{width}}`). The widths and precisions written in one template
/// must also add up to at most this much.
///
/// 65,535 is the most Rust's own `format!` machinery takes (its `Formatter` keeps widths
/// and precisions in 16 bits), and a field of 65,535 characters is already more than any
/// log line needs. A field then costs at most 256 KiB (65,535 four-byte fill characters).
///
/// # Examples
///
/// ```
/// use logkit::limits::MAX_FIELD_WIDTH;
/// use logkit::template::{parse, Mode};
///
/// assert!(parse("%65535d", Mode::Message).is_ok());
/// assert!(parse("%65536d", Mode::Message).is_err());
/// assert!(parse("%40000d %40000d", Mode::Message).is_err()); // 80,000 in all
/// assert_eq!(MAX_FIELD_WIDTH, 65_535);
/// ```
pub const MAX_FIELD_WIDTH: usize = 65_535;

/// The largest capacity of a `QueueHandler`'s queue, in records (2^20).
///
/// The queue's slots are allocated when its listener starts, 128 bytes each, so the
/// largest queue takes 128 MiB; a larger capacity is an error, not an allocation that may
/// abort the process.
///
/// # Examples
///
/// ```
/// use logkit::limits::MAX_QUEUE_CAPACITY;
/// use logkit::{NullHandler, QueueHandler};
///
/// let err = QueueHandler::builder()
///     .handler(NullHandler::new())
///     .capacity(MAX_QUEUE_CAPACITY + 1)
///     .start()
///     .unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
/// ```
pub const MAX_QUEUE_CAPACITY: usize = 1 << 20;

/// The largest buffer of a file handler in buffered mode (`Buffering::capacity`, the
/// `buffer_size` of a configuration), in bytes: 64 MiB.
///
/// A buffer is written when it fills; one `write` of 64 MiB already costs nothing per record
/// in system calls, and a larger buffer only holds more records that a crash would lose.
///
/// # Examples
///
/// ```
/// use logkit::Buffering;
/// use logkit::limits::MAX_FILE_BUFFER;
///
/// assert_eq!(Buffering::new().capacity(usize::MAX).size(), MAX_FILE_BUFFER);
/// ```
pub const MAX_FILE_BUFFER: usize = 64 << 20;

/// The largest `backupCount` of a `RotatingFileHandler`.
///
/// Each rollover looks for every backup from the oldest down (as CPython does), so the count
/// bounds the work of one rollover: 100,000 backups take a fraction of a second to check;
/// CPython would spend hours on `backupCount=2**31`.
///
/// # Examples
///
/// ```
/// use logkit::RotatingFileHandler;
/// use logkit::limits::MAX_BACKUP_COUNT;
///
/// let path = std::env::temp_dir().join(format!("logkit-doc-backups-{}.log", std::process::id()));
/// let err = RotatingFileHandler::options(&path).backup_count(MAX_BACKUP_COUNT + 1).open().unwrap_err();
/// assert!(err.to_string().contains("100000"));
/// ```
pub const MAX_BACKUP_COUNT: u32 = 100_000;

/// The deepest nesting of values in a configuration: tuples, lists and dicts of an INI
/// file's `args=` and `kwargs=` (and of `ConfigValue::from_python`), of a dictConfig
/// dictionary (from Rust, JSON, TOML or any serde format), and of a dictConfig value with
/// its `cfg://` references resolved. Unary signs (`--1`) and parentheses count as levels.
///
/// The readers and the code that walks a configuration recurse once per level; 32 levels
/// fit in small thread stacks with room to spare (a 256 KiB thread reads them even in a
/// debug build, where each level takes about 5 KiB of stack), and no configuration nests
/// deeper than a handful.
///
/// # Examples
///
/// ```
/// use logkit::config::ConfigValue;
/// use logkit::limits::MAX_CONFIG_DEPTH;
///
/// let deep = format!("{}1{}", "[".repeat(MAX_CONFIG_DEPTH + 1), "]".repeat(MAX_CONFIG_DEPTH + 1));
/// assert!(ConfigValue::from_python(&deep).unwrap_err().to_string().contains("deeper than 32"));
/// ```
pub const MAX_CONFIG_DEPTH: usize = 32;

/// The most values that `cfg://` references of one dictConfig configuration may copy, in
/// all.
///
/// A reference is replaced by a copy of what it names, and references can name values that
/// hold references: ten levels of ten references each would copy ten billion values. No
/// real configuration copies more than a few dozen.
///
/// # Examples
///
/// ```
/// assert_eq!(logkit::limits::MAX_CFG_COPIES, 100_000);
/// ```
pub const MAX_CFG_COPIES: usize = 100_000;

/// The longest value of an INI file after `%(name)s` interpolation, in bytes: 1 MiB.
///
/// A value may refer to others ten levels deep (CPython's limit), each referring to several
/// more, so a few lines could otherwise expand to gigabytes.
///
/// # Examples
///
/// ```
/// assert_eq!(logkit::limits::MAX_INTERPOLATED_VALUE, 1 << 20);
/// ```
pub const MAX_INTERPOLATED_VALUE: usize = 1 << 20;

/// The longest logger name a configuration or the environment may give (an INI `qualname`,
/// a dictConfig `loggers` key, a `LOGKIT_LEVEL` or `RUST_LOG` target), in bytes.
///
/// Making a logger looks up each of its dotted ancestors, which costs the square of the
/// name's length. Names given in code (`get_logger`) are the program's own and have no
/// limit.
///
/// # Examples
///
/// ```
/// assert_eq!(logkit::limits::MAX_LOGGER_NAME, 1024);
/// ```
pub const MAX_LOGGER_NAME: usize = 1024;
