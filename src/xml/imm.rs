//! IMM XML configurations (`<imm:IMM-contents>`, SAI-AIS-IMM-XSD-A.02.13): class definitions and
//! configuration objects (`@class`, `dn`, `attr { name, value* }`), read as OpenSAF's `immcfg -f`
//! (`imm_import.cc`) reads them, and merged into one [`Imm`] that answers look-ups by DN, by class
//! and by attribute. The system model takes its entities (AMF nodes, SUs, SGs, SIs, components,
//! PLM execution environments and their dependencies) from here.
//!
//! Reading follows immcfg's SAX handler rather than the IMM XSD where the two differ:
//! * immcfg knows a fixed set of tags and stops at any other ("UNKNOWN TAG!"), so the content
//!   model ([`imm_rule`]) rejects unknown or misplaced elements with their line;
//! * immcfg ignores character data directly inside `IMM-contents`, `class`, `object` and `attr`
//!   (its `charactersHandler` has an empty case for those states), so stray text there — such as
//!   the `=` after `<attr>` in OpenSAF's own `imm.xml.sample` (line 2961) — is accepted, although
//!   it is not schema-valid;
//! * all classes come before the first object ("CLASS TAG AT INVALID PLACE IN XML").
//!
//! Merging: [`merge`] refuses any DN or class defined twice, naming both `file:line`s — the rule
//! of OpenSAF's `immxml-merge` without `--ignore-variants`, and the safe one for a model checker,
//! since a second definition that differs would otherwise be silently dropped. [`merge_with`]
//! with [`Duplicates::LikeImmcfg`] reproduces what importing the files one after another with
//! immcfg does: an object whose DN exists with the same class is skipped (its attributes are
//! *not* applied), another class is an error; an identical class definition is skipped, a
//! different one is an error. Every skip is recorded in [`Imm::skipped`]. Either way a file given
//! twice is refused as such (under [`Duplicates::Reject`]), and so is an object whose parent DN
//! is not in the merged configuration, as immcfg refuses to create it.

use super::position::{
    AttrType, Content, Positions, Rule, opt, read_file, req, shorten, strip_bom,
};
use crate::error::Error;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One parsed IMM file.
#[derive(Clone, Debug, PartialEq)]
pub struct ImmFile {
    pub file: String,
    pub classes: Vec<ClassDef>,
    pub objects: Vec<ImmObject>,
    /// Built in memory from what a campaign creates (`campaign::plan::created_objects`), not
    /// read from XML: its `amfEntityTypes` create a version type's base type implicitly, so its
    /// objects may lack a parent that SMF would create, and [`merge`] does not check their
    /// parents.
    pub from_campaign: bool,
}

/// A class definition (`class`).
#[derive(Clone, Debug, PartialEq)]
pub struct ClassDef {
    pub name: String,
    /// `SA_CONFIG` or `SA_RUNTIME`.
    pub category: String,
    pub rdn: AttrDef,
    pub attrs: Vec<AttrDef>,
    pub file: String,
    pub line: usize,
}

impl ClassDef {
    /// `file:line` of the definition.
    pub fn origin(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    pub fn attr(&self, name: &str) -> Option<&AttrDef> {
        std::iter::once(&self.rdn)
            .chain(&self.attrs)
            .find(|a| a.name == name)
    }

    /// immcfg's test for an already loaded class: same category and the same attribute
    /// definitions (type, category, flags, default), in any order.
    fn same_description(&self, other: &ClassDef) -> bool {
        let key = |c: &ClassDef| {
            let mut v: Vec<AttrDef> = std::iter::once(&c.rdn)
                .chain(&c.attrs)
                .map(|a| {
                    let mut a = a.clone();
                    a.flags.sort();
                    a
                })
                .collect();
            v.sort_by(|x, y| x.name.cmp(&y.name));
            v
        };
        self.category == other.category && key(self) == key(other)
    }
}

/// An attribute definition (`rdn` or `attr` of a class).
#[derive(Clone, Debug, PartialEq)]
pub struct AttrDef {
    pub name: String,
    /// `SA_NAME_T`, `SA_UINT32_T`, …
    pub value_type: String,
    pub category: Option<String>,
    /// `SA_CONFIG`, `SA_WRITABLE`, `SA_MULTI_VALUE`, `SA_INITIALIZED`, …
    pub flags: Vec<String>,
    pub default: Option<String>,
}

/// A configuration object.
#[derive(Clone, Debug, PartialEq)]
pub struct ImmObject {
    pub class: String,
    pub dn: String,
    pub attrs: Vec<ImmAttr>,
    pub file: String,
    pub line: usize,
}

/// An attribute of an object with its values as written (base64 values stay encoded).
#[derive(Clone, Debug, PartialEq)]
pub struct ImmAttr {
    pub name: String,
    pub values: Vec<String>,
}

impl ImmObject {
    /// `file:line` of the definition.
    pub fn origin(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    /// The values of attribute `name` (empty if the object does not set it).
    pub fn values(&self, name: &str) -> &[String] {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.values.as_slice())
            .unwrap_or(&[])
    }

    /// The first value of attribute `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values(name).first().map(String::as_str)
    }

    /// The DN of the parent object (`None` for a root object).
    pub fn parent_dn(&self) -> Option<&str> {
        parent_dn(&self.dn)
    }
}

/// The RDNs of a DN, first (own) RDN first; `\,` does not separate.
pub fn rdns(dn: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in dn.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            ',' if !escaped => {
                out.push(&dn[start..i]);
                start = i + 1;
            }
            _ => escaped = false,
        }
    }
    out.push(&dn[start..]);
    out
}

/// The DN without its first RDN, or `None` for a one-RDN DN.
pub fn parent_dn(dn: &str) -> Option<&str> {
    let first = rdns(dn).first().map_or(0, |r| r.len());
    dn.get(first + 1..).filter(|rest| !rest.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Reads and checks one IMM file.
pub fn parse_imm(path: impl AsRef<Path>) -> Result<ImmFile, Error> {
    let path = path.as_ref();
    let text = read_file(path)?;
    parse_imm_str(&path.display().to_string(), &text)
}

/// As [`parse_imm`], from text; `file` is the name used in messages.
pub fn parse_imm_str(file: &str, text: &str) -> Result<ImmFile, Error> {
    let text = strip_bom(text);
    let pos = Positions::parse(file, text)?;
    // immcfg compares tag names as written, prefix included: the root must be spelled
    // `imm:IMM-contents` and nothing else may carry a prefix.
    for (id, el) in pos.elements().iter().enumerate() {
        let expected = if id == pos.root() {
            "imm:IMM-contents"
        } else {
            el.name.as_str()
        };
        if el.qname != expected {
            return Err(pos.error(
                id,
                format!("unknown tag `{}` (immcfg expects `{expected}`)", el.qname),
            ));
        }
    }
    pos.check(imm_rule)?;
    let mut de = quick_xml::de::Deserializer::from_str(text);
    let raw = dto::Contents::deserialize(&mut de)
        .map_err(|e| pos.de_error(&e, de.get_ref().get_ref().buffer_position()))?;
    // The k-th class (object) of the DTO is the k-th `class` (`object`) element. The lines are
    // collected in one pass: looking each up by its rank would be quadratic in the object count.
    let root = pos.root();
    let mut class_lines = Vec::new();
    let mut object_lines = Vec::new();
    for &c in &pos.get(root).children {
        match pos.get(c).name.as_str() {
            "class" => class_lines.push(pos.line(c)),
            "object" => object_lines.push(pos.line(c)),
            _ => {}
        }
    }
    let line = |name: &str, k: usize| {
        let lines = if name == "class" {
            &class_lines
        } else {
            &object_lines
        };
        lines.get(k).copied().ok_or_else(|| {
            pos.error(
                root,
                format!("internal: no `{name}` number {k} (DTO and index disagree)"),
            )
        })
    };
    let classes = raw
        .classes
        .into_iter()
        .enumerate()
        .map(|(k, c)| {
            Ok(ClassDef {
                name: c.name,
                category: c.category,
                rdn: attr_def(c.rdn),
                attrs: c.attrs.into_iter().map(attr_def).collect(),
                file: file.to_string(),
                line: line("class", k)?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let objects = raw
        .objects
        .into_iter()
        .enumerate()
        .map(|(k, o)| {
            Ok(ImmObject {
                class: o.class,
                dn: o.dn,
                attrs: o
                    .attrs
                    .into_iter()
                    .map(|a| ImmAttr {
                        name: a.name,
                        values: a.values,
                    })
                    .collect(),
                file: file.to_string(),
                line: line("object", k)?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(ImmFile {
        file: file.to_string(),
        classes,
        objects,
        from_campaign: false,
    })
}

fn attr_def(a: dto::AttrDef) -> AttrDef {
    AttrDef {
        name: a.name,
        value_type: a.value_type,
        category: a.category,
        flags: a.flags,
        default: a.default,
    }
}

/// immcfg's tags and where it accepts them (`imm_import.cc`: `startElementHandler`,
/// `charactersHandler`).
pub fn imm_rule(path: &[&str]) -> Option<Rule> {
    use AttrType::String as Str;
    const CONTAINER: Content = Content::ElementsIgnoringText;
    let rule = match path {
        // Classes before objects.
        ["IMM-contents"] => Rule::seq(&["class", "object"], &[]).with_content(CONTAINER),
        [_] => return None,
        ["IMM-contents", "class"] => Rule {
            required: &["category", "rdn"],
            ..Rule::any_of(&["category", "rdn", "attr"])
        }
        .with_content(CONTAINER)
        .with_attrs(const { &[req("name", Str)] }),
        [.., "class", "rdn" | "attr"] => Rule {
            required: &["name", "type"],
            ..Rule::any_of(&["name", "type", "category", "flag", "ntfid", "default-value"])
        }
        .with_content(CONTAINER),
        ["IMM-contents", "object"] => Rule {
            required: &["dn"],
            ..Rule::any_of(&["dn", "attr"])
        }
        .with_content(CONTAINER)
        .with_attrs(const { &[req("class", Str)] }),
        [.., "object", "attr"] => Rule {
            required: &["name"],
            ..Rule::any_of(&["name", "value"])
        }
        .with_content(CONTAINER),
        [.., "dn" | "name" | "type" | "category" | "flag" | "ntfid"] => Rule::text(&[]),
        // `encoding="base64"` (or `xsi:type="xs:base64Binary"`) marks an encoded value.
        [.., "value" | "default-value"] => Rule::text(const { &[opt("encoding", Str)] }),
        _ => return None,
    };
    Some(rule)
}

mod dto {
    use serde::Deserialize;

    /// `IMM-contents`. Character data in the containers is ignored as immcfg ignores it, which
    /// is why these structs do not deny unknown fields (`$text`); the content model has
    /// already refused unknown elements.
    #[derive(Deserialize)]
    pub struct Contents {
        #[serde(rename = "class", default)]
        pub classes: Vec<Class>,
        #[serde(rename = "object", default)]
        pub objects: Vec<Object>,
    }

    #[derive(Deserialize)]
    pub struct Class {
        #[serde(rename = "@name")]
        pub name: String,
        pub category: String,
        pub rdn: AttrDef,
        #[serde(rename = "attr", default)]
        pub attrs: Vec<AttrDef>,
    }

    #[derive(Deserialize)]
    pub struct AttrDef {
        pub name: String,
        #[serde(rename = "type")]
        pub value_type: String,
        pub category: Option<String>,
        #[serde(rename = "flag", default)]
        pub flags: Vec<String>,
        #[serde(rename = "default-value")]
        pub default: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Object {
        #[serde(rename = "@class")]
        pub class: String,
        pub dn: String,
        #[serde(rename = "attr", default)]
        pub attrs: Vec<Attr>,
    }

    #[derive(Deserialize)]
    pub struct Attr {
        pub name: String,
        #[serde(rename = "value", default)]
        pub values: Vec<String>,
    }
}

// ---------------------------------------------------------------------------------------------
// Merging
// ---------------------------------------------------------------------------------------------

/// What [`merge_with`] does with a DN or class defined twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duplicates {
    /// Refuse (`immxml-merge` without `--ignore-variants`).
    Reject,
    /// Keep the first as importing with immcfg does, if the class matches (see module doc).
    LikeImmcfg,
}

/// A definition [`Duplicates::LikeImmcfg`] skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// `object <dn>` or `class <name>`.
    pub what: String,
    /// `file:line` of the definition kept.
    pub kept: String,
    /// `file:line` of the definition skipped.
    pub skipped: String,
}

/// Several IMM files merged.
#[derive(Clone, Debug, Default)]
pub struct Imm {
    objects: Vec<ImmObject>,
    by_dn: HashMap<String, usize>,
    /// Parent DN → the children, in merge order ([`Imm::children`] without a scan).
    by_parent: HashMap<String, Vec<usize>>,
    by_class: BTreeMap<String, Vec<usize>>,
    classes: BTreeMap<String, ClassDef>,
    skipped: Vec<Skipped>,
}

/// Merges IMM files, refusing any DN or class defined twice.
pub fn merge(files: &[ImmFile]) -> Result<Imm, Error> {
    merge_with(files, Duplicates::Reject)
}

/// Merges IMM files in order with the given policy for duplicates.
pub fn merge_with(files: &[ImmFile], duplicates: Duplicates) -> Result<Imm, Error> {
    if duplicates == Duplicates::Reject {
        given_once(files)?;
    }
    let mut imm = Imm::default();
    for f in files {
        for c in &f.classes {
            match imm.classes.get(&c.name) {
                None => {
                    imm.classes.insert(c.name.clone(), c.clone());
                }
                Some(first) => match duplicates {
                    Duplicates::Reject => {
                        return Err(Error::DuplicateClass {
                            name: shorten(&c.name).into_owned(),
                            first: first.origin(),
                            second: c.origin(),
                        });
                    }
                    Duplicates::LikeImmcfg if first.same_description(c) => {
                        imm.skipped.push(Skipped {
                            what: format!("class {}", c.name),
                            kept: first.origin(),
                            skipped: c.origin(),
                        });
                    }
                    Duplicates::LikeImmcfg => {
                        return Err(Error::ImmConflict {
                            message: format!(
                                "IMM class `{}` differs from the class already loaded",
                                shorten(&c.name)
                            ),
                            first: first.origin(),
                            second: c.origin(),
                        });
                    }
                },
            }
        }
        for o in &f.objects {
            match imm.by_dn.get(&o.dn) {
                None => {
                    let i = imm.objects.len();
                    imm.by_dn.insert(o.dn.clone(), i);
                    imm.by_class.entry(o.class.clone()).or_default().push(i);
                    imm.objects.push(o.clone());
                }
                Some(&i) => {
                    let first = &imm.objects[i];
                    match duplicates {
                        Duplicates::Reject => {
                            return Err(Error::DuplicateDn {
                                dn: shorten(&o.dn).into_owned(),
                                first: first.origin(),
                                second: o.origin(),
                            });
                        }
                        Duplicates::LikeImmcfg if first.class == o.class => {
                            imm.skipped.push(Skipped {
                                what: format!("object {}", o.dn),
                                kept: first.origin(),
                                skipped: o.origin(),
                            });
                        }
                        Duplicates::LikeImmcfg => {
                            return Err(Error::ImmConflict {
                                message: format!(
                                    "IMM object `{}` of class `{}` is not of the same class as the existing object of class `{}`",
                                    shorten(&o.dn),
                                    shorten(&o.class),
                                    shorten(&first.class)
                                ),
                                first: first.origin(),
                                second: o.origin(),
                            });
                        }
                    }
                }
            }
        }
    }
    let unchecked = files
        .iter()
        .filter(|f| f.from_campaign)
        .map(|f| f.file.as_str())
        .collect();
    imm.index_parents(&unchecked)?;
    Ok(imm)
}

/// Refuses a file given twice (by the same name or by another name of the same file): every
/// definition in it would otherwise be reported as a duplicate of itself, "already defined at"
/// its own `file:line`, which hides the real mistake.
fn given_once(files: &[ImmFile]) -> Result<(), Error> {
    let mut seen: HashMap<std::path::PathBuf, &str> = HashMap::new();
    for f in files {
        if f.classes.is_empty() && f.objects.is_empty() {
            continue;
        }
        // A name that is not a file on disk (text parsed from memory) is compared as written.
        let key = std::fs::canonicalize(&f.file).unwrap_or_else(|_| f.file.clone().into());
        if let Some(first) = seen.insert(key, &f.file) {
            let also = if first == f.file {
                String::new()
            } else {
                format!(" (first as `{first}`)")
            };
            return Err(Error::Config {
                origin: f.file.clone(),
                message: format!(
                    "this configuration file is given twice{also}; give each file once (its objects would all be defined twice)"
                ),
            });
        }
    }
    Ok(())
}

impl Imm {
    /// Indexes the objects by parent and refuses an object whose parent is missing: immcfg
    /// (and the IMM behind it) creates an object only under an existing parent, so a
    /// configuration with an orphan never loads (root objects, one RDN, have no parent).
    ///
    /// An orphan of a file built from a campaign (`unchecked`, see [`ImmFile::from_campaign`])
    /// is indexed under its parent DN all the same.
    fn index_parents(&mut self, unchecked: &std::collections::HashSet<&str>) -> Result<(), Error> {
        for (i, o) in self.objects.iter().enumerate() {
            let Some(parent) = o.parent_dn() else {
                continue;
            };
            if !self.by_dn.contains_key(parent) && !unchecked.contains(o.file.as_str()) {
                return Err(Error::Config {
                    origin: o.origin(),
                    message: format!(
                        "IMM object `{}` has no parent: `{}` is not in the configuration (immcfg creates an object only under an existing parent)",
                        shorten(&o.dn),
                        shorten(parent)
                    ),
                });
            }
            self.by_parent
                .entry(parent.to_string())
                .or_default()
                .push(i);
        }
        Ok(())
    }

    /// Every object, in merge order.
    pub fn objects(&self) -> &[ImmObject] {
        &self.objects
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// The object with this DN.
    pub fn get(&self, dn: &str) -> Option<&ImmObject> {
        self.by_dn.get(dn).map(|&i| &self.objects[i])
    }

    /// The objects of a class, in merge order.
    pub fn of_class<'a>(&'a self, class: &str) -> impl Iterator<Item = &'a ImmObject> + 'a {
        self.by_class
            .get(class)
            .into_iter()
            .flatten()
            .map(move |&i| &self.objects[i])
    }

    /// Number of objects per class.
    pub fn class_counts(&self) -> BTreeMap<&str, usize> {
        self.by_class
            .iter()
            .map(|(c, v)| (c.as_str(), v.len()))
            .collect()
    }

    /// The values of attribute `attr` of object `dn` (`None` if there is no such object).
    pub fn values(&self, dn: &str, attr: &str) -> Option<&[String]> {
        self.get(dn).map(|o| o.values(attr))
    }

    /// The objects whose parent is `dn`, in merge order.
    pub fn children<'a>(&'a self, dn: &'a str) -> impl Iterator<Item = &'a ImmObject> + 'a {
        self.by_parent
            .get(dn)
            .into_iter()
            .flatten()
            .map(move |&i| &self.objects[i])
    }

    /// A class definition, if one of the files defines it.
    pub fn class(&self, name: &str) -> Option<&ClassDef> {
        self.classes.get(name)
    }

    pub fn classes(&self) -> impl Iterator<Item = &ClassDef> {
        self.classes.values()
    }

    /// What [`Duplicates::LikeImmcfg`] skipped.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dn_structure() {
        let dn = "safMemberCompType=safVersion=4.0.0\\,safCompType=A,safVersion=4.0.0,safSuType=B";
        assert_eq!(
            rdns(dn),
            vec![
                "safMemberCompType=safVersion=4.0.0\\,safCompType=A",
                "safVersion=4.0.0",
                "safSuType=B"
            ]
        );
        assert_eq!(parent_dn(dn), Some("safVersion=4.0.0,safSuType=B"));
        assert_eq!(parent_dn("safApp=A"), None);
    }

    #[test]
    fn unknown_tag_and_misplaced_class() {
        let e = parse_imm_str(
            "t.xml",
            "<imm:IMM-contents xmlns:imm=\"x\">\n<object class=\"A\"><dn>a=1</dn><vlaue/></object>\n</imm:IMM-contents>",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.xml:2: element `vlaue`: this element is not expected in `object`; expected one of `dn`, `attr`"
        );
        let e = parse_imm_str(
            "t.xml",
            "<imm:IMM-contents xmlns:imm=\"x\">\n<object class=\"A\"><dn>a=1</dn></object>\n<class name=\"A\"><category>SA_CONFIG</category><rdn><name>a</name><type>SA_NAME_T</type></rdn></class>\n</imm:IMM-contents>",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.xml:3: element `class`: this element is not expected here: in `IMM-contents` it must come before `object` (line 2)"
        );
    }
}
