//! Standard output and the other streams a report can go to (a named pipe, a character
//! device). A closed pipe is the reader saying it has what it wants (`vrisk check | head -1`):
//! the output ends there, quietly. Any other failure (a full disk, an I/O error) is an error,
//! and a run whose standard output failed exits 2 whatever its command, since what it printed
//! is incomplete.

use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicU8, Ordering};

const OPEN: u8 = 0;
/// The reader went away: nothing more is written.
const CLOSED: u8 = 1;
/// A write failed: nothing more is written, and the run exits 2.
const FAILED: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(OPEN);

/// Writes `text` to standard output. A closed pipe ends the output quietly; any other error is
/// returned, and remembered for [`failed`].
pub fn write(text: impl AsRef<[u8]>) -> std::io::Result<()> {
    if STATE.load(Ordering::SeqCst) != OPEN {
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    match write_stream(&mut stdout, text) {
        Ok(Stream::Open) => Ok(()),
        Ok(Stream::Closed) => {
            STATE.store(CLOSED, Ordering::SeqCst);
            Ok(())
        }
        Err(e) => {
            STATE.store(FAILED, Ordering::SeqCst);
            Err(e)
        }
    }
}

/// [`write`], saying on standard error when it fails.
pub fn print(text: &str) {
    if let Err(e) = write(text) {
        let _ = writeln!(
            std::io::stderr(),
            "error: cannot write to standard output: {e}; the output is incomplete"
        );
    }
}

/// Whether a write to standard output has failed in this run (a closed pipe is no failure).
pub fn failed() -> bool {
    STATE.load(Ordering::SeqCst) == FAILED
}

/// Whether a stream is still open after a write.
#[derive(Debug, PartialEq, Eq)]
pub enum Stream {
    Open,
    /// Its reader closed it (EPIPE): the rest of the output is dropped.
    Closed,
}

/// Writes `text` whole to `out` and flushes it; a closed pipe is [`Stream::Closed`], not an
/// error.
pub fn write_stream(out: &mut impl Write, text: impl AsRef<[u8]>) -> std::io::Result<Stream> {
    match out.write_all(text.as_ref()).and_then(|_| out.flush()) {
        Ok(()) => Ok(Stream::Open),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(Stream::Closed),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Failing(ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from(self.0))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn only_a_closed_pipe_ends_quietly() {
        let mut buffer = Vec::new();
        assert_eq!(write_stream(&mut buffer, "x").ok(), Some(Stream::Open));
        assert_eq!(buffer, b"x");
        let closed = write_stream(&mut Failing(ErrorKind::BrokenPipe), "x");
        assert_eq!(closed.ok(), Some(Stream::Closed));
        assert!(write_stream(&mut Failing(ErrorKind::StorageFull), "x").is_err());
        assert!(write_stream(&mut Failing(ErrorKind::Other), "x").is_err());
    }
}
