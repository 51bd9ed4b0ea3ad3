//! JSON text -> trees that keep the span of every key and value, one value at a time.
//!
//! [`crate::input::yaml::parse`] reads JSON too (JSON is YAML), but it builds one tree for a whole file.
//! A BODS file may hold a million statements: each must be read, used and dropped in turn, with
//! positions into the one copy of the text that the run's [`SourceFile`] keeps. This reader
//! starts at any offset of that text and stops at the end of one value, so a caller can walk a
//! top-level array element by element, or JSON Lines line by line, without a second copy.
//!
//! A value is read into a [`Tape`]: its nodes in document order in one flat list that the caller
//! reuses from one value to the next, with strings borrowed from the text unless they hold an
//! escape. Reading a statement then allocates nothing in the common case, and the caller takes
//! what it needs through [`Json`] handles. [`Reader::value`] turns a tape into a [`Node`] tree
//! for the callers that keep a whole document (a registry written as JSON).
//!
//! Reading is a loop over an explicit stack of open containers, not a recursion: a value nested
//! as deep as the limits allow needs no more than a small heap allocation, on any thread.
//!
//! Containers are located at their opening bracket only: a diagnostic about a statement then
//! points at the line where it starts instead of underlining every line of it.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::input::diagnostic::Problem;
use crate::input::source::{FileId, Loc, SourceFile, Span};
use crate::input::yaml::{Key, Node, Value};

/// Deepest nesting accepted whatever the limits say, so that the depth a JSON file may reach
/// does not grow with `--max-depth` beyond what the YAML reader accepts.
const HARD_MAX_DEPTH: usize = 1_000;

/// Objects with more members than this check duplicate keys with a hash set.
const LINEAR_KEY_CHECK: usize = 32;

/// Why a value could not be read, boxed: results pass through every step of reading, and a
/// small one costs less to pass on than a whole problem.
type Failure = Box<Problem>;

/// A cursor over the text of one file.
pub struct Reader<'t> {
    file: FileId,
    name: &'t str,
    text: &'t str,
    pos: usize,
    max_depth: usize,
    /// The containers opened and not yet closed while a value is read (kept between values so
    /// that its allocation is reused).
    open: Vec<Open<'t>>,
}

/// A container being read.
struct Open<'t> {
    /// Its place on the tape.
    slot: usize,
    object: bool,
    /// Members read so far (objects).
    members: usize,
    /// The [`name_bit`]s of the member names so far (objects).
    name_bits: u64,
    /// The member names so far, once there are too many to compare one by one.
    names: Option<HashSet<Cow<'t, str>>>,
}

/// One JSON value as read: its nodes in document order. A container is followed by its
/// elements, or for an object by each member's name and then its value; it records where its
/// last descendant ends, so that a reader can step over it.
#[derive(Default)]
pub struct Tape<'t> {
    file: FileId,
    slots: Vec<Slot<'t>>,
}

struct Slot<'t> {
    span: Span,
    item: Item<'t>,
}

enum Item<'t> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string value or a member name.
    Str(Cow<'t, str>),
    /// `end` is the index just past the container's last descendant.
    Array {
        end: usize,
    },
    /// `name_bits` has the [`name_bit`] of each member name: a name whose bit is not set is
    /// not a member, which most look-ups of absent members learn without reading the names.
    Object {
        end: usize,
        name_bits: u64,
    },
}

/// What a JSON value is, with the content of a scalar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    Array,
    Object,
}

/// A value on a [`Tape`].
#[derive(Clone, Copy)]
pub struct Json<'a> {
    tape: &'a Tape<'a>,
    at: usize,
}

impl<'t> Reader<'t> {
    pub fn new(file: FileId, source: &'t SourceFile, max_depth: usize) -> Self {
        Reader {
            file,
            name: &source.name,
            text: &source.text,
            pos: 0,
            max_depth: max_depth.min(HARD_MAX_DEPTH),
            open: Vec::new(),
        }
    }

    /// The byte offset the reader is at.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Moves to `offset` (clamped to the text), e.g. past a line that failed to parse.
    pub fn seek(&mut self, offset: usize) {
        self.pos = offset.min(self.text.len());
    }

    /// Skips whitespace and returns the next byte, if any.
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes().get(self.pos).copied()
    }

    /// Consumes `byte` if it is next (after whitespace).
    pub fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The offset just past the end of the line the reader is on.
    pub fn next_line_start(&self) -> usize {
        let from = self.pos.min(self.text.len());
        match self.bytes()[from..].iter().position(|&b| b == b'\n') {
            Some(i) => from + i + 1,
            None => self.text.len(),
        }
    }

    /// A located problem at the current position.
    pub fn error(&self, code: &'static str, message: &str, label: &str) -> Problem {
        let mut at = self.pos.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let len = self.text[at..].chars().next().map_or(0, char::len_utf8);
        Problem::new(code, format!("{}: {message}", self.name))
            .at(self.loc(at, len), label)
            .with_help(match code {
                "json::duplicate-key" => {
                    "each key may appear once in an object; remove or rename one of them"
                }
                "json::limit" => {
                    "the document nests deeper than the limit; flatten it, or raise --max-depth \
                     if the input is trusted"
                }
                _ => "fix the JSON syntax at this position",
            })
    }

    /// Reads one value as a tree of its own.
    pub fn value(&mut self) -> Result<Node, Problem> {
        let mut tape = Tape::default();
        Ok(self.read(&mut tape)?.to_node())
    }

    /// Reads one value onto `tape`, replacing what it held.
    pub fn read<'a>(&mut self, tape: &'a mut Tape<'t>) -> Result<Json<'a>, Problem> {
        tape.file = self.file;
        tape.slots.clear();
        self.open.clear();
        self.fill(tape).map_err(|failure| *failure)?;
        Ok(Json { tape, at: 0 })
    }

    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    fn loc(&self, offset: usize, len: usize) -> Loc {
        Loc {
            file: self.file,
            span: Span::new(offset, len),
        }
    }

    fn skip_whitespace(&mut self) {
        let bytes = self.bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn syntax(&self, message: &str) -> Failure {
        Box::new(self.error("json::syntax", message, "here"))
    }

    /// Reads values until the outermost one is complete: after each value, the container it is
    /// in says what may follow.
    fn fill(&mut self, tape: &mut Tape<'t>) -> Result<(), Failure> {
        let mut want_value = true;
        loop {
            if want_value && !self.start_value(tape)? {
                // A container opened and its first element (or member value) comes next.
                continue;
            }
            let Some(object) = self.open.last().map(|open| open.object) else {
                return Ok(());
            };
            let (comma, close) = if object {
                ("expected `,` or `}` after a member", b'}')
            } else {
                ("expected `,` or `]` after an element", b']')
            };
            if self.eat(b',') {
                if object {
                    self.member_name(tape)?;
                }
                want_value = true;
            } else if self.eat(close) {
                self.close(tape);
                want_value = false;
            } else {
                return Err(self.syntax(comma));
            }
        }
    }

    /// Starts a value at the next non-blank byte. Returns whether the value is complete: false
    /// when a container opened that has members to read.
    fn start_value(&mut self, tape: &mut Tape<'t>) -> Result<bool, Failure> {
        match self.peek() {
            Some(b'{') => {
                self.open_container(tape, true)?;
                if self.eat(b'}') {
                    self.close(tape);
                    return Ok(true);
                }
                self.member_name(tape)?;
                Ok(false)
            }
            Some(b'[') => {
                self.open_container(tape, false)?;
                if self.eat(b']') {
                    self.close(tape);
                    return Ok(true);
                }
                Ok(false)
            }
            Some(b'"') => {
                let start = self.pos;
                let text = self.string()?;
                tape.push(start, self.pos - start, Item::Str(text));
                Ok(true)
            }
            Some(b'-' | b'0'..=b'9') => self.number(tape).map(|()| true),
            Some(b't') => self.literal(tape, "true", Item::Bool(true)).map(|()| true),
            Some(b'f') => self
                .literal(tape, "false", Item::Bool(false))
                .map(|()| true),
            Some(b'n') => self.literal(tape, "null", Item::Null).map(|()| true),
            Some(_) => Err(self.syntax("expected a JSON value")),
            None => Err(self.syntax("the text ends where a value was expected")),
        }
    }

    /// Opens the container whose bracket is at the current position.
    fn open_container(&mut self, tape: &mut Tape<'t>, object: bool) -> Result<(), Failure> {
        if self.open.len() >= self.max_depth {
            return Err(Box::new(self.error(
                "json::limit",
                &format!(
                    "nesting deeper than {}",
                    crate::value::count(self.max_depth, "level")
                ),
                "limit reached here",
            )));
        }
        self.open.push(Open {
            slot: tape.slots.len(),
            object,
            members: 0,
            name_bits: 0,
            names: None,
        });
        // The end is set when the container closes.
        let item = if object {
            Item::Object {
                end: usize::MAX,
                name_bits: 0,
            }
        } else {
            Item::Array { end: usize::MAX }
        };
        tape.push(self.pos, 1, item);
        self.pos += 1;
        Ok(())
    }

    /// Closes the innermost container (its closing bracket is read already).
    fn close(&mut self, tape: &mut Tape<'t>) {
        let Some(open) = self.open.pop() else {
            return;
        };
        let end = tape.slots.len();
        match tape.slots.get_mut(open.slot).map(|s| &mut s.item) {
            Some(Item::Array { end: at }) => *at = end,
            Some(Item::Object { end: at, name_bits }) => {
                *at = end;
                *name_bits = open.name_bits;
            }
            _ => {}
        }
    }

    /// Reads a member name and its colon, in the innermost container (an object).
    fn member_name(&mut self, tape: &mut Tape<'t>) -> Result<(), Failure> {
        if self.peek() != Some(b'"') {
            return Err(self.syntax("expected a member name in double quotes"));
        }
        let key_start = self.pos;
        let name = self.string()?;
        let key_len = self.pos - key_start;
        if self.is_duplicate(tape, &name) {
            self.pos = key_start;
            return Err(Box::new(self.error(
                "json::duplicate-key",
                &format!("duplicate key `{name}`"),
                "duplicate key",
            )));
        }
        if !self.eat(b':') {
            return Err(self.syntax("expected `:` after the member name"));
        }
        if let Some(open) = self.open.last_mut() {
            open.members += 1;
            open.name_bits |= name_bit(&name);
            if let Some(names) = &mut open.names {
                names.insert(name.clone());
            }
        }
        tape.push(key_start, key_len, Item::Str(name));
        Ok(())
    }

    /// Whether the innermost object has a member named `name` already.
    fn is_duplicate(&mut self, tape: &Tape<'t>, name: &str) -> bool {
        let Some(open) = self.open.last_mut() else {
            return false;
        };
        if open.name_bits & name_bit(name) == 0 {
            return false;
        }
        if open.members < LINEAR_KEY_CHECK {
            let object = Json {
                tape,
                at: open.slot,
            };
            return object.members().any(|(key, _)| key.as_str() == Some(name));
        }
        let slot = open.slot;
        let names = open.names.get_or_insert_with(|| {
            Json { tape, at: slot }
                .member_slots()
                .filter_map(|(key, _)| match &tape.slots[key].item {
                    Item::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect()
        });
        names.contains(name)
    }

    fn literal(&mut self, tape: &mut Tape<'t>, word: &str, item: Item<'t>) -> Result<(), Failure> {
        let start = self.pos;
        if self.text[start..].starts_with(word) {
            self.pos += word.len();
            tape.push(start, word.len(), item);
            Ok(())
        } else {
            Err(self.syntax("expected a JSON value (`true`, `false` and `null` are lower case)"))
        }
    }

    fn number(&mut self, tape: &mut Tape<'t>) -> Result<(), Failure> {
        let bytes = self.bytes();
        let start = self.pos;
        let mut end = start;
        let digits = |mut i: usize| {
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        if bytes.get(end) == Some(&b'-') {
            end += 1;
        }
        let int_start = end;
        end = digits(end);
        let int_digits = end - int_start;
        if int_digits == 0 || (int_digits > 1 && bytes[int_start] == b'0') {
            self.pos = int_start;
            return Err(self.syntax("invalid number (no leading zeros, at least one digit)"));
        }
        let mut integral = true;
        if bytes.get(end) == Some(&b'.') {
            integral = false;
            let after = digits(end + 1);
            if after == end + 1 {
                self.pos = end + 1;
                return Err(self.syntax("expected digits after the decimal point"));
            }
            end = after;
        }
        if let Some(b'e' | b'E') = bytes.get(end) {
            integral = false;
            let mut at = end + 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            let after = digits(at);
            if after == at {
                self.pos = at;
                return Err(self.syntax("expected digits in the exponent"));
            }
            end = after;
        }
        let text = &self.text[start..end];
        let item = match (integral, text.parse::<i64>()) {
            (true, Ok(i)) => Item::Int(i),
            _ => match text.parse::<f64>() {
                Ok(f) if f.is_finite() => Item::Float(f),
                // `1e400`: valid JSON, but beyond what a number can hold (about ±1.8e308). It
                // would become infinity, which no schema type or share accepts.
                Ok(_) => {
                    self.pos = start;
                    let shown: String = text.chars().take(40).collect();
                    let problem = Problem::new(
                        "json::invalid-number",
                        format!("{}: `{shown}` is out of range for a number", self.name),
                    )
                    .at(self.loc(start, end - start), "out of range")
                    .with_help(
                        "numbers must lie within about ±1.8e308; write the value as it is meant \
                         (a share is a percent from 0 to 100)",
                    );
                    return Err(Box::new(problem));
                }
                Err(_) => {
                    self.pos = start;
                    return Err(self.syntax("invalid number"));
                }
            },
        };
        self.pos = end;
        tape.push(start, end - start, item);
        Ok(())
    }

    /// Reads a string starting at the opening quote; the position ends after the closing one.
    /// A string without escapes is borrowed from the text.
    fn string(&mut self) -> Result<Cow<'t, str>, Failure> {
        let bytes = self.bytes();
        self.pos += 1;
        let start = self.pos;
        self.pos = plain_run_end(bytes, start);
        match bytes.get(self.pos) {
            None => return Err(self.syntax("the text ends inside a string")),
            Some(b'"') => {
                let text = &self.text[start..self.pos];
                self.pos += 1;
                return Ok(Cow::Borrowed(text));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.control_character()),
        }
        let mut out = String::from(&self.text[start..self.pos]);
        let mut run = self.pos;
        loop {
            let Some(&b) = bytes.get(self.pos) else {
                return Err(self.syntax("the text ends inside a string"));
            };
            match b {
                b'"' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                0..=0x1f => return Err(self.control_character()),
                _ => self.pos += 1,
            }
        }
    }

    fn control_character(&self) -> Failure {
        self.syntax("control character in a string (write it as \\n, \\t or \\u00XX)")
    }

    /// Reads one escape sequence starting at its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), Failure> {
        let bytes = self.bytes();
        let simple = match bytes.get(self.pos + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let first = self.hex4(self.pos + 2)?;
                self.pos += 6;
                let c = if (0xd800..0xdc00).contains(&first) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if bytes.get(self.pos) != Some(&b'\\') || bytes.get(self.pos + 1) != Some(&b'u')
                    {
                        return Err(self.syntax("unpaired surrogate in a \\u escape"));
                    }
                    let second = self.hex4(self.pos + 2)?;
                    if !(0xdc00..0xe000).contains(&second) {
                        return Err(self.syntax("unpaired surrogate in a \\u escape"));
                    }
                    self.pos += 6;
                    char::from_u32(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))
                } else {
                    char::from_u32(first)
                };
                return match c {
                    Some(c) => {
                        out.push(c);
                        Ok(())
                    }
                    None => Err(self.syntax("unpaired surrogate in a \\u escape")),
                };
            }
            _ => {
                return Err(self.syntax("invalid escape sequence"));
            }
        };
        out.push(simple);
        self.pos += 2;
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> Result<u32, Failure> {
        let digits = self
            .text
            .get(at..at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(v) => Ok(v),
            None => {
                self.pos = at.min(self.text.len());
                Err(self.syntax("expected four hex digits after \\u"))
            }
        }
    }
}

/// One of 64 bits for a member name, from its length and its first and last bytes: different
/// names of one object mostly get different bits, so that a name whose bit is not among an
/// object's is known not to be a member without comparing names.
fn name_bit(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let (first, last) = match bytes {
        [] => (0, 0),
        [first, .., last] => (*first, *last),
        [only] => (*only, *only),
    };
    let mixed = (bytes.len() as u64)
        .wrapping_mul(0x9e37_79b9)
        .wrapping_add(u64::from(first).wrapping_mul(0x85eb_ca6b))
        .wrapping_add(u64::from(last).wrapping_mul(0xc2b2_ae35));
    1 << ((mixed ^ (mixed >> 17)) % 64)
}

/// The offset of the first byte at or after `from` that ends the plain run of a string: a
/// quote, a backslash or a control character (or the end of `bytes`). Eight bytes are tested at
/// a time: strings are most of a BODS file.
fn plain_run_end(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of `word` that is zero, or below 0x20, sets its high bit in these (the classic
    // "has zero byte" and "has byte less than" tests; no byte is missed, and the first byte
    // flagged is always a true one).
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let special = has_zero(word ^ (ONES * u64::from(b'"')))
            | has_zero(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGHS);
        if special != 0 {
            return at + (special.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return at;
        }
        at += 1;
    }
    at
}

impl<'t> Tape<'t> {
    /// The index just past the value at `at` and its descendants.
    fn after(&self, at: usize) -> usize {
        match self.slots[at].item {
            Item::Array { end } | Item::Object { end, .. } => end.min(self.slots.len()),
            _ => at + 1,
        }
    }

    fn push(&mut self, offset: usize, len: usize, item: Item<'t>) {
        self.slots.push(Slot {
            span: Span::new(offset, len),
            item,
        });
    }
}

impl<'a> Json<'a> {
    fn slot(&self) -> &'a Slot<'a> {
        &self.tape.slots[self.at]
    }

    /// Where the value is: a scalar whole, a container at its opening bracket.
    pub fn loc(&self) -> Loc {
        Loc {
            file: self.tape.file,
            span: self.slot().span,
        }
    }

    pub fn kind(&self) -> Kind<'a> {
        match &self.slot().item {
            Item::Null => Kind::Null,
            Item::Bool(b) => Kind::Bool(*b),
            Item::Int(i) => Kind::Int(*i),
            Item::Float(f) => Kind::Float(*f),
            Item::Str(s) => Kind::Str(s),
            Item::Array { .. } => Kind::Array,
            Item::Object { .. } => Kind::Object,
        }
    }

    /// The name of the value's kind in diagnostics, as for a YAML [`Node`].
    pub fn kind_name(&self) -> &'static str {
        match self.kind() {
            Kind::Null => "null",
            Kind::Bool(_) => "boolean",
            Kind::Int(_) | Kind::Float(_) => "number",
            Kind::Str(_) => "string",
            Kind::Array => "list",
            Kind::Object => "mapping",
        }
    }

    pub fn as_str(&self) -> Option<&'a str> {
        match &self.slot().item {
            Item::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.slot().item, Item::Null)
    }

    pub fn is_object(&self) -> bool {
        matches!(self.slot().item, Item::Object { .. })
    }

    /// The value of the member named `key` of an object.
    pub fn get(&self, key: &str) -> Option<Json<'a>> {
        let Item::Object { name_bits, .. } = self.slot().item else {
            return None;
        };
        if name_bits & name_bit(key) == 0 {
            return None;
        }
        let tape = self.tape;
        self.member_slots()
            .find(|&(name, _)| matches!(&tape.slots[name].item, Item::Str(s) if s == key))
            .map(|(_, value)| Json { tape, at: value })
    }

    /// The members of an object, each name (located) with its value; nothing for another value.
    pub fn members(&self) -> impl Iterator<Item = (Json<'a>, Json<'a>)> + use<'a> {
        let tape = self.tape;
        self.member_slots()
            .map(move |(key, value)| (Json { tape, at: key }, Json { tape, at: value }))
    }

    /// The elements of an array, or `None` for another value.
    pub fn items(&self) -> Option<impl Iterator<Item = Json<'a>> + use<'a>> {
        let Item::Array { end } = self.slot().item else {
            return None;
        };
        let tape = self.tape;
        let end = end.min(tape.slots.len());
        let mut at = self.at + 1;
        Some(std::iter::from_fn(move || {
            (at < end).then(|| {
                let item = Json { tape, at };
                at = tape.after(at);
                item
            })
        }))
    }

    /// The tape positions of an object's member names and values.
    fn member_slots(&self) -> impl Iterator<Item = (usize, usize)> + use<'a> {
        let tape = self.tape;
        // An object still being read (its duplicate keys are checked as it is read) ends, for
        // now, where the tape ends.
        let end = match self.slot().item {
            Item::Object { end, .. } => end.min(tape.slots.len()),
            _ => self.at + 1,
        };
        let mut at = self.at + 1;
        std::iter::from_fn(move || {
            if at + 1 >= end {
                return None;
            }
            let (key, value) = (at, at + 1);
            at = tape.after(value);
            Some((key, value))
        })
    }

    /// The value as a tree of its own.
    pub fn to_node(&self) -> Node {
        let value = match self.kind() {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(b),
            Kind::Int(i) => Value::Int(i),
            Kind::Float(f) => Value::Float(f),
            Kind::Str(s) => Value::Str(s.to_string()),
            Kind::Array => Value::Seq(
                self.items()
                    .into_iter()
                    .flatten()
                    .map(|i| i.to_node())
                    .collect(),
            ),
            Kind::Object => Value::Map(
                self.members()
                    .map(|(name, value)| {
                        let key = Key {
                            name: name.as_str().unwrap_or_default().to_string(),
                            loc: name.loc(),
                        };
                        (key, value.to_node())
                    })
                    .collect(),
            ),
        };
        Node {
            loc: self.loc(),
            alias: None,
            value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Node, Problem> {
        let source = SourceFile::new("t.json", None, text);
        let mut reader = Reader::new(FileId(0), &source, 64);
        let node = reader.value()?;
        if reader.peek().is_some() {
            return Err(reader.error("json::syntax", "trailing text", "here"));
        }
        Ok(node)
    }

    fn error_at(text: &str) -> (String, usize) {
        let problem = read(text).unwrap_err();
        (problem.code.to_string(), problem.labels[0].0.span.offset)
    }

    #[test]
    fn reads_values_with_spans() {
        let text = "{\"a\": [1, 2.5, -3e2, true, null, \"x\\u00e9\\n\"], \"b\": {}}";
        let node = read(text).unwrap();
        assert_eq!(
            node.to_json(),
            serde_json::json!({"a": [1, 2.5, -300.0, true, null, "xé\n"], "b": {}})
        );
        let x = node.pointer("/a/5").unwrap();
        assert_eq!(x.loc.span.offset, text.find("\"x").unwrap());
        assert_eq!(
            node.key("b").unwrap().loc.span.offset,
            text.find("\"b").unwrap()
        );
        assert_eq!(node.loc.span, Span::new(0, 1));
    }

    #[test]
    fn surrogate_pairs_and_big_numbers() {
        let node = read("[\"\\ud83d\\ude00\", 12345678901234567890]").unwrap();
        assert_eq!(node.pointer("/0").unwrap().as_str(), Some("😀"));
        assert!(matches!(node.pointer("/1").unwrap().value, Value::Float(_)));
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(error_at("{\"a\": 1,}"), ("json::syntax".into(), 8));
        assert_eq!(
            error_at("{\"a\": 1, \"a\": 2}"),
            ("json::duplicate-key".into(), 9)
        );
        assert_eq!(error_at("[01]"), ("json::syntax".into(), 1));
        assert_eq!(error_at("[\"a\\x\"]"), ("json::syntax".into(), 3));
        assert_eq!(error_at("[1, 1e400]"), ("json::invalid-number".into(), 4));
        assert_eq!(error_at("[-1E+999]"), ("json::invalid-number".into(), 1));
        assert_eq!(error_at("[\"\\ud800\"]"), ("json::syntax".into(), 8));
        assert_eq!(error_at("[tru]"), ("json::syntax".into(), 1));
        assert_eq!(error_at("[1 2]"), ("json::syntax".into(), 3));
        assert_eq!(error_at("\"abc"), ("json::syntax".into(), 4));
        assert_eq!(error_at(""), ("json::syntax".into(), 0));
    }

    #[test]
    fn deep_nesting_is_a_limit_not_a_crash() {
        let text = "[".repeat(100_000);
        assert_eq!(read(&text).unwrap_err().code, "json::limit");
    }

    #[test]
    fn values_on_a_tape_borrow_their_strings_and_keep_their_spans() {
        let text = r#"{"a": {"b": [1, "x", null]}, "c": "d\u00e9", "e": true}"#;
        let source = SourceFile::new("t.json", None, text);
        let mut tape = Tape::default();
        let value = Reader::new(FileId(0), &source, 64).read(&mut tape).unwrap();
        assert_eq!(value.kind(), Kind::Object);
        let items: Vec<Kind> = value
            .get("a")
            .and_then(|a| a.get("b"))
            .and_then(|b| b.items())
            .map(|items| items.map(|i| i.kind()).collect())
            .unwrap_or_default();
        assert_eq!(items, [Kind::Int(1), Kind::Str("x"), Kind::Null]);
        let c = value.get("c").unwrap();
        assert_eq!(c.as_str(), Some("dé"));
        assert_eq!(c.loc().span, Span::new(text.find("\"d").unwrap(), 9));
        let names: Vec<&str> = value.members().filter_map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["a", "c", "e"]);
        assert!(
            value.get("b").is_none(),
            "members of members are not members"
        );
        assert!(value.items().is_none() && value.get("e").unwrap().members().next().is_none());
        let x = text.find("\"x\"").unwrap();
        assert!(matches!(&tape.slots[6].item, Item::Str(Cow::Borrowed(s)) if *s == "x"));
        assert_eq!(tape.slots[6].span, Span::new(x, 3));
    }

    #[test]
    fn a_reader_goes_on_after_one_value_and_reuses_its_tape() {
        let text = "{\"a\": 1}\n[2, {\"b\": 3}]\n\"s\"";
        let source = SourceFile::new("t.jsonl", None, text);
        let mut reader = Reader::new(FileId(0), &source, 64);
        let mut tape = Tape::default();
        let mut seen = Vec::new();
        while reader.peek().is_some() {
            let value = reader.read(&mut tape).unwrap();
            seen.push((value.kind_name(), value.loc().span.offset));
        }
        assert_eq!(seen, [("mapping", 0), ("list", 9), ("string", 23)]);
    }

    #[test]
    fn plain_runs_end_at_the_first_quote_backslash_or_control_character() {
        let naive = |bytes: &[u8], from: usize| {
            (from..bytes.len())
                .find(|&i| matches!(bytes[i], b'"' | b'\\' | 0..=0x1f))
                .unwrap_or(bytes.len())
        };
        let alphabet = "ab é\"\\\u{1}\u{1f}\u{7f}~ 😀".as_bytes();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..40 {
            for _ in 0..50 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        alphabet[(seed % alphabet.len() as u64) as usize]
                    })
                    .collect();
                for from in 0..=len {
                    assert_eq!(
                        plain_run_end(&bytes, from),
                        naive(&bytes, from),
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn look_ups_of_absent_members_and_duplicates_with_the_same_name_bit() {
        // Names with the same length, first and last byte share a bit.
        let text = r#"{"ab": 1, "axb": 2, "ayb": 3, "b": 4}"#;
        let source = SourceFile::new("t.json", None, text);
        let mut tape = Tape::default();
        let value = Reader::new(FileId(0), &source, 64).read(&mut tape).unwrap();
        assert_eq!(value.get("ayb").map(|v| v.kind()), Some(Kind::Int(3)));
        assert!(value.get("azb").is_none() && value.get("c").is_none());
        assert_eq!(error_at(r#"{"axb": 1, "ayb": 2, "axb": 3}"#).1, 21);
    }

    #[test]
    fn many_keys_still_catch_duplicates() {
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{i}\": {i}, "));
        }
        text.push_str("\"k3\": 0}");
        assert_eq!(read(&text).unwrap_err().code, "json::duplicate-key");
    }
}
