//! The bytes of a snapshot.
//!
//! ```text
//! MAGIC (16 bytes) | format version (u32 LE) | payload length (u64 LE) | SHA-256 of the payload
//! payload: frames, each a length (u64 LE) and that many bytes of postcard:
//!   Meta (vrisk's version, the inputs as given, each file's stamp, hash and shape)
//!   Rest (default_org, sources, competitors, vendors, roles, moves, warnings)
//!   the organisations (a count, then each)
//!   the stakes (a count, then each)
//! ```
//!
//! The two long lists are decoded at once, each straight into a list of its final size: on a
//! large registry most of a load is the kernel handing out fresh memory, so nothing is decoded
//! into a temporary list and copied. Every length in the file is checked against the bytes that
//! are left before anything is allocated for it.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};

use crate::input::diagnostic::Problem;
use crate::input::shape::{TextShape, WideChar};
use crate::input::source::FileStamp;
use crate::registry::model::*;

/// The first bytes of every snapshot: a byte that is not text (so that no text file starts like
/// one, and a transfer that mangles line ends or high bits shows), the name, a line feed.
pub const MAGIC: &[u8; 16] = b"\x89VRISK-SNAPSHOT\n";

/// The version of the layout below and of the registry model it stores. A snapshot of another
/// format version, or written by another version of vrisk, is refused: rebuild it.
pub const FORMAT_VERSION: u32 = 1;

/// Fewer bytes than an organisation, and than a stake, is encoded in (15 and 43 with every field
/// empty): a count in the file larger than its bytes could hold is corrupt, and allocates
/// nothing.
const MIN_ORGANISATION_BYTES: usize = 12;
const MIN_STAKE_BYTES: usize = 32;

const HEADER_LEN: usize = MAGIC.len() + 4 + 8 + 32;

/// What a snapshot says about itself and its inputs.
#[derive(Debug, Serialize, Deserialize)]
pub struct Meta {
    pub vrisk_version: String,
    /// The registry paths given to `snapshot build`, for the rebuild hint.
    pub registry_args: Vec<String>,
    pub files: Vec<StoredFile>,
}

/// One input file: what it was called, where it was, what it was, and its shape.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredFile {
    pub name: String,
    /// As given (relative paths are read from the current directory, as the inputs would be).
    pub path: String,
    pub size: u64,
    pub modified: (i64, u32),
    /// SHA-256 of the text as vrisk read it (UTF-8, without a byte-order mark).
    pub sha256: [u8; 32],
    pub len: u64,
    /// Line starts, each as the distance from the one before.
    pub line_starts: Vec<u64>,
    /// Wide characters: distance from the one before, and byte length.
    pub wide: Vec<(u64, u8)>,
    /// Carriage returns, each as the distance from the one before.
    pub carriage_returns: Vec<u64>,
}

/// The lists other than organisations and stakes.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Rest {
    pub default_org: Option<Ref>,
    pub sources: Vec<Source>,
    pub competitors: Vec<Competitor>,
    pub vendors: Vec<VendorRelationship>,
    pub roles: Vec<Role>,
    pub moves: Vec<Move>,
    pub warnings: Vec<StoredProblem>,
}

/// A warning found while the registry was loaded, kept to be shown on every run.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredProblem {
    pub code: String,
    pub level: u8,
    pub message: String,
    pub labels: Vec<(crate::input::source::Loc, String)>,
    pub help: Option<String>,
}

/// Everything a snapshot holds, decoded.
pub struct Contents {
    pub meta: Meta,
    pub rest: Rest,
    pub organisations: Vec<Organisation>,
    pub stakes: Vec<Stake>,
}

/// Why bytes are not a snapshot this vrisk can read.
#[derive(Debug)]
pub enum Unreadable {
    /// The file does not start with [`MAGIC`].
    Foreign,
    /// Another format version.
    Version(u32),
    /// Truncated, or bytes that do not decode; what is wrong.
    Corrupt(String),
}

/// Encodes a snapshot.
pub fn encode(
    meta: &Meta,
    rest: &Rest,
    organisations: &[Organisation],
    stakes: &[Stake],
) -> Result<Vec<u8>, String> {
    let mut payload = Vec::new();
    frame(
        &mut payload,
        &postcard::to_allocvec(meta).map_err(|e| e.to_string())?,
    );
    frame(
        &mut payload,
        &postcard::to_allocvec(rest).map_err(|e| e.to_string())?,
    );
    frame(
        &mut payload,
        &postcard::to_allocvec(organisations).map_err(|e| e.to_string())?,
    );
    frame(
        &mut payload,
        &postcard::to_allocvec(stakes).map_err(|e| e.to_string())?,
    );
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    Ok(out)
}

fn frame(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The format version a file's header declares, once its magic is checked.
pub fn check_header(bytes: &[u8]) -> Result<(), Unreadable> {
    if !bytes.starts_with(MAGIC) {
        return Err(Unreadable::Foreign);
    }
    let version = bytes
        .get(MAGIC.len()..MAGIC.len() + 4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| Unreadable::Corrupt("it ends inside its header".to_string()))?;
    if version != FORMAT_VERSION {
        return Err(Unreadable::Version(version));
    }
    Ok(())
}

/// Decodes a snapshot, checking its header and the hash of its payload first.
pub fn decode(bytes: &[u8]) -> Result<Contents, Unreadable> {
    check_header(bytes)?;
    let corrupt = |what: &str| Unreadable::Corrupt(what.to_string());
    let header = bytes
        .get(..HEADER_LEN)
        .ok_or_else(|| corrupt("it ends inside its header"))?;
    let length = u64::from_le_bytes(header[20..28].try_into().unwrap_or_default());
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != length {
        return Err(Unreadable::Corrupt(format!(
            "its header announces {length} bytes of data and {} follow (truncated, or more \
             written after it)",
            payload.len()
        )));
    }
    // The hash is checked while the lists decode (on a large snapshot each takes a core), and
    // what was decoded is used only if it matches.
    let (hashed, decoded) = rayon::join(
        || Sha256::digest(payload).as_slice() == &header[28..60],
        || decode_payload(payload),
    );
    if !hashed {
        return Err(corrupt(
            "its data does not match the hash in its header (the file was altered or damaged)",
        ));
    }
    decoded
}

fn decode_payload(payload: &[u8]) -> Result<Contents, Unreadable> {
    let mut frames = Frames { rest: payload };
    let meta: Meta = frames.decode("the description of its inputs")?;
    let rest: Rest = frames.decode("the registry's lists")?;
    let organisations = frames.next("the organisations")?;
    let stakes = frames.next("the stakes")?;
    if !frames.rest.is_empty() {
        return Err(Unreadable::Corrupt(
            "it has data after its last list".to_string(),
        ));
    }
    let (organisations, stakes) = rayon::join(
        || list(organisations, MIN_ORGANISATION_BYTES, "the organisations"),
        || list(stakes, MIN_STAKE_BYTES, "the stakes"),
    );
    Ok(Contents {
        meta,
        rest,
        organisations: organisations?,
        stakes: stakes?,
    })
}

/// A list encoded as its count and its items, decoded into a list of that size: the count is
/// first checked against the bytes that could hold it (each item takes at least `min_bytes`).
fn list<T: DeserializeOwned>(
    frame: &[u8],
    min_bytes: usize,
    what: &str,
) -> Result<Vec<T>, Unreadable> {
    let failed = |e: postcard::Error| Unreadable::Corrupt(format!("{what} do not decode ({e})"));
    let mut decoder = postcard::Deserializer::from_bytes(frame);
    let count = u64::deserialize(&mut decoder).map_err(failed)?;
    if count > (frame.len() / min_bytes) as u64 {
        return Err(Unreadable::Corrupt(format!(
            "it counts more {what} than its bytes could hold"
        )));
    }
    let mut items = Vec::with_capacity(count as usize);
    for _ in 0..count {
        items.push(T::deserialize(&mut decoder).map_err(failed)?);
    }
    match decoder.finalize().map_err(failed)? {
        [] => Ok(items),
        _ => Err(Unreadable::Corrupt(format!(
            "{what} are followed by stray bytes"
        ))),
    }
}

/// Reads frames off the payload.
struct Frames<'a> {
    rest: &'a [u8],
}

impl<'a> Frames<'a> {
    fn next(&mut self, what: &str) -> Result<&'a [u8], Unreadable> {
        let truncated = || Unreadable::Corrupt(format!("it ends inside {what}"));
        let (length, rest) = self.rest.split_at_checked(8).ok_or_else(truncated)?;
        let length = u64::from_le_bytes(length.try_into().unwrap_or_default());
        let length = usize::try_from(length).map_err(|_| truncated())?;
        let (frame, rest) = rest.split_at_checked(length).ok_or_else(truncated)?;
        self.rest = rest;
        Ok(frame)
    }

    fn decode<T: DeserializeOwned>(&mut self, what: &str) -> Result<T, Unreadable> {
        let frame = self.next(what)?;
        from_frame(frame, what)
    }
}

/// Each offset as its distance from the one before (the first from 0): small numbers, which
/// postcard writes in a byte or two.
fn distances(offsets: impl Iterator<Item = usize>) -> Vec<u64> {
    let mut previous = 0;
    offsets
        .map(|at| {
            let delta = at.saturating_sub(previous);
            previous = at;
            delta as u64
        })
        .collect()
}

fn from_frame<T: DeserializeOwned>(frame: &[u8], what: &str) -> Result<T, Unreadable> {
    match postcard::take_from_bytes(frame) {
        Ok((value, [])) => Ok(value),
        Ok(_) => Err(Unreadable::Corrupt(format!(
            "{what} are followed by stray bytes"
        ))),
        Err(e) => Err(Unreadable::Corrupt(format!("{what} do not decode ({e})"))),
    }
}

impl StoredFile {
    /// A file as stored: its stamp and hash as given, its line starts and shape as distances.
    pub fn new(
        name: String,
        path: String,
        stamp: &FileStamp,
        sha256: [u8; 32],
        line_starts: &[usize],
        shape: &TextShape,
    ) -> StoredFile {
        StoredFile {
            name,
            path,
            size: stamp.size,
            modified: (stamp.modified.seconds, stamp.modified.nanos),
            sha256,
            len: shape.len as u64,
            line_starts: distances(line_starts.iter().copied()),
            wide: distances(shape.wide.iter().map(|w| w.offset))
                .into_iter()
                .zip(&shape.wide)
                .map(|(delta, w)| (delta, w.len))
                .collect(),
            carriage_returns: distances(shape.carriage_returns.iter().copied()),
        }
    }

    /// The line starts and shape back from their stored form, checked: the lines start at 0 and
    /// go up, wide characters are 2 to 4 bytes and do not overlap, and everything lies within
    /// the text.
    pub fn shape(&self) -> Result<(Vec<usize>, TextShape), String> {
        let len = usize::try_from(self.len).map_err(|_| "a file too large".to_string())?;
        let absolute = |deltas: &mut dyn Iterator<Item = u64>| {
            let mut at: usize = 0;
            let mut out = Vec::new();
            for (i, delta) in deltas.enumerate() {
                let delta =
                    usize::try_from(delta).map_err(|_| "an offset out of range".to_string())?;
                if delta == 0 && i > 0 {
                    return Err("offsets that do not go up".to_string());
                }
                at = at
                    .checked_add(delta)
                    .filter(|&a| a <= len)
                    .ok_or_else(|| "an offset past the end of its file".to_string())?;
                out.push(at);
            }
            Ok(out)
        };
        let line_starts = absolute(&mut self.line_starts.iter().copied())?;
        if line_starts.first() != Some(&0) {
            return Err("line starts that do not start at 0".to_string());
        }
        let offsets = absolute(&mut self.wide.iter().map(|w| w.0))?;
        let mut wide = Vec::with_capacity(offsets.len());
        let mut end = 0;
        for (offset, &(_, width)) in offsets.into_iter().zip(&self.wide) {
            if !(2..=4).contains(&width) || offset < end || offset + usize::from(width) > len {
                return Err("a character that does not fit its file".to_string());
            }
            end = offset + usize::from(width);
            wide.push(WideChar { offset, len: width });
        }
        let carriage_returns = absolute(&mut self.carriage_returns.iter().copied())?;
        if carriage_returns.last().is_some_and(|&at| at >= len) {
            return Err("a line break past the end of its file".to_string());
        }
        Ok((
            line_starts,
            TextShape {
                len,
                wide,
                carriage_returns,
            },
        ))
    }
}

impl StoredProblem {
    pub fn from_problem(problem: &Problem) -> StoredProblem {
        use crate::input::diagnostic::Level;
        StoredProblem {
            code: problem.code.to_string(),
            level: match problem.level {
                Level::Error => 0,
                Level::Warning => 1,
                Level::Advice => 2,
            },
            message: problem.message.clone(),
            labels: problem.labels.clone(),
            help: problem.help.clone(),
        }
    }
}
