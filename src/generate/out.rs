//! A small element tree for the campaign the generator writes, serialized with quick-xml (escaping
//! and indentation are the library's): the generator builds the UCS structure (§2.8.4, the
//! thesis's extensions of §4.1.3 / Fig. 7.9) as data and writes it in one place.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

#[derive(Clone, Debug, Default)]
pub struct El {
    pub name: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<Node>,
}

#[derive(Clone, Debug)]
pub enum Node {
    El(El),
    Text(String),
    Comment(String),
}

impl El {
    pub fn new(name: &'static str) -> El {
        El {
            name,
            ..El::default()
        }
    }
    pub fn attr(mut self, k: &'static str, v: impl Into<String>) -> El {
        self.attrs.push((k, v.into()));
        self
    }
    pub fn child(mut self, c: El) -> El {
        self.children.push(Node::El(c));
        self
    }
    pub fn children(mut self, cs: impl IntoIterator<Item = El>) -> El {
        self.children.extend(cs.into_iter().map(Node::El));
        self
    }
    pub fn text(mut self, t: impl Into<String>) -> El {
        self.children.push(Node::Text(t.into()));
        self
    }
    pub fn comment(mut self, c: impl Into<String>) -> El {
        // XML forbids `--` inside a comment.
        self.children
            .push(Node::Comment(c.into().replace("--", "- -")));
        self
    }
    pub fn push(&mut self, c: El) {
        self.children.push(Node::El(c));
    }
}

fn write(w: &mut Writer<Vec<u8>>, el: &El) -> std::io::Result<()> {
    let start = w
        .create_element(el.name)
        .with_attributes(el.attrs.iter().map(|(k, v)| (*k, v.as_str())));
    if el.children.is_empty() {
        start.write_empty()?;
        return Ok(());
    }
    if let [Node::Text(t)] = el.children.as_slice() {
        start.write_text_content(BytesText::new(t))?;
        return Ok(());
    }
    start.write_inner_content(|w| {
        for c in &el.children {
            match c {
                Node::El(e) => write(w, e)?,
                Node::Text(t) => w.write_event(Event::Text(BytesText::new(t)))?,
                Node::Comment(c) => {
                    w.write_event(Event::Comment(BytesText::from_escaped(format!(" {c} "))))?
                }
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// The document with an XML declaration, indented by two spaces, ending in a newline.
pub fn document(root: &El, leading_comment: &str) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into memory cannot fail.
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
        .expect("in-memory write");
    w.write_event(Event::Comment(BytesText::from_escaped(format!(
        "\n{}\n",
        leading_comment.replace("--", "- -")
    ))))
    .expect("in-memory write");
    write(&mut w, root).expect("in-memory write");
    let mut s = String::from_utf8(w.into_inner()).expect("quick-xml writes UTF-8");
    s.push('\n');
    s
}
