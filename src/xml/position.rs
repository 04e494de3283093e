//! Where things are in an XML file: an index built with quick-xml's `Reader` over the raw text
//! that records, for every element occurrence in document order, its name, its 1-based line, its
//! byte span, its attributes, its direct character data and its parent and children. serde's
//! deserializer knows nothing of lines, so every error smfcheck reports about an input file — and
//! every counterexample that cites a procedure or a step — takes its `file:line` from here.
//!
//! The index also carries the one check that needs the raw document rather than the DTOs: a
//! content-model walk ([`Positions::check`]) driven by a table of [`Rule`]s (the UCS schema in
//! `campaign.rs`, immcfg's tag set in `imm.rs`). It reports, in document order, the first element
//! or attribute the table does not allow — unknown names, wrong order, character data in an empty
//! element, a missing required child, a malformed typed value, a duplicate key — with the wording
//! of `xmllint --schema` where there is one, because serde skips whitespace, cannot see order
//! between different fields and has no line numbers.
//!
//! Reading refuses, with the line (and byte offset where it helps) of the offending byte, what
//! libxml2 refuses and quick-xml lets through (see [`Positions::parse`]); it decodes UTF-16 and
//! skips a byte-order mark ([`read_file`]), counts CR LF and a lone CR as one line end, and
//! shortens over-long values in messages ([`shorten`]). Both passes are linear in the input and
//! iterative over nesting depth, so no input overflows the stack.

use crate::error::Error;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Index of an element in [`Positions::elements`] (document order of start tags).
pub type ElementId = usize;

/// One element occurrence.
#[derive(Clone, Debug)]
pub struct Element {
    /// Local name (namespace prefix dropped, as serde sees it).
    pub name: String,
    /// Name as written, prefix included (`imm:IMM-contents`).
    pub qname: String,
    /// 1-based line of the `<` of the start tag.
    pub line: usize,
    /// Byte offset of the `<` of the start tag.
    pub start: usize,
    /// Byte offset just after the end tag (or after `/>`).
    pub end: usize,
    pub parent: Option<ElementId>,
    /// Position among the parent's children (0 for the root).
    pub index: usize,
    pub children: Vec<ElementId>,
    /// Attributes as written (qualified names), values normalised as an XML parser reports them.
    pub attrs: Vec<(String, String)>,
    /// Direct character data (text, CDATA, resolved references) concatenated, untrimmed.
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parents with more children than this get a by-name index, so that asking for the k-th child
/// of a name stays O(1) where a scan would make reading n siblings O(n²).
const INDEXED_CHILDREN: usize = 16;

/// The element index of one file.
#[derive(Clone, Debug)]
pub struct Positions {
    file: String,
    line_starts: Vec<usize>,
    elements: Vec<Element>,
    /// `(parent, name) → children of that name`, for parents with many children only.
    named: HashMap<(ElementId, String), Vec<ElementId>>,
}

/// Values longer than this are shortened in messages (a 5 MB attribute value must not become
/// a 5 MB error line).
pub const MAX_SHOWN: usize = 200;

/// `s` as a message shows it: itself if it is at most [`MAX_SHOWN`] bytes, else its first 80
/// characters, `…` and its length.
pub fn shorten(s: &str) -> Cow<'_, str> {
    if s.len() <= MAX_SHOWN {
        return Cow::Borrowed(s);
    }
    let head: String = s.chars().take(80).collect();
    Cow::Owned(format!("{head}… ({} bytes)", s.len()))
}

/// Shortens every over-long quoted (`` `…` `` or `'…'`) part of a message, so that values
/// quoted by any message — ours, quick-xml's or serde's — stay readable.
pub fn shorten_quoted(message: String) -> String {
    if message.len() <= MAX_SHOWN {
        return message;
    }
    let mut out = String::with_capacity(MAX_SHOWN * 2);
    let mut rest = message.as_str();
    while let Some(open) = rest.find(['`', '\'']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = rest.find(quote) else { break };
        out.push_str(&shorten(&rest[..close]));
        out.push(quote);
        rest = &rest[close + 1..];
    }
    // Whatever is left unquoted (or an unmatched quote's tail) is shortened as a whole.
    out.push_str(&shorten(rest));
    out
}

/// The byte offsets where lines start. XML 1.0 §2.11 makes CR LF and a lone CR line ends like
/// LF, so a file saved with old-Mac or Windows line ends is numbered as an editor shows it.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// Whether `c` is outside XML 1.0's `Char` production (§2.2): C0 controls other than tab, LF
/// and CR, and U+FFFE/U+FFFF. (A `str` holds no surrogates.) libxml2 refuses all of them, raw
/// or as character references, so immcfg never loads such a file.
pub fn forbidden_char(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// The first character `forbidden_char` refuses, with its byte offset.
fn first_forbidden(text: &str) -> Option<(usize, char)> {
    // Fast path on bytes: every forbidden character starts with a byte < 0x20 or is EF BF BE/BF.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            return Some((i, b as char));
        }
        if b == 0xEF
            && bytes.get(i + 1) == Some(&0xBF)
            && matches!(bytes.get(i + 2), Some(0xBE | 0xBF))
        {
            return text[i..].chars().next().map(|c| (i, c));
        }
        i += 1;
    }
    None
}

/// XML 1.0 `NameStartChar` (§2.3).
fn name_start_char(c: char) -> bool {
    matches!(c, ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 `NameChar` (§2.3).
fn name_char(c: char) -> bool {
    name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Whether `s` is an XML `Name`.
fn is_xml_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(name_start_char) && chars.all(name_char)
}

/// Reads a whole input file as text. UTF-8 (with or without a byte-order mark) is read as it
/// is; UTF-16 — legal XML, recognised by its byte-order mark or by `<?` encoded in it — is
/// decoded to UTF-8. An unreadable file is an [`Error::Io`]; bytes that are not valid in the
/// encoding are an [`Error::Xml`] naming the line and byte offset.
pub fn read_file(path: &Path) -> Result<String, Error> {
    // A regular file within the input cap (`crate::input`), then decoded.
    let bytes = crate::input::read_bytes(path, &crate::input::Origin::CommandLine)?;
    decode(&path.display().to_string(), bytes)
}

/// Decodes the bytes of input file `file` (see [`read_file`]).
pub fn decode(file: &str, bytes: Vec<u8>) -> Result<String, Error> {
    let at = |bytes: &[u8], off: usize, message: String| Error::Xml {
        file: file.to_string(),
        line: line_starts(&bytes[..off]).len(),
        element: None,
        message,
    };
    let utf16 = match bytes.as_slice() {
        [0xFF, 0xFE, ..] => Some((true, 2)),
        [0xFE, 0xFF, ..] => Some((false, 2)),
        [b'<', 0, b'?', 0, ..] => Some((true, 0)),
        [0, b'<', 0, b'?', ..] => Some((false, 0)),
        _ => None,
    };
    if let [0, 0, 0xFE, 0xFF, ..]
    | [0xFF, 0xFE, 0, 0, ..]
    | [0, 0, 0, b'<', ..]
    | [b'<', 0, 0, 0, ..] = bytes.as_slice()
    {
        return Err(at(
            &bytes,
            0,
            "not well-formed XML: the file is UTF-32, which smfcheck does not read (convert it to UTF-8)".into(),
        ));
    }
    if let Some((little, skip)) = utf16 {
        let units = bytes[skip..].chunks(2).map(|c| match (c, little) {
            ([a, b], true) => Ok(u16::from_le_bytes([*a, *b])),
            ([a, b], false) => Ok(u16::from_be_bytes([*a, *b])),
            _ => Err(()),
        });
        let mut out = String::with_capacity(bytes.len() / 2);
        let mut off = skip;
        let mut pending: Option<u16> = None;
        for u in units {
            let Ok(u) = u else {
                return Err(Error::Xml {
                    file: file.to_string(),
                    line: line_starts(out.as_bytes()).len(),
                    element: None,
                    message: format!(
                        "not well-formed XML: invalid UTF-16 at byte {off}: the file ends in the middle of a code unit"
                    ),
                });
            };
            let c = match (pending.take(), u) {
                (None, 0xD800..=0xDBFF) => {
                    pending = Some(u);
                    off += 2;
                    continue;
                }
                (Some(hi), 0xDC00..=0xDFFF) => char::from_u32(
                    0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(u) - 0xDC00),
                ),
                (None, _) => char::from_u32(u32::from(u)),
                (Some(_), _) => None,
            };
            let Some(c) = c else {
                return Err(Error::Xml {
                    file: file.to_string(),
                    line: line_starts(out.as_bytes()).len(),
                    element: None,
                    message: format!(
                        "not well-formed XML: invalid UTF-16 at byte {off}: unpaired surrogate 0x{u:04X}"
                    ),
                });
            };
            out.push(c);
            off += 2;
        }
        if pending.is_some() {
            return Err(Error::Xml {
                file: file.to_string(),
                line: line_starts(out.as_bytes()).len(),
                element: None,
                message: format!(
                    "not well-formed XML: invalid UTF-16 at byte {off}: the file ends after a high surrogate"
                ),
            });
        }
        return Ok(out);
    }
    String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let declared = declared_encoding(bytes)
            .filter(|enc| !enc.eq_ignore_ascii_case("utf-8"))
            .map(|enc| {
                format!(
                    " (the XML declaration names `{}`; smfcheck reads UTF-8 and UTF-16 only)",
                    shorten(&enc)
                )
            })
            .unwrap_or_default();
        at(
            bytes,
            off,
            format!(
                "not well-formed XML: invalid UTF-8 at byte {off} (0x{:02X}){declared}",
                bytes.get(off).copied().unwrap_or(0)
            ),
        )
    })
}

/// The `encoding="…"` of an XML declaration at the start of `bytes`, if there is one.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.strip_prefix(b"<?xml")?;
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = String::from_utf8_lossy(&head[..end]);
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| matches!(q, '"' | '\''))?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

/// `text` without a leading UTF-8 byte-order mark. Both the index and serde must read the same
/// text, so that their byte offsets agree; the BOM sits on line 1 and shifts no line.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

impl Positions {
    /// Builds the index. Well-formedness errors — quick-xml's, and those XML 1.0 forbids but
    /// quick-xml's reader lets through (control characters, a misplaced XML declaration or
    /// DOCTYPE, anything but comments and PIs outside the root element, malformed names, `<`
    /// in an attribute value, `]]>` in text) — become [`Error::Xml`] with the line of the
    /// offending byte, as libxml2 (and so immcfg and xmllint) refuses them.
    pub fn parse(file: &str, text: &str) -> Result<Self, Error> {
        let text = strip_bom(text);
        let mut pos = Positions {
            file: file.to_string(),
            line_starts: line_starts(text.as_bytes()),
            elements: Vec::new(),
            named: HashMap::new(),
        };
        // Checked lazily against event positions, so that errors come in document order.
        let forbidden = first_forbidden(text);
        let forbidden_error = |pos: &Positions, (at, c): (usize, char)| {
            pos.error_at_byte(
                at,
                format!(
                    "not well-formed XML: character U+{:04X} at byte {at} is not allowed in XML 1.0 (§2.2 allows no control character but tab, LF and CR)",
                    c as u32
                ),
            )
        };
        let mut reader = Reader::from_str(text);
        let mut stack: Vec<ElementId> = Vec::new();
        let mut root_closed = false;
        let mut doctype_seen = false;
        loop {
            // Events are contiguous, so the reader's position before an event is where it starts.
            let before = reader.buffer_position() as usize;
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = reader.error_position() as usize;
                    if let Some(f) = forbidden.filter(|&(b, _)| b <= at) {
                        return Err(forbidden_error(&pos, f));
                    }
                    return Err(pos.error_at_byte(at, format!("not well-formed XML: {e}")));
                }
            };
            let after = reader.buffer_position() as usize;
            if let Some(f) = forbidden.filter(|&(b, _)| b < after) {
                return Err(forbidden_error(&pos, f));
            }
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    if root_closed {
                        return Err(pos.error_at_byte(
                            before,
                            "extra content at the end of the document (a second root element)"
                                .to_string(),
                        ));
                    }
                    let qname = AsRef::<str>::as_ref(&e.name()).to_string();
                    let name = AsRef::<str>::as_ref(&e.local_name()).to_string();
                    if !is_xml_name(&qname) {
                        return Err(pos.error_at_byte(
                            before,
                            format!("not well-formed XML: `{qname}` is not a valid element name"),
                        ));
                    }
                    let mut attrs: Vec<(String, String)> = Vec::new();
                    // quick-xml's own duplicate check compares every attribute with every
                    // earlier one (quadratic); ours uses a set when there are many.
                    let mut keys: HashSet<String> = HashSet::new();
                    for attr in e.attributes().with_checks(false) {
                        let attr = attr.map_err(|err| {
                            pos.error_at_byte(before, format!("element `{name}`: {err}"))
                        })?;
                        let key = AsRef::<str>::as_ref(&attr.key).to_string();
                        if !is_xml_name(&key) {
                            return Err(pos.error_at_byte(
                                before,
                                format!(
                                    "not well-formed XML: element `{name}`: `{key}` is not a valid attribute name"
                                ),
                            ));
                        }
                        let duplicate = if attrs.len() < 8 {
                            attrs.iter().any(|(k, _)| *k == key)
                        } else {
                            if keys.is_empty() {
                                keys.extend(attrs.iter().map(|(k, _)| k.clone()));
                            }
                            !keys.insert(key.clone())
                        };
                        if duplicate {
                            return Err(pos.error_at_byte(
                                before,
                                format!(
                                    "not well-formed XML: element `{name}`: attribute `{key}` redefined"
                                ),
                            ));
                        }
                        if attr.value.contains('<') {
                            return Err(pos.error_at_byte(
                                before,
                                format!(
                                    "not well-formed XML: element `{name}`: unescaped `<` in the value of attribute `{key}`"
                                ),
                            ));
                        }
                        let value = attr
                            .normalized_value(XmlVersion::Implicit1_0)
                            .map_err(|err| {
                                pos.error_at_byte(
                                    before,
                                    format!("element `{name}`: attribute `{key}`: {err}"),
                                )
                            })?
                            .into_owned();
                        // Character references are resolved by now: `&#1;` is as forbidden as
                        // a raw U+0001.
                        if let Some(c) = value.chars().find(|&c| forbidden_char(c)) {
                            return Err(pos.error_at_byte(
                                before,
                                format!(
                                    "not well-formed XML: element `{name}`: attribute `{key}`: character reference to U+{:04X}, which XML 1.0 does not allow",
                                    c as u32
                                ),
                            ));
                        }
                        attrs.push((key, value));
                    }
                    let id = pos.elements.len();
                    let parent = stack.last().copied();
                    let index = parent.map_or(0, |p| pos.elements[p].children.len());
                    pos.elements.push(Element {
                        name,
                        qname,
                        line: pos.line_at(before),
                        start: before,
                        end: after,
                        parent,
                        index,
                        children: Vec::new(),
                        attrs,
                        text: String::new(),
                    });
                    if let Some(p) = parent {
                        pos.elements[p].children.push(id);
                    }
                    if matches!(event, Event::Start(_)) {
                        stack.push(id);
                    } else if stack.is_empty() {
                        root_closed = true;
                    }
                }
                Event::End(_) => {
                    // The reader checks that end names match, so the top of the stack is it.
                    if let Some(id) = stack.pop() {
                        pos.elements[id].end = after;
                    }
                    if stack.is_empty() {
                        root_closed = true;
                    }
                }
                Event::Text(t) => {
                    // XML 1.0 §2.4: `]]>` must not occur in character data.
                    if let Some(off) = t.find("]]>") {
                        return Err(pos.error_at_byte(
                            before + off,
                            "not well-formed XML: the sequence `]]>` is not allowed in character data"
                                .to_string(),
                        ));
                    }
                    pos.push_text(&stack, before, &t.xml10_content())?
                }
                // Only whitespace may stand outside the root element (§2.1 `Misc`), and a CDATA
                // section or a reference is not whitespace even when it holds some.
                Event::CData(_) | Event::GeneralRef(_) if stack.is_empty() => {
                    let where_ = if pos.elements.is_empty() {
                        "before"
                    } else {
                        "after"
                    };
                    return Err(pos.error_at_byte(
                        before,
                        format!(
                            "not well-formed XML: {} {where_} the root element",
                            if matches!(event, Event::CData(_)) {
                                "a CDATA section"
                            } else {
                                "a reference"
                            }
                        ),
                    ));
                }
                Event::CData(c) => pos.push_text(&stack, before, &c.xml10_content())?,
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(ch)) if forbidden_char(ch) => {
                            return Err(pos.error_at_byte(
                                before,
                                format!(
                                    "not well-formed XML: character reference to U+{:04X}, which XML 1.0 does not allow",
                                    ch as u32
                                ),
                            ));
                        }
                        Ok(Some(ch)) => ch.to_string(),
                        Ok(None) => match resolve_predefined_entity(&r) {
                            Some(s) => s.to_string(),
                            None => {
                                return Err(pos.error_at_byte(
                                    before,
                                    format!("undeclared entity `&{};`", &*r),
                                ));
                            }
                        },
                        Err(e) => return Err(pos.error_at_byte(before, e.to_string())),
                    };
                    pos.push_text(&stack, before, &resolved)?;
                }
                Event::Eof => {
                    if let Some(&open) = stack.last() {
                        let el = &pos.elements[open];
                        return Err(pos.error_at_byte(
                            text.len(),
                            format!(
                                "premature end of data: element `{}` opened at line {} is not closed",
                                el.name, el.line
                            ),
                        ));
                    }
                    if pos.elements.is_empty() {
                        return Err(pos.error_at_byte(
                            text.len(),
                            "no root element (the document is empty)".to_string(),
                        ));
                    }
                    pos.index_children();
                    return Ok(pos);
                }
                // XML 1.0 §2.5: "the string '--' (double-hyphen) MUST NOT occur within
                // comments" (libxml2, and so immcfg and xmllint, refuse it); quick-xml does not
                // check it.
                Event::Comment(ref c) if double_hyphen(c.as_bytes()).is_some() => {
                    let off = double_hyphen(c.as_bytes()).unwrap_or(0);
                    return Err(pos.error_at_byte(
                        before + 4 + off,
                        "not well-formed XML: `--` inside a comment".to_string(),
                    ));
                }
                // §2.8: the XML declaration, if there is one, is the very first thing (libxml2:
                // "XML declaration allowed only at the start of the document"); a PI whose
                // target is `xml` in any case is reserved, and so is one with no target.
                Event::Decl(_) if before != 0 => {
                    return Err(pos.error_at_byte(
                        before,
                        "not well-formed XML: the XML declaration is allowed only at the start of the document"
                            .to_string(),
                    ));
                }
                Event::PI(ref p)
                    if !is_xml_name(p.target()) || p.target().eq_ignore_ascii_case("xml") =>
                {
                    return Err(pos.error_at_byte(
                        before,
                        format!(
                            "not well-formed XML: `{}` is not a valid processing-instruction target{}",
                            p.target(),
                            if p.target().eq_ignore_ascii_case("xml") {
                                " (the XML declaration is allowed only at the start of the document)"
                            } else {
                                ""
                            }
                        ),
                    ));
                }
                // §2.8: one DOCTYPE, in the prolog (before the root element).
                Event::DocType(_) if doctype_seen || !pos.elements.is_empty() => {
                    return Err(pos.error_at_byte(
                        before,
                        if doctype_seen {
                            "not well-formed XML: a second DOCTYPE"
                        } else {
                            "not well-formed XML: a DOCTYPE is allowed only before the root element"
                        }
                        .to_string(),
                    ));
                }
                Event::DocType(_) => doctype_seen = true,
                // The XML declaration, comments and processing instructions carry nothing
                // smfcheck reads.
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
    }

    /// Builds [`Positions::named`] for the parents with many children.
    fn index_children(&mut self) {
        for (id, el) in self.elements.iter().enumerate() {
            if el.children.len() > INDEXED_CHILDREN {
                for &c in &el.children {
                    self.named
                        .entry((id, self.elements[c].name.clone()))
                        .or_default()
                        .push(c);
                }
            }
        }
    }

    fn push_text(&mut self, stack: &[ElementId], at: usize, s: &str) -> Result<(), Error> {
        match stack.last() {
            Some(&id) => {
                self.elements[id].text.push_str(s);
                Ok(())
            }
            None if s.trim().is_empty() => Ok(()),
            None => {
                let shown: String = s
                    .trim()
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(60)
                    .collect();
                let where_ = if self.elements.is_empty() {
                    "before"
                } else {
                    "after"
                };
                // libxml2 says "Start tag expected, '<' not found" for the first case.
                let at = at + s.len() - s.trim_start().len();
                Err(self.error_at_byte(
                    at,
                    format!("character data `{shown}` {where_} the root element"),
                ))
            }
        }
    }

    /// The file name used in messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// 1-based line of a byte offset.
    pub fn line_at(&self, byte: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= byte)
    }

    pub fn elements(&self) -> &[Element] {
        &self.elements
    }

    /// The root element (the index is never empty once built).
    pub fn root(&self) -> ElementId {
        0
    }

    pub fn get(&self, id: ElementId) -> &Element {
        &self.elements[id]
    }

    pub fn line(&self, id: ElementId) -> usize {
        self.elements[id].line
    }

    /// The `nth` (0-based) occurrence of `name` in document order.
    pub fn nth(&self, name: &str, nth: usize) -> Option<ElementId> {
        self.elements
            .iter()
            .enumerate()
            .filter(|(_, e)| e.name == name)
            .nth(nth)
            .map(|(i, _)| i)
    }

    /// Line of the `nth` (0-based) occurrence of `name` in document order.
    pub fn line_of(&self, name: &str, nth: usize) -> Option<usize> {
        self.nth(name, nth).map(|id| self.line(id))
    }

    /// The first `name` element whose attribute `attr` equals `value`, e.g. `upgradeProcedure`
    /// with `safSmfProcedure="safSmfProc=X"`.
    pub fn find_by_attr(&self, name: &str, attr: &str, value: &str) -> Option<ElementId> {
        self.elements
            .iter()
            .position(|e| e.name == name && e.attr(attr) == Some(value))
    }

    /// The first `name` element with a child `child` whose text is `text`, e.g. the `object`
    /// whose `<dn>` is a given DN.
    pub fn find_by_child_text(&self, name: &str, child: &str, text: &str) -> Option<ElementId> {
        self.elements.iter().position(|e| {
            e.name == name
                && e.children.iter().any(|&c| {
                    let c = &self.elements[c];
                    c.name == child && c.text == text
                })
        })
    }

    /// The `nth` (0-based) child of `parent` named `name`.
    pub fn child(&self, parent: ElementId, name: &str, nth: usize) -> Option<ElementId> {
        let children = &self.elements.get(parent)?.children;
        if children.len() > INDEXED_CHILDREN {
            return self
                .named
                .get(&(parent, name.to_string()))
                .and_then(|v| v.get(nth))
                .copied();
        }
        children
            .iter()
            .copied()
            .filter(|&c| self.elements[c].name == name)
            .nth(nth)
    }

    /// Every descendant of `ancestor` named `name`, in document order.
    pub fn descendants(&self, ancestor: ElementId, name: &str) -> Vec<ElementId> {
        let end = self.elements[ancestor].end;
        self.elements
            .iter()
            .enumerate()
            .skip(ancestor + 1)
            .take_while(|(_, e)| e.start < end)
            .filter(|(_, e)| e.name == name)
            .map(|(i, _)| i)
            .collect()
    }

    /// An error about element `id`. Over-long quoted values in the message are shortened.
    pub fn error(&self, id: ElementId, message: impl Into<String>) -> Error {
        Error::Xml {
            file: self.file.clone(),
            line: self.elements[id].line,
            element: Some(shorten(&self.elements[id].name).into_owned()),
            message: shorten_quoted(message.into()),
        }
    }

    fn error_at_byte(&self, byte: usize, message: String) -> Error {
        Error::Xml {
            file: self.file.clone(),
            line: self.line_at(byte),
            element: None,
            message: shorten_quoted(message),
        }
    }

    /// Turns a quick-xml/serde error into an [`Error::Xml`]. `byte` is the deserializer's reader
    /// position when it failed (`de.get_ref().get_ref().buffer_position()`); it names the line
    /// and the innermost element around it — the element that was being read, or the one that
    /// had just been closed when serde noticed a missing field.
    pub fn de_error(&self, err: &quick_xml::DeError, byte: u64) -> Error {
        let byte = byte as usize;
        let message = shorten_quoted(err.to_string());
        // The reader runs an event or two ahead of serde, so the innermost element around the
        // position may be a child of the one serde was filling. For the one error the content
        // model lets through — a repeated child whose occurrences are not adjacent — the
        // message names the child: cite the last such child before the position and its parent.
        if let Some(field) = message
            .strip_prefix("duplicate field `")
            .and_then(|rest| rest.strip_suffix('`'))
            && let Some(child) = self
                .elements
                .iter()
                .rev()
                .find(|e| e.start < byte && e.name == field)
        {
            return Error::Xml {
                file: self.file.clone(),
                line: child.line,
                element: child
                    .parent
                    .map(|p| shorten(&self.elements[p].name).into_owned()),
                message: format!(
                    "{message}: the `{field}` elements of one `{}` must follow each other",
                    child.parent.map_or("", |p| self.elements[p].name.as_str())
                ),
            };
        }
        let element = self
            .elements
            .iter()
            .rev()
            .find(|e| e.start < byte && byte <= e.end)
            .map(|e| shorten(&e.name).into_owned());
        Error::Xml {
            file: self.file.clone(),
            line: self.line_at(byte.saturating_sub(1)),
            element,
            message,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Content model
// ---------------------------------------------------------------------------------------------

/// What character data an element may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// No children and no character data at all, not even whitespace (XSD empty content).
    Empty,
    /// Children only; whitespace between them is allowed (XSD element-only content).
    Elements,
    /// Children; any character data between them is ignored (immcfg's SAX handler does so).
    ElementsIgnoringText,
    /// Character data only.
    Text,
    /// Anything (xs:anyType): neither the content nor the attributes are checked.
    Any,
}

/// How the allowed children may follow each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// In the order of [`Rule::children`], each name repeated as often as the serde DTO allows.
    Sequence,
    /// Exactly one child, any of [`Rule::children`] (xs:choice).
    ChoiceOfOne,
    /// Any number of children of the listed names, in any order.
    AnyOrder,
    /// `children[0] children[1]` repeated: a sequence of pairs (e.g. `upgradeScope upgradeStep`).
    Pairs,
}

/// The type of an attribute value, as far as smfcheck checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrType {
    /// Any string (SaStringT).
    String,
    /// xs:nonNegativeInteger (SaUint32T and SaUint64T restrict it without an upper bound).
    NonNegativeInteger,
    /// xs:long (SaTimeT).
    Long,
    /// SaNameT: 1..=2048 characters after whitespace collapsing, matching
    /// `[a-zA-Z0-9_.\\=-]*=[a-zA-Z0-9_.\\=-]*(,[a-zA-Z0-9_.\\=-]*=[a-zA-Z0-9_.\\=-]*)*`.
    SaName,
    /// A string starting with the given prefix followed by at least one character
    /// (SaProcNameT `safSmfProc=.+`, SaCmpgNameT `safSmfCampaign=.+`).
    Prefixed(&'static str),
    /// One of the listed strings (an xs:enumeration).
    Enum(&'static str, &'static [&'static str]),
}

/// One declared attribute.
#[derive(Clone, Copy, Debug)]
pub struct Attr {
    pub name: &'static str,
    pub ty: AttrType,
    pub required: bool,
}

/// Shorthand for a required attribute.
pub const fn req(name: &'static str, ty: AttrType) -> Attr {
    Attr {
        name,
        ty,
        required: true,
    }
}

/// Shorthand for an optional attribute.
pub const fn opt(name: &'static str, ty: AttrType) -> Attr {
    Attr {
        name,
        ty,
        required: false,
    }
}

/// An xs:unique constraint: among the `child` children of an element, attribute `attr` is unique.
#[derive(Clone, Copy, Debug)]
pub struct Unique {
    pub child: &'static str,
    pub attr: &'static str,
    /// The constraint's name in the schema, quoted in the message as xmllint does.
    pub constraint: &'static str,
}

/// The content model of one element in one context.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub content: Content,
    pub children: &'static [&'static str],
    pub order: Order,
    /// Children that must occur at least once (for [`Order::Sequence`] and [`Order::AnyOrder`]).
    pub required: &'static [&'static str],
    pub attrs: &'static [Attr],
    pub unique: Option<Unique>,
}

impl Rule {
    /// Empty content with the given attributes.
    pub const fn empty(attrs: &'static [Attr]) -> Rule {
        Rule {
            content: Content::Empty,
            children: &[],
            order: Order::Sequence,
            required: &[],
            attrs,
            unique: None,
        }
    }

    /// xs:anyType.
    pub const fn any() -> Rule {
        Rule {
            content: Content::Any,
            ..Rule::empty(&[])
        }
    }

    /// Character data only.
    pub const fn text(attrs: &'static [Attr]) -> Rule {
        Rule {
            content: Content::Text,
            ..Rule::empty(attrs)
        }
    }

    /// Element-only content: `children` in this order, `required` among them.
    pub const fn seq(children: &'static [&'static str], required: &'static [&'static str]) -> Rule {
        Rule {
            content: Content::Elements,
            children,
            order: Order::Sequence,
            required,
            attrs: &[],
            unique: None,
        }
    }

    /// Element-only content: any number of these children, any order.
    pub const fn any_of(children: &'static [&'static str]) -> Rule {
        Rule {
            order: Order::AnyOrder,
            ..Rule::seq(children, &[])
        }
    }

    /// Element-only content: exactly one of these children.
    pub const fn one_of(children: &'static [&'static str]) -> Rule {
        Rule {
            order: Order::ChoiceOfOne,
            ..Rule::seq(children, &[])
        }
    }

    /// Element-only content: `first second` pairs, repeated.
    pub const fn pairs(children: &'static [&'static str]) -> Rule {
        Rule {
            order: Order::Pairs,
            ..Rule::seq(children, &[])
        }
    }

    pub const fn with_attrs(self, attrs: &'static [Attr]) -> Rule {
        Rule { attrs, ..self }
    }

    pub const fn with_content(self, content: Content) -> Rule {
        Rule { content, ..self }
    }

    pub const fn with_unique(self, unique: Unique) -> Rule {
        Rule {
            unique: Some(unique),
            ..self
        }
    }
}

/// Looks up the rule of an element from its path of local names, root first, the element last.
/// `None` means the element is not allowed there.
pub type Schema = fn(&[&str]) -> Option<Rule>;

/// Attributes every XML element may carry without a declaration: namespace declarations and the
/// XML Schema instance attributes (`xsi:noNamespaceSchemaLocation` on the corpus roots).
fn is_meta_attribute(name: &str) -> bool {
    name == "xmlns" || name.starts_with("xmlns:") || name.starts_with("xsi:")
}

impl Positions {
    /// Walks the document in order and reports the first violation of `schema`.
    ///
    /// Linear in the size of the document: the path from the root is kept as a stack (elements
    /// come in document order, so an element's parent is on the stack when it is visited) and
    /// what a parent's children have shown so far — the furthest sequence position reached and
    /// the unique keys seen — lives in the parent's stack frame, instead of being recomputed
    /// from the earlier siblings for every child (which was O(depth) and O(siblings) per element).
    pub fn check(&self, schema: Schema) -> Result<(), Error> {
        let mut frames: Vec<Frame<'_>> = Vec::new();
        let mut path: Vec<&str> = Vec::new();
        for (id, el) in self.elements.iter().enumerate() {
            while frames.last().is_some_and(|f| Some(f.id) != el.parent) {
                frames.pop();
                path.pop();
            }
            let parent_rule = frames.last().and_then(|f| f.rule);
            // Nothing inside xs:anyType content is checked, at any depth.
            if el.parent.is_some() && parent_rule.is_none_or(|r| r.content == Content::Any) {
                frames.push(Frame::new(id, None));
                path.push(&el.name);
                continue;
            }
            if let (Some(pr), Some(frame)) = (parent_rule, frames.last_mut()) {
                self.check_position(id, &pr, frame)?;
            }
            path.push(&el.name);
            let Some(rule) = schema(&path) else {
                return Err(match el.parent {
                    Some(p) => self.error(
                        id,
                        format!(
                            "this element is not expected in `{}`",
                            self.elements[p].name
                        ),
                    ),
                    None => self.error(id, "unexpected root element".to_string()),
                });
            };
            self.check_element(id, &rule)?;
            frames.push(Frame::new(id, Some(rule)));
        }
        Ok(())
    }

    /// Checks element `id` against its parent's rule: allowed name, order, uniqueness.
    /// `frame` is the parent's frame, holding what its earlier children showed.
    fn check_position<'a>(
        &'a self,
        id: ElementId,
        parent_rule: &Rule,
        frame: &mut Frame<'a>,
    ) -> Result<(), Error> {
        let el = &self.elements[id];
        let Some(parent) = el.parent.map(|p| &self.elements[p]) else {
            return Ok(());
        };
        let Some(idx) = parent_rule.children.iter().position(|c| *c == el.name) else {
            return Err(if parent_rule.content == Content::Empty {
                self.error(
                    id,
                    format!(
                        "this element is not expected: `{}` has empty content",
                        parent.name
                    ),
                )
            } else if parent_rule.content == Content::Text {
                self.error(
                    id,
                    format!(
                        "this element is not expected: `{}` holds text only",
                        parent.name
                    ),
                )
            } else {
                self.error(
                    id,
                    format!(
                        "this element is not expected in `{}`; expected {}",
                        parent.name,
                        expected_list(parent_rule.children)
                    ),
                )
            });
        };
        let k = el.index;
        let previous = &parent.children[..k];
        match parent_rule.order {
            Order::Sequence => {
                if frame.furthest.is_some_and(|f| f > idx) {
                    // Only on the error path: find the earlier sibling that comes later.
                    let later = previous.iter().copied().find(|&p| {
                        parent_rule
                            .children
                            .iter()
                            .position(|c| *c == self.elements[p].name)
                            .is_some_and(|pi| pi > idx)
                    });
                    if let Some(later) = later {
                        return Err(self.error(
                            id,
                            format!(
                                "this element is not expected here: in `{}` it must come before `{}` (line {})",
                                parent.name, self.elements[later].name, self.elements[later].line
                            ),
                        ));
                    }
                }
                frame.furthest = Some(frame.furthest.map_or(idx, |f| f.max(idx)));
            }
            Order::ChoiceOfOne => {
                if let Some(&first) = previous.first() {
                    return Err(self.error(
                        id,
                        format!(
                            "this element is not expected: `{}` holds exactly one of {}, and `{}` (line {}) is already there",
                            parent.name,
                            expected_list(parent_rule.children),
                            self.elements[first].name,
                            self.elements[first].line
                        ),
                    ));
                }
            }
            Order::AnyOrder => {}
            Order::Pairs => {
                let want = parent_rule.children[k % 2];
                if el.name != want {
                    return Err(self.error(
                        id,
                        format!(
                            "this element is not expected here: `{}` holds `{}` `{}` pairs, so `{want}` comes next",
                            parent.name, parent_rule.children[0], parent_rule.children[1]
                        ),
                    ));
                }
            }
        }
        if let Some(u) = parent_rule.unique
            && u.child == el.name
            && let Some(value) = el.attr(u.attr)
        {
            if let Some(&first) = frame.keys.get(value) {
                return Err(self.error(
                    id,
                    format!(
                        "duplicate key-sequence ['{value}'] in unique identity-constraint '{}' (first at line {})",
                        u.constraint, self.elements[first].line
                    ),
                ));
            }
            frame.keys.insert(value, id);
        }
        Ok(())
    }

    /// Checks element `id`'s own attributes, character data and required children.
    fn check_element(&self, id: ElementId, rule: &Rule) -> Result<(), Error> {
        let el = &self.elements[id];
        if rule.content == Content::Any {
            return Ok(());
        }
        for (name, value) in &el.attrs {
            if is_meta_attribute(name) {
                continue;
            }
            let Some(decl) = rule.attrs.iter().find(|a| a.name == name) else {
                return Err(self.error(id, format!("the attribute `{name}` is not allowed")));
            };
            if let Some(why) = type_error(decl.ty, value) {
                return Err(self.error(
                    id,
                    format!("attribute `{name}`: '{value}' is not a valid value: {why}"),
                ));
            }
        }
        if let Some(missing) = rule
            .attrs
            .iter()
            .find(|a| a.required && el.attr(a.name).is_none())
        {
            return Err(self.error(
                id,
                format!("the attribute `{}` is required but missing", missing.name),
            ));
        }
        match rule.content {
            Content::Empty if !el.text.is_empty() => {
                return Err(self.error(
                    id,
                    "character content is not allowed, because the content type is empty",
                ));
            }
            Content::Elements if !el.text.trim().is_empty() => {
                return Err(self.error(
                    id,
                    format!(
                        "character content other than whitespace is not allowed, because the content type is element-only (found `{}`)",
                        el.text.trim().chars().take(40).collect::<String>()
                    ),
                ));
            }
            _ => {}
        }
        let has = |name: &str| el.children.iter().any(|&c| self.elements[c].name == name);
        match rule.order {
            Order::Sequence | Order::AnyOrder => {
                if let Some(missing) = rule.required.iter().find(|r| !has(r)) {
                    return Err(self.error(id, format!("missing child element `{missing}`")));
                }
            }
            Order::ChoiceOfOne if el.children.is_empty() => {
                return Err(self.error(
                    id,
                    format!(
                        "missing child element: expected {}",
                        expected_list(rule.children)
                    ),
                ));
            }
            Order::Pairs if el.children.len() % 2 == 1 => {
                return Err(self.error(
                    id,
                    format!(
                        "missing child element `{}` after the last `{}`",
                        rule.children[1], rule.children[0]
                    ),
                ));
            }
            _ => {}
        }
        Ok(())
    }
}

/// What [`Positions::check`] remembers about an element while it visits the children.
struct Frame<'a> {
    id: ElementId,
    /// The element's rule (`None` inside xs:anyType content).
    rule: Option<Rule>,
    /// The furthest position in the rule's sequence that a child has reached so far.
    furthest: Option<usize>,
    /// The unique-constraint keys of the children so far, with the child that has each.
    keys: HashMap<&'a str, ElementId>,
}

impl Frame<'_> {
    fn new(id: ElementId, rule: Option<Rule>) -> Self {
        Frame {
            id,
            rule,
            furthest: None,
            keys: HashMap::new(),
        }
    }
}

fn expected_list(children: &[&str]) -> String {
    match children {
        [] => "no child element".to_string(),
        [one] => format!("`{one}`"),
        many => format!(
            "one of {}",
            many.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Why `value` is not of type `ty`, or `None` if it is. Numeric and name types collapse
/// whitespace first, as XSD does for them.
fn type_error(ty: AttrType, value: &str) -> Option<String> {
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    match ty {
        AttrType::String => None,
        AttrType::NonNegativeInteger => {
            let digits = collapsed.strip_prefix('+').unwrap_or(&collapsed);
            (digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| "expected a non-negative integer".to_string())
        }
        AttrType::Long => (collapsed.parse::<i64>().is_err())
            .then(|| "expected an integer in the range of xs:long (SaTimeT)".to_string()),
        AttrType::SaName => sa_name_error(&collapsed),
        AttrType::Prefixed(prefix) => (!collapsed.starts_with(prefix)
            || collapsed.len() == prefix.len())
        .then(|| format!("expected `{prefix}` followed by a name")),
        AttrType::Enum(type_name, values) => (!values.contains(&collapsed.as_str())).then(|| {
            format!(
                "not an element of the set {{{}}} of {type_name}",
                values
                    .iter()
                    .map(|v| format!("'{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }),
    }
}

/// SaNameT as the OpenSAF UCS schema restricts it (see [`AttrType::SaName`]).
pub fn sa_name_error(collapsed: &str) -> Option<String> {
    if collapsed.is_empty() || collapsed.chars().count() > 2048 {
        return Some("an SaNameT has 1 to 2048 characters".to_string());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '\\' | '=' | '-');
    for part in collapsed.split(',') {
        if !part.contains('=') || !part.chars().all(allowed) {
            return Some(format!(
                "an SaNameT is `name=value` pairs separated by commas, of letters, digits and `_.\\=-` (at `{part}`)"
            ));
        }
    }
    None
}

/// Where `--` occurs in a comment's body, if it does.
fn double_hyphen(body: &[u8]) -> Option<usize> {
    body.windows(2).position(|w| w == b"--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_lookups() {
        let text = "<?xml version=\"1.0\"?>\n<a>\n  <b x=\"1\"/>\n  <b x=\"2\">t</b>\n</a>\n";
        let p = Positions::parse("f.xml", text).unwrap();
        assert_eq!(p.elements().len(), 3);
        assert_eq!(p.line_of("a", 0), Some(2));
        assert_eq!(p.line_of("b", 1), Some(4));
        assert_eq!(p.find_by_attr("b", "x", "2").map(|i| p.line(i)), Some(4));
        assert_eq!(p.get(2).text, "t");
        assert_eq!(p.descendants(0, "b"), vec![1, 2]);
    }

    #[test]
    fn text_outside_the_root_is_an_error() {
        let err = Positions::parse("f.xml", "n?xml version=\"1.0\"?>\n<a/>").unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.xml:1: character data `n?xml version=\"1.0\"?>` before the root element"
        );
    }

    #[test]
    fn mismatched_end_tag_has_a_line() {
        let err = Positions::parse("f.xml", "<a>\n<b>\n</a>").unwrap_err();
        assert!(
            err.to_string().starts_with("f.xml:3: not well-formed XML"),
            "{err}"
        );
    }

    #[test]
    fn sa_name_pattern() {
        assert!(sa_name_error("safApp=x").is_none());
        assert!(sa_name_error("=").is_none());
        assert!(sa_name_error("safSupportedCsType=safVersion=4.0.0\\,safCSType=A").is_none());
        assert!(sa_name_error("VMx1-M,safDomain").is_some());
        assert!(sa_name_error("a=b c").is_some());
    }
}
