//! `StreamHandler`: records to stderr, stdout or any writer, one write per record.

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::whole_lines::WholeLines;
use super::{Handler, HandlerCore, HandlerError};
use crate::format::with_terminal_output;
use crate::record::Record;

/// Writes each record, formatted, plus a terminator (`\n`) to a stream (Python's
/// `logging.StreamHandler`).
///
/// The record is formatted before the stream's lock is taken; the line is written with one
/// `write` and the stream flushed, so nothing logged is lost if the process dies.
///
/// # Examples
///
/// ```
/// use logkit::{Capture, Formatter, Handler, Level, StreamHandler, get_logger};
///
/// let out = Capture::new();
/// let handler = StreamHandler::new(out.clone());
/// handler.set_formatter(Formatter::new("%(name)s - %(levelname)s - %(message)s").unwrap());
/// let logger = get_logger("stream.doc");
/// logger.add_handler(handler);
/// logger.log(Level::ERROR, "This is an error", &[]);
/// assert_eq!(out.contents(), "stream.doc - ERROR - This is an error\n");
/// ```
pub struct StreamHandler {
    core: HandlerCore,
    target: Mutex<Target>,
    /// Whether the stream is a terminal (for colour, see [`Color`](crate::format::Color)).
    terminal: AtomicBool,
}

struct Target {
    stream: Output,
    terminator: Box<str>,
    autoflush: bool,
    /// Lines of a batch (from a queue's listener), written together when it ends (or every
    /// [`BATCH_WRITE_SIZE`](super::BATCH_WRITE_SIZE) bytes).
    pending: Vec<u8>,
    batch: bool,
    /// Whether the last write stopped inside a record.
    lines: WholeLines,
}

/// Where a [`StreamHandler`] writes: the process's stderr or stdout, or a writer.
///
/// Any writer converts into one, so [`StreamHandler::set_stream`] takes a writer or a
/// standard stream alike.
///
/// # Examples
///
/// ```
/// use logkit::{Output, StreamHandler};
///
/// let handler = StreamHandler::stderr();
/// let old = handler.set_stream(Vec::<u8>::new());
/// assert!(matches!(old, Some(Output::Stderr)));
/// assert!(matches!(handler.set_stream(Output::Stdout), Some(Output::Writer(_))));
/// assert!(handler.set_stream(Output::Stdout).is_none()); // already there
/// ```
pub enum Output {
    /// The process's stderr.
    Stderr,
    /// The process's stdout.
    Stdout,
    /// Any writer.
    Writer(Box<dyn Write + Send>),
}

impl<W: Write + Send + 'static> From<W> for Output {
    fn from(writer: W) -> Self {
        Output::Writer(Box::new(writer))
    }
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Stderr => f.write_str("<stderr>"),
            Output::Stdout => f.write_str("<stdout>"),
            Output::Writer(_) => f.write_str("<writer>"),
        }
    }
}

impl Output {
    fn is_terminal(&self) -> bool {
        match self {
            Output::Stderr => io::stderr().is_terminal(),
            Output::Stdout => io::stdout().is_terminal(),
            Output::Writer(_) => false,
        }
    }

    /// Runs `f` with the stream as a writer (stderr and stdout locked for the call).
    #[inline(always)]
    fn with_writer<R>(&mut self, f: impl FnOnce(&mut dyn Write) -> R) -> R {
        match self {
            Output::Stderr => f(&mut io::stderr().lock()),
            Output::Stdout => f(&mut io::stdout().lock()),
            Output::Writer(w) => f(w),
        }
    }

    /// Writes one line with one `write` (on a line of its own after a write cut short),
    /// flushed if `flush`.
    #[inline(always)]
    fn write_line(&mut self, lines: &WholeLines, bytes: &[u8], flush: bool) -> io::Result<()> {
        self.with_writer(
            #[inline(always)]
            |w| {
                lines.append(&mut *w, bytes)?;
                if flush { w.flush() } else { Ok(()) }
            },
        )
    }

    fn flush(&mut self) -> io::Result<()> {
        self.with_writer(|w| w.flush())
    }
}

impl Default for StreamHandler {
    /// Writes to stderr, as Python's `StreamHandler()`.
    fn default() -> Self {
        StreamHandler::stderr()
    }
}

impl StreamHandler {
    fn with_stream(stream: Output) -> Self {
        let terminal = stream.is_terminal();
        StreamHandler {
            core: HandlerCore::new(),
            target: Mutex::new(Target {
                stream,
                terminator: "\n".into(),
                autoflush: true,
                pending: Vec::new(),
                batch: false,
                lines: WholeLines::default(),
            }),
            terminal: AtomicBool::new(terminal),
        }
    }

    /// Whether the stream is a terminal: stderr or stdout attached to one (a writer never
    /// is). Formatters colour records only for such a stream (see
    /// [`Color`](crate::format::Color)).
    pub fn is_terminal(&self) -> bool {
        self.terminal.load(Ordering::Relaxed)
    }

    /// Writes to the process's stderr.
    pub fn stderr() -> Self {
        StreamHandler::with_stream(Output::Stderr)
    }

    /// Writes to the process's stdout (Python's `StreamHandler(sys.stdout)`).
    pub fn stdout() -> Self {
        StreamHandler::with_stream(Output::Stdout)
    }

    /// Writes to any writer.
    pub fn new(writer: impl Write + Send + 'static) -> Self {
        StreamHandler::with_stream(Output::Writer(Box::new(writer)))
    }

    /// Sets what follows each record (`\n` by default; Python's `terminator`).
    pub fn set_terminator(&self, terminator: &str) {
        self.lock().terminator = terminator.into();
    }

    /// Whether each record is flushed as soon as it is written (the default, so a crash loses
    /// nothing already logged). Off, lines stay in the writer's buffer (a `BufWriter`, say)
    /// until [`flush`](Handler::flush): the mode for a handler behind a
    /// [`QueueHandler`](super::QueueHandler), whose listener flushes after each batch.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::BufWriter;
    /// use logkit::{Handler, StreamHandler};
    ///
    /// let file = std::fs::File::create(std::env::temp_dir().join("logkit-autoflush.log"))?;
    /// let handler = StreamHandler::new(BufWriter::new(file));
    /// handler.set_autoflush(false);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn set_autoflush(&self, autoflush: bool) {
        self.lock().autoflush = autoflush;
    }

    /// Replaces the stream, flushing the old one first, and returns the old one (Python's
    /// `setStream`): `None` when given the standard stream it already writes to (a writer
    /// is always a new stream).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use logkit::{get_logger, Capture, Level, Output, StreamHandler};
    ///
    /// let handler = Arc::new(StreamHandler::stdout());
    /// let logger = get_logger("set_stream.doc");
    /// logger.add_handler(Arc::clone(&handler));
    /// let out = Capture::new();
    /// assert!(matches!(handler.set_stream(out.clone()), Some(Output::Stdout)));
    /// logger.log(Level::WARNING, "now captured", &[]);
    /// assert_eq!(out.contents(), "now captured\n");
    /// ```
    pub fn set_stream(&self, stream: impl Into<Output>) -> Option<Output> {
        let stream = stream.into();
        let mut t = self.lock();
        if matches!(
            (&t.stream, &stream),
            (Output::Stderr, Output::Stderr) | (Output::Stdout, Output::Stdout)
        ) {
            return None;
        }
        let _ = t.stream.flush();
        self.terminal.store(stream.is_terminal(), Ordering::Relaxed);
        Some(std::mem::replace(&mut t.stream, stream))
    }

    fn lock(&self) -> MutexGuard<'_, Target> {
        self.target.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Handler for StreamHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn destination(&self) -> Option<String> {
        match self.lock().stream {
            Output::Stderr => Some("<stderr>".to_owned()),
            Output::Stdout => Some("<stdout>".to_owned()),
            Output::Writer(_) => None,
        }
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        with_terminal_output(
            self.is_terminal(),
            #[inline(always)]
            || self.write_record(record),
        )
    }

    fn begin_batch(&self) {
        let mut t = self.lock();
        t.batch = true;
        super::reserve_for_batch(&mut t.pending);
    }

    fn end_batch(&self) -> Result<(), HandlerError> {
        let mut t = self.lock();
        t.batch = false;
        if t.pending.is_empty() {
            return Ok(());
        }
        let Target {
            stream,
            autoflush,
            pending,
            lines,
            ..
        } = &mut *t;
        let written = stream.write_line(lines, pending, *autoflush);
        pending.clear();
        super::shrink_after_batch(pending);
        Ok(written?)
    }

    fn flush(&self) -> Result<(), HandlerError> {
        Ok(self.lock().stream.flush()?)
    }
}

impl StreamHandler {
    /// Inlined into `emit`, with what it calls on the way to the `write`, so that the
    /// `write` is made fewer calls deep (see `dispatch::with_config`).
    #[inline(always)]
    fn write_record(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        self.core.format_line(
            record,
            #[inline(always)]
            |line| {
                let mut t = self.lock();
                let Target {
                    stream,
                    terminator,
                    autoflush,
                    pending,
                    batch,
                    lines,
                } = &mut *t;
                if &**terminator == "\n" {
                    line.push('\n');
                } else {
                    line.push_str(terminator);
                }
                if *batch {
                    pending.extend_from_slice(line.as_bytes());
                    if pending.len() >= super::BATCH_WRITE_SIZE {
                        // Written or not, the records are gone: a failure is reported.
                        let written = stream.write_line(lines, pending, *autoflush);
                        pending.clear();
                        written?;
                    }
                    return Ok(());
                }
                stream.write_line(lines, line.as_bytes(), *autoflush)?;
                Ok(())
            },
        )
    }
}

impl fmt::Debug for StreamHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stream = match self.lock().stream {
            Output::Stderr => "<stderr>",
            Output::Stdout => "<stdout>",
            Output::Writer(_) => "<writer>",
        };
        f.debug_struct("StreamHandler")
            .field("stream", &stream)
            .field("core", &self.core)
            .finish()
    }
}
